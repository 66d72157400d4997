// What goes on the wire for one call: headers per mode × signed in/out × per-call overrides,
// the case-insensitive merge, and the path checks that keep a call under its endpoint.
import { describe, expect, it } from 'vitest'
import type { AuthMode, ResolvedRestApi } from '../../src/runtime/shared/options'
import type { CallTokens, HeaderInput } from '../../src/runtime/shared/headers'
import {
  assertUnderEndpoint, assertValidHeaders, hasOwnAuthorization, mergeHeaders, normalizePath, resolveHeaders, signingMode,
} from '../../src/runtime/shared/headers'
import {
  AmplifyRestError, InvalidHeaderError, InvalidPathError, MissingCustomTokenError, NotSignedInError,
} from '../../src/runtime/shared/errors'

const ID_TOKEN = 'eyJ.id-token.sig'
const ACCESS_TOKEN = 'eyJ.access-token.sig'
const CUSTOM_TOKEN = 'partner-token-42'
const API_KEY = 'k-123'

function api(overrides: Partial<ResolvedRestApi> = {}): ResolvedRestApi {
  return {
    endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod',
    region: 'eu-west-1',
    authMode: 'iam',
    token: 'id',
    apiKey: API_KEY,
    scheme: '',
    headers: {},
    ...overrides,
  }
}

function input(authMode: AuthMode, rest: Partial<HeaderInput> = {}, apiOverrides: Partial<ResolvedRestApi> = {}): HeaderInput {
  return { apiName: 'items', api: api({ authMode, ...apiOverrides }), authMode, ...rest }
}

/** Calls resolveHeaders and returns the thrown error (or fails when nothing is thrown). */
function thrownBy(fn: () => unknown): Error {
  try {
    fn()
  }
  catch (error) {
    return error as Error
  }
  expect.fail('expected a throw')
}

// ---------------------------------------------------------------------------------------------
// The matrix: every mode × signed in / signed out × four kinds of per-call headers.
// "signed in" means Cognito tokens (userPool) and a custom token (custom) are available.
// ---------------------------------------------------------------------------------------------
type Expected = Record<string, string> | typeof NotSignedInError | typeof MissingCustomTokenError
interface Row { override: string, call?: Record<string, string>, signedIn: Expected, signedOut: Expected, signing: 'iam' | 'none' }

const OVERRIDES = {
  'no override': undefined,
  'Authorization': { Authorization: 'Call-Auth' },
  'authorization': { authorization: 'call-auth-lc' },
  'other header': { 'X-Trace': 't1' },
} as const

const MATRIX: Record<AuthMode, Row[]> = {
  iam: [
    { override: 'no override', signedIn: {}, signedOut: {}, signing: 'iam' },
    { override: 'Authorization', signedIn: { authorization: 'Call-Auth' }, signedOut: { authorization: 'Call-Auth' }, signing: 'none' },
    { override: 'authorization', signedIn: { authorization: 'call-auth-lc' }, signedOut: { authorization: 'call-auth-lc' }, signing: 'none' },
    { override: 'other header', signedIn: { 'x-trace': 't1' }, signedOut: { 'x-trace': 't1' }, signing: 'iam' },
  ],
  apiKey: [
    { override: 'no override', signedIn: { 'x-api-key': API_KEY }, signedOut: { 'x-api-key': API_KEY }, signing: 'none' },
    { override: 'Authorization', signedIn: { 'x-api-key': API_KEY, 'authorization': 'Call-Auth' }, signedOut: { 'x-api-key': API_KEY, 'authorization': 'Call-Auth' }, signing: 'none' },
    { override: 'authorization', signedIn: { 'x-api-key': API_KEY, 'authorization': 'call-auth-lc' }, signedOut: { 'x-api-key': API_KEY, 'authorization': 'call-auth-lc' }, signing: 'none' },
    { override: 'other header', signedIn: { 'x-api-key': API_KEY, 'x-trace': 't1' }, signedOut: { 'x-api-key': API_KEY, 'x-trace': 't1' }, signing: 'none' },
  ],
  userPool: [
    { override: 'no override', signedIn: { authorization: ID_TOKEN }, signedOut: NotSignedInError, signing: 'none' },
    { override: 'Authorization', signedIn: { authorization: 'Call-Auth' }, signedOut: { authorization: 'Call-Auth' }, signing: 'none' },
    { override: 'authorization', signedIn: { authorization: 'call-auth-lc' }, signedOut: { authorization: 'call-auth-lc' }, signing: 'none' },
    { override: 'other header', signedIn: { 'authorization': ID_TOKEN, 'x-trace': 't1' }, signedOut: NotSignedInError, signing: 'none' },
  ],
  custom: [
    { override: 'no override', signedIn: { authorization: CUSTOM_TOKEN }, signedOut: MissingCustomTokenError, signing: 'none' },
    { override: 'Authorization', signedIn: { authorization: 'Call-Auth' }, signedOut: { authorization: 'Call-Auth' }, signing: 'none' },
    { override: 'authorization', signedIn: { authorization: 'call-auth-lc' }, signedOut: { authorization: 'call-auth-lc' }, signing: 'none' },
    { override: 'other header', signedIn: { 'authorization': CUSTOM_TOKEN, 'x-trace': 't1' }, signedOut: MissingCustomTokenError, signing: 'none' },
  ],
  none: [
    { override: 'no override', signedIn: {}, signedOut: {}, signing: 'none' },
    { override: 'Authorization', signedIn: { authorization: 'Call-Auth' }, signedOut: { authorization: 'Call-Auth' }, signing: 'none' },
    { override: 'authorization', signedIn: { authorization: 'call-auth-lc' }, signedOut: { authorization: 'call-auth-lc' }, signing: 'none' },
    { override: 'other header', signedIn: { 'x-trace': 't1' }, signedOut: { 'x-trace': 't1' }, signing: 'none' },
  ],
}

