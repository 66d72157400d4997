// Property tests (fast-check) of the pure logic every call and every build goes through:
// header merging and per-mode headers, the path check, and option merging/validation.
//  - headers and paths: never throw anything but the module's typed errors (AmplifyRestError
//    subclasses); never emit a header value with CR, LF or NUL; a call's own Authorization (any
//    letter case) always wins and is the only authorization header; an accepted path appended to
//    an endpoint never resolves outside the endpoint's path or to another origin.
//  - options: merging and validating never throw at all; problems come back as strings.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AmplifyRestError, InvalidHeaderError, InvalidPathError, InvalidRequestError, MissingCustomTokenError, NotSignedInError } from '../../src/runtime/shared/errors'
import { mergeHeaders, normalizePath, resolveHeaders } from '../../src/runtime/shared/headers'
import type { HeaderInput } from '../../src/runtime/shared/headers'
import { AUTH_MODES, mergeOptions, validateOptions } from '../../src/runtime/shared/options'
import type { AmplifyOutputs, ModuleOptions, ResolvedOptions, ResolvedRestApi } from '../../src/runtime/shared/options'

const RUNS = { numRuns: 1000 }
const TYPED_HEADER_ERRORS = ['InvalidHeaderError', 'InvalidRequestError', 'NotSignedInError', 'MissingCustomTokenError']
const FORBIDDEN_IN_VALUE = /[\r\n\0]/

/** Runs `fn`; a thrown error must be one of the module's typed errors (returned for inspection). */
function typedOutcome<T>(fn: () => T): { value?: T, error?: AmplifyRestError } {
  try {
    return { value: fn() }
  }
  catch (error) {
    if (!(error instanceof AmplifyRestError)) throw new Error(`threw an untyped error: ${String(error)}`, { cause: error })
    return { error }
  }
}

// ---- arbitraries --------------------------------------------------------------------------

/** `authorization` in a random letter case. */
const authorizationName = fc.array(fc.boolean(), { minLength: 13, maxLength: 13 })
  .map(upper => [...'authorization'].map((c, i) => upper[i] ? c.toUpperCase() : c).join(''))

const tokenChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&\'*+-.^_`|~')
const validHeaderName = fc.string({ unit: tokenChar, minLength: 1, maxLength: 20 })
const headerName = fc.oneof(
  { arbitrary: validHeaderName, weight: 6 },
  { arbitrary: authorizationName, weight: 3 },
  { arbitrary: fc.constantFrom('x-api-key', 'X-Api-Key', 'content-type', 'constructor', 'toString', '__proto__', 'hasOwnProperty'), weight: 2 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
)

/** A header value with CR, LF or NUL somewhere in it. */
const injectedValue = fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\r', '\n', '\0', '\r\n', '\r\nX-Injected: 1'), fc.string({ maxLength: 8 }))
  .map(([a, bad, b]) => `${a}${bad}${b}`)
const safeValue = fc.string({ unit: fc.constantFrom(...'abcXYZ012 .=-_:/+,;"\t'), maxLength: 24 })
const stringValue = fc.oneof(
  { arbitrary: safeValue, weight: 6 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: injectedValue, weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
)
const headerValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: stringValue, weight: 10 },
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 1 }), fc.array(fc.string(), { maxLength: 2 })), weight: 1 },
)
const headerLayer = fc.dictionary(headerName, headerValue, { maxKeys: 6 })
const maybeLayer = fc.option(headerLayer, { nil: undefined })

const restApi: fc.Arbitrary<ResolvedRestApi> = fc.record({
  endpoint: fc.constant('https://abc.execute-api.eu-west-1.amazonaws.com/prod'),
  region: fc.constant('eu-west-1'),
  authMode: fc.constantFrom(...AUTH_MODES),
  token: fc.constantFrom('id' as const, 'access' as const),
  apiKey: fc.oneof(safeValue, injectedValue),
  scheme: fc.constantFrom('' as const, 'Bearer' as const),
  headers: fc.dictionary(headerName, stringValue, { maxKeys: 4 }) as fc.Arbitrary<Record<string, string>>,
})
const maybeToken = fc.option(fc.oneof({ arbitrary: safeValue, weight: 5 }, { arbitrary: injectedValue, weight: 1 }), { nil: undefined })

