// A realistic Gen 2 outputs file (auth with oauth, MFA, password policy, groups; data; storage;
// custom.API) configured in full through Amplify's own parser, the module's merges on top, and what
// of it ships in the public runtime config.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { mergeOptions, resolveModuleOptions } from '../../src/options'
import { toResourcesConfig } from '../../src/runtime/shared/amplify-config'
import { splitServerOnly } from '../../src/runtime/shared/server-only'
import type { AmplifyOutputs, ResolvedAuth } from '../../src/runtime/shared/option-types'
import { leanOutputs, withResolvedAuth } from '../../src/runtime/shared/outputs'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the parsed Cognito config is read by path in assertions
type Cognito = Record<string, any>
const FIXTURES = fileURLToPath(new URL('../fixtures/gen2', import.meta.url))
const FILE = 'realistic_outputs.json'
const OUTPUTS = JSON.parse(readFileSync(`${FIXTURES}/${FILE}`, 'utf8')) as AmplifyOutputs

function configOf(options: Parameters<typeof resolveModuleOptions>[0]) {
  const resolved = resolveModuleOptions(options, FIXTURES)
  expect(resolved.problems).toEqual([])
  return { options: resolved.options, config: toResourcesConfig(resolved.options) }
}

describe('a Gen 2 outputs file', () => {
  it('configures Auth in full: ids, oauth, MFA, password policy, attributes, groups', () => {
    const { config } = configOf({ outputs: `./${FILE}` })
    const cognito = config.Auth!.Cognito as Cognito
    expect(cognito).toMatchObject({
      userPoolId: 'eu-west-1_AbCdEfGhI',
      userPoolClientId: '5h3k1o2p3q4r5s6t7u8v9w0x1y',
      identityPoolId: 'eu-west-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      allowGuestAccess: true,
      mfa: { status: 'optional', smsEnabled: true, totpEnabled: true },
      passwordFormat: { minLength: 10, requireLowercase: true, requireNumbers: true, requireUppercase: true, requireSpecialCharacters: true },
      userAttributes: { email: { required: true } },
      groups: [{ ADMINS: { precedence: 0 } }, { EDITORS: { precedence: 1 } }],
    })
    expect(cognito.loginWith).toEqual({
      oauth: {
        domain: 'example-app.auth.eu-west-1.amazoncognito.com',
        redirectSignIn: ['http://localhost:3000/auth/callback', 'https://app.example.com/auth/callback'],
        redirectSignOut: ['http://localhost:3000/', 'https://app.example.com/'],
        responseType: 'code',
        scopes: ['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin'],
        providers: ['Google', 'Apple'],
      },
      email: true,
      phone: false,
      username: false,
    })
  })

  it('configures Data and Storage, and the REST APIs of custom.API next to GraphQL', () => {
    const { config } = configOf({ outputs: `./${FILE}` })
    expect(config.API?.GraphQL).toMatchObject({
      endpoint: 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/graphql',
      region: 'eu-west-1',
      defaultAuthMode: 'userPool',
      apiKey: 'da2-abcdefghijklmnopqrstuvwxyz',
    })
    expect(Object.keys(config.API!.GraphQL!.modelIntrospection!.models)).toEqual(['Todo'])
    expect(config.API?.REST).toEqual({ orders: { endpoint: 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod', region: 'eu-west-1' } })
    expect(config.Storage?.S3).toMatchObject({ bucket: 'amplify-app-main-photosbucket-abcdef123456', region: 'eu-west-1' })
    expect(config.Storage!.S3!.buckets!.photos).toMatchObject({ bucketName: 'amplify-app-main-photosbucket-abcdef123456', region: 'eu-west-1' })
  })

  it('lets amplify.auth and amplify.rest override the file, and keeps the rest of Auth', () => {
    const { config } = configOf({
      outputs: `./${FILE}`,
      auth: { userPoolId: 'eu-west-1_Override', userPoolEndpoint: 'http://127.0.0.1:9229', allowGuestAccess: false },
      rest: { orders: { endpoint: 'https://orders.example.com/v2', authMode: 'userPool' }, extra: { endpoint: 'https://extra.example.com', authMode: 'none' } },
    })
    const cognito = config.Auth!.Cognito as Cognito
    expect(cognito.userPoolId).toBe('eu-west-1_Override')
    expect(cognito.userPoolEndpoint).toBe('http://127.0.0.1:9229')
    expect(cognito.allowGuestAccess).toBe(false)
    expect(cognito.loginWith.oauth.domain).toBe('example-app.auth.eu-west-1.amazoncognito.com')
    expect(config.API?.REST).toEqual({
      orders: { endpoint: 'https://orders.example.com/v2', region: 'eu-west-1' },
      extra: { endpoint: 'https://extra.example.com', region: 'us-east-1' },
    })
    expect(config.API?.GraphQL?.endpoint).toContain('appsync-api')
  })

  it('a run-time override of the ids (env variables) reaches Amplify, the file\'s copy does not', () => {
    const { options } = configOf({ outputs: `./${FILE}` })
    const atRunTime = { ...options, auth: { ...options.auth, userPoolId: 'eu-west-1_FromEnv', userPoolClientId: 'envClient' } }
    const cognito = toResourcesConfig(atRunTime).Auth!.Cognito as Cognito
    expect(cognito.userPoolId).toBe('eu-west-1_FromEnv')
    expect(cognito.userPoolClientId).toBe('envClient')
    expect(cognito.mfa.status).toBe('optional')
  })

  it('is accepted by Amplify itself: configure, then getConfig shows every category', () => {
    const { config } = configOf({ outputs: `./${FILE}` })
    Amplify.configure(config)
    const seen = Amplify.getConfig()
    expect(seen.Auth?.Cognito.loginWith?.oauth?.providers).toEqual(['Google', 'Apple'])
    expect(seen.API?.GraphQL?.defaultAuthMode).toBe('userPool')
    expect(seen.API?.REST?.orders?.endpoint).toBe('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod')
    expect(seen.Storage?.S3?.bucket).toBe('amplify-app-main-photosbucket-abcdef123456')
  })

  it('ships a lean copy: no custom outputs, no $schema, the ids once, custom.API only as REST options', () => {
    const { options } = configOf({ outputs: `./${FILE}` })
    const shipped = JSON.stringify(splitServerOnly(options).public)
    expect(shipped).not.toContain('internalNote')
    expect(shipped).not.toContain('$schema')
    expect(shipped.split('eu-west-1_AbCdEfGhI').length - 1).toBe(1)
    expect(shipped.split('a1b2c3d4e5.execute-api').length - 1).toBe(1)
    const file = readFileSync(`${FIXTURES}/${FILE}`, 'utf8')
    expect(JSON.stringify(options.outputs).length).toBeLessThan(JSON.stringify(JSON.parse(file)).length)
  })

  it('a serverOnly API\'s key stays private with a full outputs file', () => {
    const { options } = configOf({ outputs: `./${FILE}`, rest: { orders: { authMode: 'apiKey', apiKey: 'secret-key-123', serverOnly: true } } })
    const split = splitServerOnly(options)
    expect(JSON.stringify(split.public)).not.toContain('secret-key-123')
    expect(toResourcesConfig(split.public).API?.REST).toEqual({})
    expect(toResourcesConfig(options).API?.REST?.orders).toBeDefined()
  })

  it('an outputs object with only the ids and custom.API (or no version) adds nothing', () => {
    expect(mergeOptions({}, { version: '1.4', auth: OUTPUTS.auth }).options.outputs).toBeDefined()
    const idsOnly = { version: '1.4', auth: { aws_region: 'eu-west-1', user_pool_id: 'p', user_pool_client_id: 'c' }, custom: OUTPUTS.custom }
    expect(mergeOptions({}, idsOnly).options.outputs).toBeUndefined()
    expect(mergeOptions({}, { ...OUTPUTS, version: undefined }).options.outputs).toBeUndefined()
  })
})

describe('the lean outputs and the resolved ids written back (outputs.ts)', () => {
  const auth = (over: Partial<ResolvedAuth>) => ({ region: 'eu-west-1', userPoolId: 'eu-west-1_pool', userPoolClientId: 'client', identityPoolId: 'eu-west-1:ids', allowGuestAccess: true, ...over }) as ResolvedAuth

  it('a file of another major version is not handed to Amplify\'s parser', () => {
    expect(leanOutputs({ version: '2', data: { url: 'https://x/graphql' } } as unknown as AmplifyOutputs)).toBeUndefined()
    expect(leanOutputs({ version: '1.4', data: { url: 'https://x/graphql' } } as unknown as AmplifyOutputs)).toEqual({ version: '1.4', data: { url: 'https://x/graphql' } })
  })

  it('keeps custom.events (Amplify reads it) and nothing else of custom', () => {
    const events = { url: 'https://events.example/event', aws_region: 'eu-west-1', default_authorization_type: 'API_KEY' }
    expect(leanOutputs({ version: '1.4', custom: { events, API: { a: {} }, mine: 1 } } as unknown as AmplifyOutputs)).toEqual({ version: '1.4', custom: { events } })
  })

  it('without a user pool the file\'s auth section is dropped (the module configures identity-pool-only Auth itself)', () => {
    const lean = { version: '1.4', auth: { oauth: { domain: 'd' } }, data: { url: 'u' } }
    expect(withResolvedAuth(lean, auth({ userPoolId: '', userPoolClientId: '' }))).toEqual({ version: '1.4', data: { url: 'u' } })
  })

  it('writes the resolved ids over the file\'s, the identity pool id only when there is one', () => {
    const lean = { version: '1.4', auth: { identity_pool_id: 'from-file', oauth: { domain: 'd' } } }
    expect(withResolvedAuth(lean, auth({})).auth).toEqual({ oauth: { domain: 'd' }, aws_region: 'eu-west-1', user_pool_id: 'eu-west-1_pool', user_pool_client_id: 'client', identity_pool_id: 'eu-west-1:ids', unauthenticated_identities_enabled: true })
    expect(withResolvedAuth({ version: '1.4' }, auth({ identityPoolId: '' })).auth).not.toHaveProperty('identity_pool_id')
  })
})