const SIGNED_IN: Pick<HeaderInput, 'tokens' | 'customToken'> = { tokens: { idToken: ID_TOKEN, accessToken: ACCESS_TOKEN }, customToken: CUSTOM_TOKEN }
const SIGNED_OUT: Pick<HeaderInput, 'tokens' | 'customToken'> = { tokens: {}, customToken: null }

describe('resolveHeaders: mode × session × per-call headers', () => {
  for (const [mode, rows] of Object.entries(MATRIX) as [AuthMode, Row[]][]) {
    describe(mode, () => {
      for (const row of rows) {
        for (const [session, state] of [['signed in', SIGNED_IN], ['signed out', SIGNED_OUT]] as const) {
          const expected = session === 'signed in' ? row.signedIn : row.signedOut
          const callHeaders = OVERRIDES[row.override as keyof typeof OVERRIDES]
          const run = () => resolveHeaders(input(mode, { ...state, callHeaders: callHeaders && { ...callHeaders } }))
          if (typeof expected === 'function') {
            it(`${session}, ${row.override}: throws ${expected.name} before anything is sent`, () => {
              const error = thrownBy(run)
              expect(error).toBeInstanceOf(expected)
              expect(error).toBeInstanceOf(AmplifyRestError)
              expect(error.message).toContain('"items"')
            })
          }
          else {
            it(`${session}, ${row.override}: sends ${JSON.stringify(expected)}, signing ${row.signing}`, () => {
              const headers = run()
              expect(headers).toEqual(expected)
              expect(signingMode(mode, headers)).toBe(row.signing)
            })
          }
        }
      }
    })
  }
})