const headerInput: fc.Arbitrary<HeaderInput> = fc.record({
  apiName: fc.constantFrom('items', 'partner'),
  api: restApi,
  authMode: fc.constantFrom(...AUTH_MODES),
  tokens: fc.option(fc.record({ idToken: maybeToken, accessToken: maybeToken }), { nil: undefined }),
  customToken: fc.oneof(maybeToken, fc.constant(null)),
  callHeaders: maybeLayer,
})

/** The last own entry of `headers` whose name is `authorization` in any case. */
function lastAuthorization(headers: Record<string, unknown> | undefined): { present: boolean, value?: unknown } {
  let found: { present: boolean, value?: unknown } = { present: false }
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && value !== undefined) found = { present: true, value }
  }
  return found
}

function expectWellFormed(headers: Record<string, string>) {
  for (const [name, value] of Object.entries(headers)) {
    expect(typeof value, name).toBe('string')
    expect(FORBIDDEN_IN_VALUE.test(value), `header ${name} carries CR, LF or NUL`).toBe(false)
    expect(name, 'names are lower-cased').toBe(name.toLowerCase())
  }
  expect(Object.keys(headers).filter(name => name.toLowerCase() === 'authorization').length).toBeLessThanOrEqual(1)
  expect(headers.authorization, 'an empty Authorization is dropped').not.toBe('')
}

// ---- headers ------------------------------------------------------------------------------

describe('mergeHeaders (property)', () => {
  it('throws only InvalidHeaderError; what it returns has no CR/LF/NUL, lower-case names, at most one non-empty authorization', () => {
    fc.assert(fc.property(fc.array(maybeLayer, { maxLength: 4 }), (layers) => {
      const { value, error } = typedOutcome(() => mergeHeaders(...layers))
      if (error) {
        expect(error).toBeInstanceOf(InvalidHeaderError)
        return
      }
      expectWellFormed(value!)
    }), RUNS)
  })

  it('refuses every layer that holds a CR, LF or NUL value, whatever the name\'s case or position', () => {
    fc.assert(fc.property(maybeLayer, maybeLayer, validHeaderName, injectedValue, fc.boolean(), (before, after, name, bad, first) => {
      const poisoned = { [name]: bad }
      const layers = first ? [poisoned, before, after] : [before, after, poisoned]
      expect(() => mergeHeaders(...layers)).toThrow(AmplifyRestError)
    }), RUNS)
  })

  it('the last layer\'s Authorization (any case) wins over every earlier one', () => {
    fc.assert(fc.property(fc.array(maybeLayer, { maxLength: 3 }), authorizationName, safeValue.filter(v => v.trim() === v && v !== ''), (layers, name, token) => {
      const { value, error } = typedOutcome(() => mergeHeaders(...layers, { [name]: token }))
      if (error) return // an earlier layer held a bad header: refused as a whole, nothing to compare
      expect(value!.authorization).toBe(token)
      expect(Object.keys(value!).filter(n => n.toLowerCase() === 'authorization')).toEqual(['authorization'])
    }), RUNS)
  })
})

