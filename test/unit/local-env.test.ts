// `backend.env()` (src/local/env.ts): the variables must give a built app, through Nitro's own
// applyEnv (the code a built server runs at start), exactly the options the backend describes.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { applyEnv } from 'nitropack/runtime/internal/utils.env'
import { mergeOptions } from '../../src/options'
import { splitServerOnly } from '../../src/runtime/shared/server-only'
import { validateOptions } from '../../src/runtime/shared/validate-options'
import { formatEnv, localEnv } from '../../src/local/env'
import type { LocalAmplifyOptions } from '../../src/local/types'
import type { ModuleOptions } from '../../src/runtime/shared/option-types'

const REST = 'http://127.0.0.1:41234'
const backend: LocalAmplifyOptions = {
  auth: {
    region: 'eu-west-1',
    userPoolId: 'local_5Xa9c1Zq',
    userPoolClientId: '3kq9zt1v7wbq0a8e2h4n6m5r1c',
    identityPoolId: 'eu-west-1:9d0f4f51-2a3c-4a7b-8e51-0c6b7f3e1d22',
    allowGuestAccess: true,
    userPoolEndpoint: 'http://127.0.0.1:41235',
    identityPoolEndpoint: 'http://127.0.0.1:41236',
    userPoolIssuer: 'http://127.0.0.1:41237/local_5Xa9c1Zq',
    authFlowType: 'USER_PASSWORD_AUTH',
  },
  rest: {
    iam: { endpoint: `${REST}/iam`, region: 'eu-west-1', authMode: 'iam' },
    apiKey: { endpoint: `${REST}/apikey`, region: 'eu-west-1', authMode: 'apiKey', apiKey: 'k3y-with.dots_and-dashes' },
    userPool: { endpoint: `${REST}/userpool`, region: 'eu-west-1', authMode: 'userPool', token: 'id' },
    userPoolAccess: { endpoint: `${REST}/userpool-access`, region: 'eu-west-1', authMode: 'userPool', token: 'access' },
    custom: { endpoint: `${REST}/custom`, region: 'eu-west-1', authMode: 'custom' },
    none: { endpoint: `${REST}/none`, region: 'eu-west-1', authMode: 'none' },
  },
  defaultApi: 'userPool',
}

const placeholderAuth = {
  region: 'us-east-1',
  userPoolId: 'us-east-1_placeholder',
  userPoolClientId: 'placeholder',
  identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
  userPoolEndpoint: 'http://127.0.0.1:1',
  identityPoolEndpoint: 'http://127.0.0.1:1',
  authFlowType: 'USER_SRP_AUTH',
} as const

/** What a built server holds after start: the build's runtime config, then Nitro's applyEnv over it. */
function builtAppConfig(options: ModuleOptions, env: Record<string, string>) {
  const merged = mergeOptions(options)
  expect(merged.problems).toEqual([])
  const split = splitServerOnly(merged.options)
  const runtimeConfig = structuredClone({ public: { amplify: split.public }, amplify: split.private })
  applyEnv(runtimeConfig, { prefix: 'NUXT_', altPrefix: 'NITRO_', envExpansion: false, env } as never)
  return runtimeConfig
}

describe('backend.env()', () => {
  // Nitro's applyEnv reads process.env: each test sets the variables, and they are removed after it.
  const saved = { ...process.env }
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) Reflect.deleteProperty(process.env, key)
  })

  it('gives an app built with placeholders of the same shape exactly the backend\'s options', () => {
    const placeholders: ModuleOptions = {
      auth: placeholderAuth,
      rest: Object.fromEntries(Object.entries(backend.rest).map(([name, api]) => [name, { ...api, endpoint: `http://127.0.0.1:1/${name}`, region: 'us-east-1', ...('apiKey' in api ? { apiKey: 'placeholder' } : {}) }])),
      defaultApi: 'iam',
    }
    const env = localEnv(backend)
    Object.assign(process.env, env)
    const config = builtAppConfig(placeholders, env)
    expect(config.public.amplify).toEqual(splitServerOnly(mergeOptions(backend).options).public)
    expect(validateOptions(config.public.amplify)).toEqual([])
    // Nitro's names: camelCase split, under the config path.
    expect(env).toMatchObject({
      NUXT_PUBLIC_AMPLIFY_AUTH_USER_POOL_CLIENT_ID: backend.auth.userPoolClientId,
      NUXT_PUBLIC_AMPLIFY_REST_API_KEY_API_KEY: backend.rest.apiKey.apiKey,
      NUXT_PUBLIC_AMPLIFY_REST_USER_POOL_ACCESS_TOKEN: 'access',
      NUXT_PUBLIC_AMPLIFY_DEFAULT_API: 'userPool',
    })
  })

  it('points an app\'s own APIs (public and serverOnly) at the local API of their mode', () => {
    const app: ModuleOptions = {
      auth: placeholderAuth,
      rest: {
        items: { endpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod', authMode: 'userPool', scheme: 'Bearer' },
        reports: { endpoint: 'https://example.test/reports', authMode: 'iam' },
        partnerFeed: { endpoint: 'https://example.test/partner', authMode: 'apiKey', apiKey: 'placeholder', serverOnly: true },
      },
      defaultApi: 'items',
    }
    const env = localEnv(backend, { rest: { items: 'userPoolAccess', reports: 'iam', partnerFeed: { api: 'apiKey', serverOnly: true } } })
    Object.assign(process.env, env)
    const config = builtAppConfig(app, env)
    const { rest, auth, defaultApi } = config.public.amplify
    expect(auth).toEqual(mergeOptions(backend).options.auth)
    expect(rest.items).toMatchObject({ endpoint: backend.rest.userPoolAccess.endpoint, region: 'eu-west-1', authMode: 'userPool', token: 'access' })
    expect(rest.reports).toMatchObject({ endpoint: backend.rest.iam.endpoint, region: 'eu-west-1', authMode: 'iam' })
    expect(rest.partnerFeed, 'a serverOnly API stays out of the public config').toBeUndefined()
    expect(config.amplify.rest.partnerFeed).toMatchObject({ endpoint: backend.rest.apiKey.endpoint, authMode: 'apiKey', apiKey: backend.rest.apiKey.apiKey })
    expect(defaultApi, 'the app\'s own default API is kept').toBe('items')
    expect(Object.keys(env).filter(name => name.includes('PARTNER')).every(name => name.startsWith('NUXT_AMPLIFY_REST_PARTNER_FEED_'))).toBe(true)
  })

  it('refuses a mapping to no local API, naming it and the choices', () => {
    expect(() => localEnv(backend, { rest: { items: 'cognito' as never } })).toThrow(/rest\.items is "cognito"; expected one of the local APIs "iam", "apiKey", "userPool", "userPoolAccess", "custom", "none"/)
    expect(() => localEnv(backend, { rest: { 'my-api': 'iam' } })).toThrow(/"my-api" is not an API name/)
  })

  it('writes an env file that dotenv and a shell both read back unchanged', () => {
    const env = { ...localEnv(backend), EXTRA: 'two words' }
    const text = formatEnv(env)
    expect(parseEnv(text)).toEqual(env)
    const dir = mkdtempSync(join(tmpdir(), 'local-env-'))
    try {
      writeFileSync(join(dir, '.env'), text)
      const printed = execFileSync('bash', ['-c', 'set -a; . ./.env; node -p "JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(NUXT_|EXTRA)/.test(k))))"'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } })
      expect(JSON.parse(printed)).toEqual(env)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(() => formatEnv({ BAD: 'it\'s' })).toThrow(/BAD holds a quote/)
  })
})