describe('resolveHeaders: mode details', () => {
  describe('userPool', () => {
    it('sends the ID token by default and the access token with token: "access", raw', () => {
      expect(resolveHeaders(input('userPool', SIGNED_IN))).toEqual({ authorization: ID_TOKEN })
      expect(resolveHeaders(input('userPool', SIGNED_IN, { token: 'access' }))).toEqual({ authorization: ACCESS_TOKEN })
    })

    it('prefixes the token with scheme "Bearer"', () => {
      expect(resolveHeaders(input('userPool', SIGNED_IN, { scheme: 'Bearer' }))).toEqual({ authorization: `Bearer ${ID_TOKEN}` })
      expect(resolveHeaders(input('userPool', SIGNED_IN, { scheme: 'Bearer', token: 'access' }))).toEqual({ authorization: `Bearer ${ACCESS_TOKEN}` })
    })

    it('does not prefix a call\'s own Authorization', () => {
      expect(resolveHeaders(input('userPool', { ...SIGNED_IN, callHeaders: { Authorization: 'mine' } }, { scheme: 'Bearer' }))).toEqual({ authorization: 'mine' })
    })

    it('needs the token it sends: an access-token API with only an ID token is signed out', () => {
      const error = thrownBy(() => resolveHeaders(input('userPool', { tokens: { idToken: ID_TOKEN } }, { token: 'access' })))
      expect(error).toBeInstanceOf(NotSignedInError)
    })

    it('signed out, without tokens at all: NotSignedInError with its name, the API and the mode', () => {
      const error = thrownBy(() => resolveHeaders({ apiName: 'orders', api: api({ authMode: 'userPool' }), authMode: 'userPool' }))
      expect(error).toBeInstanceOf(NotSignedInError)
      expect(error.name).toBe('NotSignedInError')
      expect((error as NotSignedInError).apiName).toBe('orders')
      expect(error.message).toContain('"orders"')
      expect(error.message).toContain('"userPool"')
    })

    it('an empty Authorization of the call is not a token of its own', () => {
      expect(thrownBy(() => resolveHeaders(input('userPool', { ...SIGNED_OUT, callHeaders: { Authorization: '' } })))).toBeInstanceOf(NotSignedInError)
    })

    it('an empty Authorization of the call drops the mode\'s token', () => {
      expect(resolveHeaders(input('userPool', { ...SIGNED_IN, callHeaders: { Authorization: '' } }))).toEqual({})
    })
  })

  describe('custom', () => {
    it('sends exactly the token, or with scheme "Bearer" prefixed', () => {
      expect(resolveHeaders(input('custom', { customToken: CUSTOM_TOKEN }))).toEqual({ authorization: CUSTOM_TOKEN })
      expect(resolveHeaders(input('custom', { customToken: CUSTOM_TOKEN }, { scheme: 'Bearer' }))).toEqual({ authorization: `Bearer ${CUSTOM_TOKEN}` })
    })

    it.each([
      ['undefined', undefined],
      ['null', null],
      ['empty', ''],
    ])('without a token (%s): MissingCustomTokenError with its name and a hint', (_, customToken) => {
      const error = thrownBy(() => resolveHeaders(input('custom', { customToken })))
      expect(error).toBeInstanceOf(MissingCustomTokenError)
      expect(error.name).toBe('MissingCustomTokenError')
      expect(error.message).toContain('"items"')
      expect(error.message).toContain('setCustomToken')
    })

    it('does not read Cognito tokens', () => {
      expect(thrownBy(() => resolveHeaders(input('custom', { tokens: SIGNED_IN.tokens })))).toBeInstanceOf(MissingCustomTokenError)
    })

    it('refuses a token with CR/LF without putting it in the message', () => {
      const error = thrownBy(() => resolveHeaders(input('custom', { customToken: 'secret\r\nX-Evil: 1' })))
      expect(error).toBeInstanceOf(InvalidHeaderError)
      expect(error.message).not.toContain('secret')
    })
  })

  describe('apiKey', () => {
    it('lets the call override the key, case-insensitively', () => {
      expect(resolveHeaders(input('apiKey', { callHeaders: { 'X-API-KEY': 'other' } }))).toEqual({ 'x-api-key': 'other' })
    })
  })

  describe('per-call mode switch', () => {
    it('a userPool API called with authMode "none" needs no session and sends no token', () => {
      const headers = resolveHeaders({ apiName: 'items', api: api({ authMode: 'userPool' }), authMode: 'none', tokens: {} })
      expect(headers).toEqual({})
      expect(signingMode('none', headers)).toBe('none')
    })

    it('an iam API called with authMode "apiKey" sends the API\'s key unsigned', () => {
      const headers = resolveHeaders({ apiName: 'items', api: api({ authMode: 'iam' }), authMode: 'apiKey' })
      expect(headers).toEqual({ 'x-api-key': API_KEY })
      expect(signingMode('apiKey', headers)).toBe('none')
    })
  })

  describe('static headers of the API', () => {
    it('are sent lower-cased; the call\'s win over them and they win over the mode\'s', () => {
      const headers = resolveHeaders(input('userPool', { ...SIGNED_IN, callHeaders: { 'x-trace': 'call' } }, {
        headers: { 'X-Trace': 'static', 'X-Team': 'a', 'Authorization': 'static-auth' },
      }))
      expect(headers).toEqual({ 'x-trace': 'call', 'x-team': 'a', 'authorization': 'static-auth' })
    })

    it('an iam API with a static Authorization is not signed', () => {
      const headers = resolveHeaders(input('iam', {}, { headers: { Authorization: 'static' } }))
      expect(signingMode('iam', headers)).toBe('none')
    })
  })
})

