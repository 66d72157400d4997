// The playground's `amplify` options. `npm run dev` starts the local backend and passes its
// options in AMPLIFY_LOCAL_OPTIONS; without it (a plain build, the e2e tests) the same shape with
// placeholder values is used, and NUXT_PUBLIC_AMPLIFY_* variables point the built app at a backend.
import { readFileSync } from 'node:fs'
import type { ModuleOptions } from '../src/module'

export const placeholderOptions: ModuleOptions = {
  auth: {
    region: 'us-east-1',
    userPoolId: 'us-east-1_placeholder',
    userPoolClientId: 'placeholder',
    identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
    allowGuestAccess: true,
    userPoolEndpoint: 'http://127.0.0.1:1',
    identityPoolEndpoint: 'http://127.0.0.1:1',
    authFlowType: 'USER_PASSWORD_AUTH',
  },
  rest: {
    iam: { endpoint: 'http://127.0.0.1:1/iam', region: 'us-east-1', authMode: 'iam' },
    apiKey: { endpoint: 'http://127.0.0.1:1/apikey', region: 'us-east-1', authMode: 'apiKey', apiKey: 'placeholder' },
    userPool: { endpoint: 'http://127.0.0.1:1/userpool', region: 'us-east-1', authMode: 'userPool', token: 'id' },
    userPoolAccess: { endpoint: 'http://127.0.0.1:1/userpool-access', region: 'us-east-1', authMode: 'userPool', token: 'access' },
    custom: { endpoint: 'http://127.0.0.1:1/custom', region: 'us-east-1', authMode: 'custom' },
    none: { endpoint: 'http://127.0.0.1:1/none', region: 'us-east-1', authMode: 'none' },
  },
  defaultApi: 'userPool',
}

export function playgroundOptions(): ModuleOptions {
  const fromDev = process.env.AMPLIFY_LOCAL_OPTIONS
  const gen2 = gen2Outputs()
  const options = withSpec({ ...(fromDev ? JSON.parse(fromDev) as ModuleOptions : placeholderOptions), ...(gen2 ? { outputs: gen2 } : {}) })
  // `npm run dev -- --server-session`: tokens in HttpOnly cookies, calls through the server's proxy.
  return process.env.AMPLIFY_SESSION === 'server' ? { ...options, session: 'server' } : options
}

/**
 * Every local API serves the same routes (items, echo, status): each is typed from the local REST
 * server's OpenAPI spec (`localRestOpenApi`, written to local-rest.openapi.json).
 */
function withSpec(options: ModuleOptions): ModuleOptions {
  const rest = Object.fromEntries(Object.entries(options.rest ?? {}).map(([name, api]) => [name, { ...api, openapi: './local-rest.openapi.json' }]))
  return { ...options, rest }
}

/**
 * `npm run dev` also starts the local GraphQL endpoint and Cognito domain and passes them in
 * AMPLIFY_LOCAL_GEN2 ({ dataUrl, apiKey, oauthDomain, redirectUris, storage? }): a Gen 2 outputs object (Data
 * with the Todo model, social sign-in) made from amplify_outputs.gen2.json. Unset (a plain build,
 * the e2e tests): no outputs, and the Gen 2 panel is not shown.
 */
function gen2Outputs(): ModuleOptions['outputs'] {
  const fromDev = process.env.AMPLIFY_LOCAL_GEN2
  if (!fromDev) return undefined
  const { dataUrl, apiKey, oauthDomain, redirectUris, storage } = JSON.parse(fromDev) as { dataUrl: string, apiKey: string, oauthDomain: string, redirectUris: string[], storage?: { bucket: string, region: string } }
  const outputs = JSON.parse(readFileSync(new URL('./amplify_outputs.gen2.json', import.meta.url), 'utf8'))
  Object.assign(outputs.data, { url: dataUrl, api_key: apiKey })
  Object.assign(outputs.auth.oauth, { domain: oauthDomain, redirect_sign_in_uri: redirectUris, redirect_sign_out_uri: redirectUris })
  // The local S3 stand-in's bucket (storage: true), when the browser can reach it (see the README's Storage offline notes).
  if (storage) outputs.storage = { bucket_name: storage.bucket, aws_region: storage.region }
  return outputs
}