describe('resolveHeaders (property)', () => {
  it('throws only the typed errors; never emits CR/LF/NUL; at most one authorization header', () => {
    fc.assert(fc.property(headerInput, (input) => {
      const { value, error } = typedOutcome(() => resolveHeaders(input))
      if (error) {
        expect(TYPED_HEADER_ERRORS).toContain(error.name)
        return
      }
      expectWellFormed(value!)
    }), RUNS)
  })

  it('a call\'s own Authorization (any letter case) always wins, in every mode, signed in or not', () => {
    const withOverride = fc.tuple(headerInput, authorizationName, safeValue.filter(v => v !== '')).map(([input, name, token]) => ({
      ...input,
      callHeaders: { ...input.callHeaders, [name]: token },
    }))
    fc.assert(fc.property(withOverride, (input) => {
      const override = lastAuthorization(input.callHeaders)
      const { value, error } = typedOutcome(() => resolveHeaders(input))
      if (error) {
        // A call that brings its own Authorization needs no token of the mode: only a bad header
        // (InvalidHeaderError) or an apiKey API without key (InvalidRequestError) can refuse it,
        // unless a later authorization entry of the same call is empty (then the mode is back).
        if (override.value !== '') {
          expect(error).not.toBeInstanceOf(NotSignedInError)
          expect(error).not.toBeInstanceOf(MissingCustomTokenError)
        }
        expect([InvalidHeaderError, InvalidRequestError, NotSignedInError, MissingCustomTokenError].some(type => error instanceof type)).toBe(true)
        return
      }
      expectWellFormed(value!)
      if (override.value === '') expect(value!).not.toHaveProperty('authorization')
      else expect(value!.authorization).toBe(override.value)
      expect(Object.keys(value!).filter(n => n.toLowerCase() === 'authorization').length).toBe(override.value === '' ? 0 : 1)
    }), RUNS)
  })

  it('without a call override, userPool and custom send the mode\'s token (with the scheme), apiKey the key, none and iam no authorization', () => {
    const noAuthOverride = headerInput.map(input => ({
      ...input,
      callHeaders: Object.fromEntries(Object.entries(input.callHeaders ?? {}).filter(([n]) => n.toLowerCase() !== 'authorization')),
      api: { ...input.api, headers: Object.fromEntries(Object.entries(input.api.headers).filter(([n]) => !['authorization', 'x-api-key'].includes(n.toLowerCase()))) },
    }))
    fc.assert(fc.property(noAuthOverride, (input) => {
      const { value, error } = typedOutcome(() => resolveHeaders(input))
      if (error) return
      const prefix = input.api.scheme ? `${input.api.scheme} ` : ''
      const token = input.api.token === 'access' ? input.tokens?.accessToken : input.tokens?.idToken
      if (input.authMode === 'userPool') expect(value!.authorization).toBe(prefix + token)
      else if (input.authMode === 'custom') expect(value!.authorization).toBe(prefix + input.customToken)
      else expect(value!).not.toHaveProperty('authorization')
      // A call's own X-Api-Key wins over the API's key (call headers win, names case-insensitive).
      if (Object.keys(input.callHeaders).some(n => n.toLowerCase() === 'x-api-key')) return
      if (input.authMode === 'apiKey') expect(value!['x-api-key']).toBe(input.api.apiKey)
      else expect(value!).not.toHaveProperty('x-api-key')
    }), RUNS)
  })
})

// ---- paths --------------------------------------------------------------------------------