describe('mergeHeaders', () => {
  it('lower-cases every name; later layers win case-insensitively', () => {
    expect(mergeHeaders({ 'Content-Type': 'a', 'X-One': '1' }, { 'CONTENT-TYPE': 'b' }, { 'content-type': 'c' }))
      .toEqual({ 'content-type': 'c', 'x-one': '1' })
  })

  it('keeps exactly one authorization key, the call\'s', () => {
    const merged = mergeHeaders({ Authorization: 'mode' }, { AUTHORIZATION: 'static' }, { authorization: 'call' })
    expect(Object.keys(merged).filter(k => k.toLowerCase() === 'authorization')).toEqual(['authorization'])
    expect(merged.authorization).toBe('call')
  })

  it('drops an empty Authorization, also when it replaces a token', () => {
    expect(mergeHeaders({ Authorization: '' })).toEqual({})
    expect(mergeHeaders({ authorization: 'token' }, { Authorization: '' })).toEqual({})
  })

  it('keeps other empty values', () => {
    expect(mergeHeaders({ 'X-Empty': '' })).toEqual({ 'x-empty': '' })
  })

  it('skips undefined values: they neither send nor erase a header', () => {
    expect(mergeHeaders({ 'X-Trace': 'keep' }, { 'X-Trace': undefined, 'X-None': undefined })).toEqual({ 'x-trace': 'keep' })
  })

  it('skips missing layers', () => {
    expect(mergeHeaders(undefined, { A: '1' }, undefined)).toEqual({ a: '1' })
  })

  it.each([
    ['CR', 'secret-token\rX-Evil: 1'],
    ['LF', 'secret-token\nX-Evil: 1'],
    ['CRLF', 'secret-token\r\n\r\nbody'],
    ['NUL', 'secret-token\0'],
  ])('refuses a value with %s: InvalidHeaderError naming the header, never the value', (_, value) => {
    const error = thrownBy(() => mergeHeaders({ 'X-Ok': 'fine' }, { Authorization: value }))
    expect(error).toBeInstanceOf(InvalidHeaderError)
    expect(error).toBeInstanceOf(AmplifyRestError)
    expect(error.name).toBe('InvalidHeaderError')
    expect((error as InvalidHeaderError).header).toBe('Authorization')
    expect(error.message).toContain('"Authorization"')
    expect(error.message).toContain('CR, LF or NUL')
    expect(error.message).not.toContain('secret-token')
  })

  it.each([
    ['number', 5],
    ['null', null],
    ['object', { a: 1 }],
    ['array', ['a']],
    ['boolean', true],
  ])('refuses a %s value with InvalidHeaderError', (_, value) => {
    const error = thrownBy(() => mergeHeaders({ 'X-Value': value }))
    expect(error).toBeInstanceOf(InvalidHeaderError)
    expect(error.message).toContain('"X-Value"')
    expect(error.message).toContain('expected a string')
  })

  it.each(['X Trace', 'X-Trace:', 'X-Träce', 'X\r\nEvil', '', '(x)'])('refuses the header name %j with InvalidHeaderError', (name) => {
    const error = thrownBy(() => mergeHeaders({ [name]: 'v' }))
    expect(error).toBeInstanceOf(InvalidHeaderError)
    expect(error.message).toContain('invalid name')
  })

  it('assertValidHeaders checks headers a hook changed, the same way', () => {
    expect(assertValidHeaders({ 'X-Hook': 'ok' })).toEqual({ 'x-hook': 'ok' })
    expect(() => assertValidHeaders({ 'X-Hook': 'a\nb' })).toThrow(InvalidHeaderError)
  })

  it('resolveHeaders refuses a call header with LF or a non-string value, without leaking the value', () => {
    const error = thrownBy(() => resolveHeaders(input('iam', { callHeaders: { Authorization: 'AWS4 secret\nX: y' } })))
    expect(error).toBeInstanceOf(InvalidHeaderError)
    expect(error.message).not.toContain('secret')
    expect(() => resolveHeaders(input('none', { callHeaders: { 'X-N': 3 } }))).toThrow(InvalidHeaderError)
  })
})

