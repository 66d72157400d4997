// The playground's `amplify` options. `npm run dev` starts the local backend and passes its
// options in AMPLIFY_LOCAL_OPTIONS; without it (a plain build, the e2e tests) the same shape with
// placeholder values is used, and NUXT_PUBLIC_AMPLIFY_* variables point the built app at a backend.
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
  const options = fromDev ? JSON.parse(fromDev) as ModuleOptions : placeholderOptions
  // `npm run dev -- --server-session`: tokens in HttpOnly cookies, calls through the server's proxy.
  return process.env.AMPLIFY_SESSION === 'server' ? { ...options, session: 'server' } : options
}