const ENDPOINTS = [
  'https://api.example.com/prod',
  'https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1',
  'http://127.0.0.1:8080/stage',
  'https://api.example.com',
]
const PATH_PIECES = [
  '..', '.', '...', '%2e', '%2E', '%2e%2e', '.%2e', '%2e.', '%252e%252e', '%25252e%25252e', '%2f', '%2F', '%5c', '%252f',
  '/', '//', '\\', '?', '#', '&', '=', ':', '@', '%', '%zz', '%c0%ae', '\t', '\n', '\r', ' ', '%09', '%00', '%0a', '．', '．．', '。',
  'http:', 'https://evil.example', '//evil.example', 'javascript:', 'a', 'items', '1', '..;', '~', 'evil.example', '\u2025', '\u00A0',
]
const pathArb = fc.oneof(
  { arbitrary: fc.array(fc.constantFrom(...PATH_PIECES), { maxLength: 10 }).map(parts => parts.join('')), weight: 4 },
  { arbitrary: fc.array(fc.constantFrom(...PATH_PIECES), { maxLength: 8 }).map(parts => parts.join('/')), weight: 4 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.webUrl().map(u => u.replace(/^https?:\/\//, '')), weight: 1 },
)

/** Decodes until stable (at most 5 rounds), as servers and proxies that decode more than once would. */
function decodedSegments(pathname: string): string[] {
  return pathname.split('/').map((segment) => {
    let current = segment
    for (let i = 0; i < 5; i++) {
      try {
        const next = decodeURIComponent(current)
        if (next === current) break
        current = next
      }
      catch {
        break
      }
    }
    return current
  })
}

describe('normalizePath (property)', () => {
  it('throws only InvalidPathError, and returns "" or one leading slash', () => {
    fc.assert(fc.property(pathArb, (path) => {
      const { value, error } = typedOutcome(() => normalizePath(path))
      if (error) {
        expect(error).toBeInstanceOf(InvalidPathError)
        return
      }
      expect(value === '' || /^\/(?!\/)/.test(value!), JSON.stringify(value)).toBe(true)
    }), RUNS)
  })

  it('refuses any value that is not a string with InvalidPathError (never an untyped error)', () => {
    const notString = fc.anything({ maxDepth: 1, withNullPrototype: true, withBigInt: true, withMap: true }).filter(v => typeof v !== 'string')
    fc.assert(fc.property(notString, (path) => {
      const { error } = typedOutcome(() => normalizePath(path))
      expect(error).toBeInstanceOf(InvalidPathError)
    }), { ...RUNS, examples: [[Object.create(null)], [{ toString: false }]] })
  })

  it('an accepted path, appended to an endpoint, resolves (new URL) under the endpoint\'s path and on its origin', () => {
    fc.assert(fc.property(pathArb, fc.constantFrom(...ENDPOINTS), (path, endpoint) => {
      const { value, error } = typedOutcome(() => normalizePath(path))
      if (error) return
      const base = new URL(endpoint)
      const basePath = base.pathname.replace(/\/+$/, '')
      const target = new URL(endpoint + value)
      expect(target.origin, `${JSON.stringify(path)} → ${target.href}`).toBe(base.origin)
      expect(target.username + target.password).toBe('')
      expect(target.pathname === basePath || target.pathname.startsWith(`${basePath}/`), `${JSON.stringify(path)} → ${target.href}`).toBe(true)
      // And a server that percent-decodes the path (even more than once) does not see it climb either.
      let depth = 0
      for (const segment of decodedSegments(target.pathname.slice(basePath.length))) {
        if (segment === '..') depth--
        else if (segment !== '.' && segment !== '') depth++
        expect(depth, `${JSON.stringify(path)} → ${target.pathname} climbs once decoded`).toBeGreaterThanOrEqual(0)
        expect(segment.includes('/') || segment.includes('\\'), `${JSON.stringify(path)} hides a slash`).toBe(false)
      }
    }), { numRuns: 3000 })
  })

  it('refuses every path whose ".." segments (plain or percent-encoded, up to twice) climb above the endpoint', () => {
    const dotDot = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e', '%252E.')
    const climbing = fc.tuple(fc.array(fc.constantFrom('a', 'items', '1', '.', ''), { maxLength: 3 }), fc.array(dotDot, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('x', 'secrets'), { maxLength: 2 }))
      .filter(([down, up]) => up.length > down.filter(s => s !== '.' && s !== '').length)
      .map(([down, up, rest]) => [...down, ...up, ...rest].join('/'))
    fc.assert(fc.property(climbing, fc.boolean(), (path, slash) => {
      expect(() => normalizePath(slash ? `/${path}` : path)).toThrow(InvalidPathError)
    }), RUNS)
  })
})

// ---- options ------------------------------------------------------------------------------

const apiName = fc.oneof(fc.constantFrom('items', 'keyApi', 'my-api', '', 'constructor', '__proto__', 'toString', '1st'), fc.string({ maxLength: 8 }))
const anyValue = fc.anything({ maxDepth: 2, withNullPrototype: true, withObjectString: true })
const restEntry = fc.oneof(
  anyValue,
  fc.record({
    endpoint: fc.oneof(fc.constantFrom('https://abc.execute-api.eu-west-1.amazonaws.com/prod/', 'http://127.0.0.1:9/x', '/relative', 'ftp://x', 'https://x?q=1', ''), anyValue),
    region: fc.oneof(fc.constantFrom('eu-west-1', 'EU', ''), anyValue),
    authMode: fc.oneof(fc.constantFrom(...AUTH_MODES, 'cognito', ''), anyValue),
    token: fc.oneof(fc.constantFrom('id', 'access', 'refresh'), anyValue),
    apiKey: fc.oneof(fc.constantFrom('da2-key', '', 'a\nb'), anyValue),
    scheme: fc.oneof(fc.constantFrom('', 'Bearer', 'Basic'), anyValue),
    headers: fc.oneof(fc.dictionary(headerName, headerValue, { maxKeys: 3 }), anyValue),
    unknownKey: anyValue,
  }, { requiredKeys: [] }),
)
const authEntry = fc.oneof(anyValue, fc.record({
  region: fc.oneof(fc.constantFrom('eu-west-1', ''), anyValue),
  userPoolId: fc.oneof(fc.constantFrom('eu-west-1_abc', ''), anyValue),
  userPoolClientId: fc.oneof(fc.constantFrom('client', ''), anyValue),
  identityPoolId: fc.oneof(fc.constantFrom('eu-west-1:0c2b-1', 'no-colon', ''), anyValue),
  allowGuestAccess: fc.oneof(fc.boolean(), anyValue),
  userPoolEndpoint: fc.oneof(fc.constantFrom('http://127.0.0.1:1', 'not a url'), anyValue),
  identityPoolEndpoint: fc.oneof(fc.constantFrom('http://127.0.0.1:1', 'not a url'), anyValue),
  authFlowType: fc.oneof(fc.constantFrom('USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'CUSTOM_AUTH'), anyValue),
  userpoolid: anyValue,
}, { requiredKeys: [] }))
const moduleInput: fc.Arbitrary<unknown> = fc.oneof(
  anyValue,
  fc.record({
    auth: authEntry,
    rest: fc.oneof(anyValue, fc.dictionary(apiName, restEntry, { maxKeys: 3 })),
    defaultApi: fc.oneof(apiName, anyValue),
    ssr: anyValue,
    cookie: fc.oneof(anyValue, fc.record({ domain: anyValue, maxAge: fc.oneof(fc.integer(), anyValue), sameSite: fc.oneof(fc.constantFrom('lax', 'none', 'LAX'), anyValue) }, { requiredKeys: [] })),
    redirect: fc.oneof(anyValue, fc.record({ login: fc.oneof(fc.constantFrom('/login', '//evil', 'login'), anyValue), home: anyValue }, { requiredKeys: [] })),
    defualtApi: anyValue,
  }, { requiredKeys: [] }),
)
const outputsInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  anyValue,
  fc.record({
    auth: fc.oneof(anyValue, fc.record({ aws_region: anyValue, user_pool_id: anyValue, user_pool_client_id: anyValue, identity_pool_id: anyValue, unauthenticated_identities_enabled: anyValue }, { requiredKeys: [] })),
    custom: fc.oneof(anyValue, fc.record({ API: fc.oneof(anyValue, fc.dictionary(apiName, fc.oneof(anyValue, fc.record({ endpoint: anyValue, region: anyValue }, { requiredKeys: [] })), { maxKeys: 3 })) })),
  }, { requiredKeys: [] }),
)

function expectStrings(list: unknown) {
  expect(Array.isArray(list)).toBe(true)
  for (const entry of list as unknown[]) expect(typeof entry).toBe('string')
}

/** A valid resolved configuration, as the build writes it to runtimeConfig.public.amplify. */
function validResolved(): ResolvedOptions {
  const merged = mergeOptions({
    auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', userPoolClientId: 'client', identityPoolId: 'eu-west-1:0c2b-1' },
    rest: {
      items: { endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod', authMode: 'userPool' },
      keyApi: { endpoint: 'https://key.example.com/prod', authMode: 'apiKey', apiKey: 'da2-key', headers: { 'x-app': 'demo' } },
    },
    defaultApi: 'items',
  })
  expect(merged.problems).toEqual([])
  expect(validateOptions(merged.options)).toEqual([])
  return merged.options
}

/**
 * What NUXT_PUBLIC_AMPLIFY_* variables can make of the resolved options when the app starts:
 * Nitro's applyEnv replaces a value by the variable's destr-parsed value (string, number, boolean,
 * JSON), and merges a JSON object into an object, so any value below the key of a JSON variable,
 * null included (NUXT_PUBLIC_AMPLIFY_REST='{"items":null}'), can end up anywhere in the shape.
 */
const PATHS = [
  ['auth'], ['rest'], ['cookie'], ['redirect'], ['defaultApi'], ['ssr'],
  ['auth', 'region'], ['auth', 'identityPoolId'], ['auth', 'allowGuestAccess'], ['auth', 'authFlowType'], ['auth', 'userPoolEndpoint'],
  ['rest', 'items'], ['rest', 'keyApi'], ['rest', 'other'],
  ['rest', 'items', 'endpoint'], ['rest', 'items', 'authMode'], ['rest', 'items', 'token'], ['rest', 'items', 'headers'], ['rest', 'items', 'region'],
  ['rest', 'keyApi', 'apiKey'], ['rest', 'keyApi', 'scheme'], ['rest', 'keyApi', 'headers'],
  ['cookie', 'maxAge'], ['cookie', 'sameSite'], ['cookie', 'domain'], ['redirect', 'login'],
]
const envOverride = fc.tuple(fc.constantFrom(...PATHS), fc.jsonValue({ maxDepth: 2 }))
function applyOverride(options: ResolvedOptions, [path, value]: [string[], unknown]): void {
  let target = options as unknown as Record<string, unknown>
  for (const key of path.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) return // the parent was replaced by a primitive already
    target = target[key] as Record<string, unknown>
  }
  target[path.at(-1)!] = value
}

describe('mergeOptions + validateOptions (property)', () => {
  it('never throw on any input (raw options and outputs object); problems and warnings are strings', () => {
    fc.assert(fc.property(moduleInput, outputsInput, (input, outputs) => {
      const merged = mergeOptions(input as ModuleOptions, outputs as AmplifyOutputs)
      expectStrings(merged.problems)
      expectStrings(merged.warnings)
      expectStrings(validateOptions(merged.options))
    }), { numRuns: 2000 })
  })

  it('always yield the full resolved shape (every key present, so env variables can override it)', () => {
    fc.assert(fc.property(moduleInput, outputsInput, (input, outputs) => {
      const merged = mergeOptions(input as ModuleOptions, outputs as AmplifyOutputs)
      expect(Object.keys(merged.options).sort()).toEqual(['auth', 'cacheControl', 'cookie', 'defaultApi', 'redirect', 'rest', 'ssr'])
      expect(Object.keys(merged.options.auth).sort()).toEqual(['allowGuestAccess', 'authFlowType', 'identityPoolEndpoint', 'identityPoolId', 'region', 'userPoolClientId', 'userPoolEndpoint', 'userPoolId', 'userPoolIssuer'])
      for (const api of Object.values(merged.options.rest))
        expect(Object.keys(api).sort()).toEqual(['apiKey', 'authMode', 'endpoint', 'headers', 'region', 'scheme', 'token'])
    }), RUNS)
  })

  it('validateOptions never throws on what env overrides can make of the resolved options (app start)', () => {
    fc.assert(fc.property(fc.array(envOverride, { minLength: 1, maxLength: 4 }), (overrides) => {
      const options = validResolved()
      for (const override of overrides) applyOverride(options, override)
      expectStrings(validateOptions(options))
    }), {
      numRuns: 2000,
      // NUXT_PUBLIC_AMPLIFY_REST='{"items":null}' and NUXT_PUBLIC_AMPLIFY='{"auth":null}'.
      examples: [[[[['rest', 'items'], null]]], [[[['auth'], null]]]],
    })
  })
})