describe('hasOwnAuthorization', () => {
  it.each([
    [undefined, false],
    [{}, false],
    [{ 'X-Trace': 'a' }, false],
    [{ Authorization: '' }, false],
    [{ authorization: undefined }, false],
    [{ authorization: 5 }, false],
    [{ Authorization: 'x' }, true],
    [{ AUTHORIZATION: 'x' }, true],
    [{ aUtHoRiZaTiOn: 'x' }, true],
  ])('%j → %s', (headers, expected) => {
    expect(hasOwnAuthorization(headers as Record<string, unknown> | undefined)).toBe(expected)
  })
})

describe('signingMode', () => {
  it.each([
    ['iam', {}, 'iam'],
    ['iam', { 'x-api-key': 'k' }, 'iam'],
    ['iam', { authorization: 'x' }, 'none'],
    ['apiKey', {}, 'none'],
    ['userPool', { authorization: 't' }, 'none'],
    ['custom', { authorization: 't' }, 'none'],
    ['none', {}, 'none'],
  ] as const)('%s with %j → %s', (mode, headers, expected) => {
    expect(signingMode(mode, headers)).toBe(expected)
  })
})

describe('normalizePath', () => {
  it.each([
    ['items', '/items'],
    ['/items', '/items'],
    ['items/1', '/items/1'],
    ['items?limit=10&x=../..', '/items?limit=10&x=../..'],
    ['/items?q=a%20b#frag', '/items?q=a%20b#frag'],
    ['a/../b', '/a/../b'],
    ['a/./b', '/a/./b'],
    ['./items', '/./items'],
    ['items/%2e%2e', '/items/%2e%2e'],
    ['/items:batch', '/items:batch'],
    ['', ''],
  ])('%j → %j', (path, expected) => {
    expect(normalizePath(path)).toBe(expected)
  })

  it('treats "items" and "/items" the same', () => {
    expect(normalizePath('items')).toBe(normalizePath('/items'))
  })

  it.each([
    ['a full URL', 'https://evil.example/x'],
    ['an upper-case scheme', 'HTTP://x'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/plain,x'],
    ['a protocol-relative path', '//evil.example/x'],
    ['three slashes', '///evil.example/x'],
    ['a backslash', '\\\\evil.example\\x'],
    ['a backslash after a slash', '/\\evil.example'],
    ['a tab', 'items\t1'],
    ['a newline', 'items\n1'],
    ['a NUL', 'items\0'],
    ['DEL', 'items\x7F'],
    ['".." at the start', '../x'],
    ['".." alone', '..'],
    ['"/.." at the start', '/../x'],
    ['".." climbing out after going in', 'a/../../x'],
    ['percent-encoded ".."', '%2e%2e/x'],
    ['upper-case percent-encoded ".."', '%2E%2E/x'],
    ['double-encoded ".."', '%252e%252e/x'],
    ['half-encoded ".."', '.%2E/x'],
    ['encoded ".." deeper', 'a/%2e%2e/%2e%2e/x'],
    ['an encoded slash', '%2F%2Fevil.example/x'],
    ['encoded slashes with ".."', 'a/..%2F..%2Fx'],
    ['an encoded backslash', '%5C%5Cevil.example'],
    ['malformed percent-encoding', 'items/%zz'],
  ])('refuses %s (%j) with InvalidPathError', (_, path) => {
    const error = thrownBy(() => normalizePath(path))
    expect(error).toBeInstanceOf(InvalidPathError)
    expect(error).toBeInstanceOf(AmplifyRestError)
    expect(error.name).toBe('InvalidPathError')
    expect((error as InvalidPathError).path).toBe(path)
    expect(error.message).toContain('expected a path relative to the API\'s endpoint')
  })

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 1],
    ['an object', { path: 'items' }],
  ])('refuses %s with InvalidPathError', (_, path) => {
    expect(() => normalizePath(path)).toThrow(InvalidPathError)
  })

  it('refuses paths encoded more times than a server would decode', () => {
    expect(() => normalizePath('%2525252e')).toThrow(InvalidPathError)
  })
})

describe('assertUnderEndpoint', () => {
  const endpoint = 'https://abc.execute-api.eu-west-1.amazonaws.com/prod'

  it.each([
    `${endpoint}`,
    `${endpoint}/`,
    `${endpoint}/items`,
    `${endpoint}/items/1?x=1`,
  ])('accepts %s', (url) => {
    expect(() => assertUnderEndpoint(endpoint, url)).not.toThrow()
    expect(() => assertUnderEndpoint(endpoint, new URL(url))).not.toThrow()
  })

  it('accepts anything on the origin of an endpoint without path, and endpoints with a trailing slash', () => {
    expect(() => assertUnderEndpoint('https://api.example.com', 'https://api.example.com/x/y')).not.toThrow()
    expect(() => assertUnderEndpoint(`${endpoint}/`, `${endpoint}/items`)).not.toThrow()
  })

  it.each([
    ['another host', 'https://evil.example/prod/items'],
    ['another scheme', 'http://abc.execute-api.eu-west-1.amazonaws.com/prod/items'],
    ['another port', 'https://abc.execute-api.eu-west-1.amazonaws.com:8443/prod/items'],
    ['a sibling path', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod2'],
    ['a sibling path below', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod2/items'],
    ['the parent', 'https://abc.execute-api.eu-west-1.amazonaws.com/'],
    ['a path climbing out', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/../stage/items'],
    ['an encoded climb', 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/%2e%2e/stage'],
  ])('refuses %s with InvalidPathError', (_, url) => {
    const error = thrownBy(() => assertUnderEndpoint(endpoint, url))
    expect(error).toBeInstanceOf(InvalidPathError)
    expect(error.message).toContain('resolves outside the endpoint https://abc.execute-api.eu-west-1.amazonaws.com/prod')
  })
})

// ---------------------------------------------------------------------------------------------
// Property-style: random header layers (names and values with control characters) through
// mergeHeaders, with a seeded generator so a failure is reproducible from its seed.
// ---------------------------------------------------------------------------------------------
function mulberry32(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const TOKEN_CHARS = 'abcxyzABCXYZ0129-_.!#$%&\'*+^`|~'
const BAD_NAME_CHARS = [' ', ':', '\r', '\n', '\0', '(', '"', 'é', '/']
const VALUE_CHARS = ['a', 'Z', '5', ' ', '\t', '=', ';', ',', 'é', '\r', '\n', '\0', '\x01', '\x7F']
const KNOWN_NAMES = ['Authorization', 'X-Api-Key', 'Content-Type', 'X-Trace']
const VALID_NAME = /^[!#$%&'*+\-.^\w`|~]+$/

describe('property: mergeHeaders with random layers', () => {
  const SEED = 20240601
  const RUNS = 2000
  const random = mulberry32(SEED)
  const int = (n: number) => Math.floor(random() * n)
  const pickOne = <T>(items: readonly T[]): T => items[int(items.length)]!
  const randomCase = (s: string) => [...s].map(c => (random() < 0.5 ? c.toLowerCase() : c.toUpperCase())).join('')

  function randomName(): string {
    const roll = random()
    if (roll < 0.4) return randomCase(pickOne(KNOWN_NAMES))
    let name = Array.from({ length: 1 + int(8) }, () => pickOne([...TOKEN_CHARS])).join('')
    if (roll > 0.9) {
      const at = int(name.length + 1)
      name = name.slice(0, at) + pickOne(BAD_NAME_CHARS) + name.slice(at)
    }
    return name
  }

  function randomValue(): unknown {
    const roll = random()
    if (roll < 0.05) return undefined
    if (roll < 0.08) return pickOne([42, null, true, {}])
    const clean = roll < 0.6
    return Array.from({ length: int(12) }, () => {
      const c = pickOne(VALUE_CHARS)
      return clean && /[\r\n\0]/.test(c) ? 'x' : c
    }).join('')
  }

  /** Independent of the source: is this entry one that must be refused? */
  function mustRefuse(name: string, value: unknown): boolean {
    if (value === undefined) return false
    // Refused: CR, LF, NUL and the other control characters, and anything outside Latin-1 (fetch would reject it).
    return !VALID_NAME.test(name) || name.toLowerCase() === '__proto__' || typeof value !== 'string' || /[^\t\x20-\x7E\x80-\xFF]/.test(value)
  }

  it(`${RUNS} runs (seed ${SEED}): refuses exactly the bad entries; a call override always wins`, () => {
    let refused = 0
    let accepted = 0
    for (let run = 0; run < RUNS; run++) {
      const layers = Array.from({ length: 1 + int(3) }, () => {
        const layer: Record<string, unknown> = {}
        for (let i = int(5); i > 0; i--) layer[randomName()] = randomValue()
        return layer
      })
      const overrideName = randomCase(pickOne(KNOWN_NAMES))
      const overrideValue = `call-${run}-${Array.from({ length: 1 + int(6) }, () => pickOne(['a', 'Z', ' ', '\t', '='])).join('')}`
      // The call layer may carry random headers too; its override is its only key for that name, in any case.
      const callExtras = Object.entries(random() < 0.5 ? layers.pop() ?? {} : {})
        .filter(([key]) => key.toLowerCase() !== overrideName.toLowerCase())
      const call: Record<string, unknown> = { ...Object.fromEntries(callExtras), [overrideName]: overrideValue }
      const all = [...layers, call]
      const bad = all.flatMap(layer => Object.entries(layer)).filter(([name, value]) => mustRefuse(name, value))
      const context = `run ${run}: ${JSON.stringify(all)}`

      let merged: Record<string, string> | undefined
      let error: unknown
      try {
        merged = mergeHeaders(...all)
      }
      catch (e) {
        error = e
      }

      if (bad.length) {
        refused++
        expect(error, context).toBeInstanceOf(InvalidHeaderError)
        expect((error as Error).name, context).toBe('InvalidHeaderError')
        // A value is never echoed: the message has no control characters unless the name itself had them.
        const [badName, badValue] = bad[0]!
        if (VALID_NAME.test(badName) && typeof badValue === 'string' && badValue.length > 0)
          expect((error as Error).message, context).not.toContain(badValue)
        continue
      }
      accepted++
      expect(error, context).toBeUndefined()
      for (const [name, value] of Object.entries(merged!)) {
        expect(name, context).toBe(name.toLowerCase())
        expect(typeof value, context).toBe('string')
        expect(/[\r\n\0]/.test(value), context).toBe(false)
      }
      const matching = Object.keys(merged!).filter(k => k.toLowerCase() === overrideName.toLowerCase())
      expect(matching, context).toEqual([overrideName.toLowerCase()])
      expect(merged![overrideName.toLowerCase()], context).toBe(overrideValue)
      expect(merged!.authorization, context).not.toBe('')
    }
    // Both branches were exercised.
    expect(refused).toBeGreaterThan(RUNS / 10)
    expect(accepted).toBeGreaterThan(RUNS / 10)
  })

  it(`resolveHeaders (seed ${SEED + 1}): a call's Authorization in any case wins in every mode`, () => {
    const rnd = mulberry32(SEED + 1)
    const modes: AuthMode[] = ['iam', 'apiKey', 'userPool', 'custom', 'none']
    for (let run = 0; run < 500; run++) {
      const mode = modes[Math.floor(rnd() * modes.length)]!
      const name = [...'authorization'].map(c => (rnd() < 0.5 ? c.toUpperCase() : c)).join('')
      const value = `own-${run}`
      const tokens: CallTokens = rnd() < 0.5 ? { idToken: ID_TOKEN, accessToken: ACCESS_TOKEN } : {}
      const customToken = rnd() < 0.5 ? CUSTOM_TOKEN : null
      const staticHeaders: Record<string, string> = rnd() < 0.5 ? { Authorization: 'static' } : {}
      const headers = resolveHeaders(input(mode, { tokens, customToken, callHeaders: { [name]: value } }, { headers: staticHeaders }))
      const context = `run ${run}: ${mode} ${name}`
      expect(Object.keys(headers).filter(k => k.toLowerCase() === 'authorization'), context).toEqual(['authorization'])
      expect(headers.authorization, context).toBe(value)
      expect(signingMode(mode, headers), context).toBe('none')
    }
  })
})

describe('normalizePath and whitespace at the ends', () => {
  // URL parsers strip it from a URL's ends: '.. ' at the end of a path would climb like '..'.
  it.each(['.. ', 'items/.. ', ' items', 'items\u00A0', '%2e%2e '])('refuses %j', (path) => {
    expect(() => normalizePath(path)).toThrow(InvalidPathError)
  })
  it('keeps inner spaces', () => {
    expect(normalizePath('items/a b')).toBe('/items/a b')
  })
})

describe('forbidden and hop-by-hop request headers', () => {
  // Browsers drop these while Node sends them: refused everywhere, so browser and SSR send the same request.
  it.each([
    'Host', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Keep-Alive', 'Upgrade', 'TE', 'Trailer', 'Expect',
    'Cookie', 'Cookie2', 'Set-Cookie', 'Date', 'Origin', 'Referer', 'Via', 'DNT', 'Accept-Encoding', 'Accept-Charset',
    'Access-Control-Request-Method', 'Access-Control-Request-Headers', 'Proxy-Authorization', 'proxy-connection',
    'Sec-Fetch-Site', 'HOST', 'cookie',
  ])('refuses %s per call with InvalidHeaderError naming it', (name) => {
    const error = thrownBy(() => resolveHeaders(input('userPool', { tokens: { idToken: ID_TOKEN }, callHeaders: { [name]: 'session=abc' } })))
    expect(error).toBeInstanceOf(InvalidHeaderError)
    expect((error as InvalidHeaderError).header).toBe(name)
    expect(error.message).toContain(`"${name}"`)
    expect(error.message).toContain('forbidden request header')
    expect(error.message).not.toContain('session=abc')
  })

  it('refuses them in the API\'s static headers and in what a hook returns', () => {
    expect(() => resolveHeaders(input('none', {}, { headers: { Connection: 'close' } }))).toThrow(/"Connection" is a forbidden request header/)
    expect(() => assertValidHeaders({ 'transfer-encoding': 'chunked' })).toThrow(InvalidHeaderError)
  })

  it('refuses a method override to CONNECT, TRACE or TRACK, and allows other methods', () => {
    expect(() => mergeHeaders({ 'X-HTTP-Method-Override': 'trace' })).toThrow(/forbidden method/)
    expect(() => mergeHeaders({ 'X-Method-Override': 'GET, CONNECT' })).toThrow(InvalidHeaderError)
    expect(mergeHeaders({ 'X-HTTP-Method-Override': 'PATCH' })).toEqual({ 'x-http-method-override': 'PATCH' })
  })

  it('keeps ordinary headers, including look-alikes of forbidden names', () => {
    expect(mergeHeaders({ 'Content-Type': 'a', 'Accept': 'b', 'X-Host': 'c', 'Cookies-Accepted': 'd', 'Authorization': 'e', 'X-Forwarded-For': 'f' }))
      .toEqual({ 'content-type': 'a', 'accept': 'b', 'x-host': 'c', 'cookies-accepted': 'd', 'authorization': 'e', 'x-forwarded-for': 'f' })
  })

  it('an undefined value of a forbidden name is skipped like any undefined header', () => {
    expect(mergeHeaders({ Cookie: undefined, A: '1' })).toEqual({ a: '1' })
  })
})

describe('normalizePath and ";" path parameters on dot segments', () => {
  // Tomcat, Jetty and Spring strip ";params" before resolving dots, so "..;" climbs there.
  it.each([
    ['..;/..;/admin'],
    ['/..;/admin'],
    ['items/..;jsessionid=x/..;/x'],
    ['a/..;'],
    ['%2e%2e;/admin'],
    ['%2E%2E%3B/admin'],
    ['..%3b/admin'],
    ['%252e%252e%253b/x'],
    ['.;/../x'],
    ['.;x/..'],
    ['%2e;/x'],
  ])('refuses %j with InvalidPathError', (path) => {
    const error = thrownBy(() => normalizePath(path))
    expect(error).toBeInstanceOf(InvalidPathError)
    expect(error.message).toContain('";" parameter')
    expect((error as InvalidPathError).path).toBe(path)
  })

  it('counts a segment that is only ";parameters" as empty: ";x/.." climbs', () => {
    expect(() => normalizePath(';x/../admin')).toThrow(/climbs above/)
    expect(() => normalizePath('%3b/..')).toThrow(InvalidPathError)
  })

  it.each([
    ['items;v=1', '/items;v=1'],
    ['items/1;rev=2/x', '/items/1;rev=2/x'],
    ['...;x', '/...;x'],
    ['a..;', '/a..;'],
    ['items?q=..;', '/items?q=..;'],
    ['a;x/b', '/a;x/b'],
  ])('keeps %j (no dot segment) → %j', (path, expected) => {
    expect(normalizePath(path)).toBe(expected)
  })
})
