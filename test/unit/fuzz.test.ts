// Property tests (fast-check) of the pure logic every call and every build goes through:
// header merging and per-mode headers, the path check, and option merging/validation.
//  - headers and paths: never throw anything but the module's typed errors (AmplifyRestError
//    subclasses); never emit a header value with CR, LF or NUL; a call's own Authorization (any
//    letter case) always wins and is the only authorization header; an accepted path appended to
//    an endpoint never resolves outside the endpoint's path or to another origin, also for a
//    server that decodes it again or drops ";parameters" before resolving dots (Tomcat, Jetty).
//  - options: merging and validating never throw at all; problems come back as strings.
// Every property runs twice: on FIXED_SEED (the same cases on every run) and on a rotating seed
// (new cases on every run), printed at the start; FUZZ_SEED=<integer> replays it. A property whose
// check only applies to inputs the module accepts draws mostly such inputs (instead of discarding
// the refused ones) and fails when fewer than MIN_REACHED of its runs got to that check.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AmplifyRestError, InvalidHeaderError, InvalidPathError, InvalidRequestError, MissingCustomTokenError, NotSignedInError } from '../../src/runtime/shared/errors'
import { FORBIDDEN_HEADERS, mergeHeaders, normalizePath, resolveHeaders } from '../../src/runtime/shared/headers'
import type { HeaderInput } from '../../src/runtime/shared/headers'
import { AUTH_MODES } from '../../src/runtime/shared/option-types'
import { mergeOptions } from '../../src/options'
import { validateOptions } from '../../src/runtime/shared/validate-options'
import type { AmplifyOutputs, ModuleOptions, ResolvedOptions, ResolvedRestApi } from '../../src/runtime/shared/option-types'

const RUNS = { numRuns: 1000 }
const MIN_REACHED = 0.9
const FIXED_SEED = 20_261_201

function rotatingSeed(): number {
  const raw = process.env.FUZZ_SEED
  if (raw === undefined || raw === '') return Date.now() % 2 ** 31
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new Error(`FUZZ_SEED is ${JSON.stringify(raw)}; expected an integer (the seed a failed run printed)`)
  return Number(raw)
}
const ROTATING_SEED = rotatingSeed()
const SEEDS = [['fixed', FIXED_SEED], ['rotating', ROTATING_SEED]] as const
console.log(`fuzz.test.ts: fixed seed ${FIXED_SEED}, rotating seed ${ROTATING_SEED} (replay with FUZZ_SEED=${ROTATING_SEED})`)

/**
 * Checks a property on both seeds (fast-check names the seed and path of a failure). The predicate
 * calls `reached()` once it got past its precondition to the check the property is about; with
 * `minReached`, the test fails when a smaller share of runs got there (a property that mostly
 * discards its input cannot catch a bug).
 */
function assertSeeded<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T, reached: () => void) => void, params: Omit<fc.Parameters<[T]>, 'seed'> & { minReached?: number } = RUNS): void {
  const { minReached, ...parameters } = params
  for (const [label, seed] of SEEDS) {
    let runs = 0
    let hits = 0
    fc.assert(fc.property(arbitrary, (value) => {
      runs++
      predicate(value, () => {
        hits++
      })
    }), { ...parameters, seed })
    if (minReached !== undefined)
      expect(hits / runs, `${label} seed ${seed}: only ${hits} of ${runs} runs reached the check`).toBeGreaterThanOrEqual(minReached)
  }
}

/** Inputs the module must accept, tagged `valid` (by default 19 in 20), and arbitrary ones it may refuse. */
function mostlyValid<T>(valid: fc.Arbitrary<T>, arbitrary: fc.Arbitrary<T>, validWeight = 19): fc.Arbitrary<{ input: T, valid: boolean }> {
  return fc.oneof(
    { arbitrary: valid.map(input => ({ input, valid: true })), weight: validWeight },
    { arbitrary: arbitrary.map(input => ({ input, valid: false })), weight: 1 },
  )
}
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

/** Names refused whatever their value: Fetch's forbidden request headers, hop-by-hop, Proxy-*, Sec-*, method overrides. */
function isForbiddenName(name: string): boolean {
  const lower = name.toLowerCase()
  return FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-') || /^x-(?:http-)?method(?:-override)?$/.test(lower)
}

// What the module must accept: token-character names (not __proto__, not forbidden), single-line Latin-1 values.
const validName = fc.oneof(
  { arbitrary: validHeaderName.filter(name => name.toLowerCase() !== '__proto__' && !isForbiddenName(name)), weight: 6 },
  { arbitrary: fc.constantFrom('x-api-key', 'X-Api-Key', 'content-type', 'constructor', 'toString', 'hasOwnProperty'), weight: 2 },
  { arbitrary: authorizationName, weight: 1 },
)
const latin1Value = fc.string({ unit: fc.integer({ min: 0x20, max: 0xFF }).filter(code => code !== 0x7F).map(code => String.fromCharCode(code)), maxLength: 16 })
const validValue = fc.oneof({ arbitrary: safeValue, weight: 4 }, { arbitrary: latin1Value, weight: 1 })
const nonEmptyValue = validValue.filter(value => value !== '')
const validLayer = fc.dictionary(validName, fc.oneof({ arbitrary: validValue, weight: 6 }, { arbitrary: fc.constant(undefined), weight: 1 }), { maxKeys: 6 })
const maybeValidLayer = fc.option(validLayer, { nil: undefined })

/** An input resolveHeaders must accept: valid headers, and whatever the call's mode needs (token, custom token, API key). */
const validHeaderInput: fc.Arbitrary<HeaderInput> = fc.constantFrom(...AUTH_MODES).chain(authMode => fc.record({
  apiName: fc.constantFrom('items', 'partner'),
  api: fc.record({
    endpoint: fc.constant('https://abc.execute-api.eu-west-1.amazonaws.com/prod'),
    region: fc.constant('eu-west-1'),
    authMode: fc.constantFrom(...AUTH_MODES),
    token: fc.constantFrom('id' as const, 'access' as const),
    apiKey: authMode === 'apiKey' ? nonEmptyValue : fc.oneof(validValue, injectedValue),
    scheme: fc.constantFrom('' as const, 'Bearer' as const),
    headers: fc.dictionary(validName, validValue, { maxKeys: 4 }),
  }),
  authMode: fc.constant(authMode),
  tokens: authMode === 'userPool'
    ? fc.record({ idToken: nonEmptyValue, accessToken: nonEmptyValue })
    : fc.option(fc.record({ idToken: fc.option(nonEmptyValue, { nil: undefined }), accessToken: fc.option(nonEmptyValue, { nil: undefined }) }), { nil: undefined }),
  customToken: authMode === 'custom' ? nonEmptyValue : fc.option(nonEmptyValue, { nil: null }),
  callHeaders: maybeValidLayer,
}))

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
    // Half valid headers, half arbitrary ones: both the refusal and the returned headers get checked.
    assertSeeded(mostlyValid(fc.array(maybeValidLayer, { maxLength: 4 }), fc.array(maybeLayer, { maxLength: 4 }), 1), ({ input: layers, valid }, reached) => {
      const { value, error } = typedOutcome(() => mergeHeaders(...layers))
      if (error) {
        expect(valid, `valid headers were refused: ${error.message}`).toBe(false)
        expect(error).toBeInstanceOf(InvalidHeaderError)
        return
      }
      reached()
      expectWellFormed(value!)
    }, { ...RUNS, minReached: 0.4 })
  })

  it('refuses every layer that holds a CR, LF or NUL value, whatever the name\'s case or position', () => {
    assertSeeded(fc.tuple(maybeLayer, maybeLayer, validHeaderName, injectedValue, fc.boolean()), ([before, after, name, bad, first]) => {
      const poisoned = { [name]: bad }
      const layers = first ? [poisoned, before, after] : [before, after, poisoned]
      expect(() => mergeHeaders(...layers)).toThrow(AmplifyRestError)
    })
  })

  it('the last layer\'s Authorization (any case) wins over every earlier one', () => {
    const layers = mostlyValid(fc.array(maybeValidLayer, { maxLength: 3 }), fc.array(maybeLayer, { maxLength: 3 }))
    assertSeeded(fc.tuple(layers, authorizationName, safeValue.filter(v => v.trim() === v && v !== '')), ([{ input, valid }, name, token], reached) => {
      const { value, error } = typedOutcome(() => mergeHeaders(...input, { [name]: token }))
      if (error) {
        // An earlier layer held a bad header: refused as a whole, nothing to compare.
        expect(valid, `valid headers were refused: ${error.message}`).toBe(false)
        return
      }
      reached()
      expect(value!.authorization).toBe(token)
      expect(Object.keys(value!).filter(n => n.toLowerCase() === 'authorization')).toEqual(['authorization'])
    }, { ...RUNS, minReached: MIN_REACHED })
  })
})

describe('resolveHeaders (property)', () => {
  it('throws only the typed errors; never emits CR/LF/NUL; at most one authorization header', () => {
    // Half valid inputs, half arbitrary ones: both the refusal and the returned headers get checked.
    assertSeeded(mostlyValid(validHeaderInput, headerInput, 1), ({ input, valid }, reached) => {
      const { value, error } = typedOutcome(() => resolveHeaders(input))
      if (error) {
        expect(valid, `a valid input was refused: ${error.message}`).toBe(false)
        expect(TYPED_HEADER_ERRORS).toContain(error.name)
        return
      }
      reached()
      expectWellFormed(value!)
    }, { ...RUNS, minReached: 0.4 })
  })

  it('a call\'s own Authorization (any letter case) always wins, in every mode, signed in or not', () => {
    const withOverride = fc.tuple(mostlyValid(validHeaderInput, headerInput), authorizationName, safeValue.filter(v => v !== '')).map(([{ input, valid }, name, token]) => ({
      valid,
      input: { ...input, callHeaders: { ...input.callHeaders, [name]: token } },
    }))
    assertSeeded(withOverride, ({ input, valid }, reached) => {
      const override = lastAuthorization(input.callHeaders)
      const { value, error } = typedOutcome(() => resolveHeaders(input))
      if (error) {
        expect(valid, `a valid input was refused: ${error.message}`).toBe(false)
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
      reached()
      expectWellFormed(value!)
      if (override.value === '') expect(value!).not.toHaveProperty('authorization')
      else expect(value!.authorization).toBe(override.value)
      expect(Object.keys(value!).filter(n => n.toLowerCase() === 'authorization').length).toBe(override.value === '' ? 0 : 1)
    }, { ...RUNS, minReached: MIN_REACHED })
  })

  it('without a call override, userPool and custom send the mode\'s token (with the scheme), apiKey the key, none and iam no authorization', () => {
    const noAuthOverride = mostlyValid(validHeaderInput, headerInput).map(({ input, valid }) => ({
      valid,
      input: {
        ...input,
        callHeaders: Object.fromEntries(Object.entries(input.callHeaders ?? {}).filter(([n]) => n.toLowerCase() !== 'authorization')),
        api: { ...input.api, headers: Object.fromEntries(Object.entries(input.api.headers).filter(([n]) => !['authorization', 'x-api-key'].includes(n.toLowerCase()))) },
      },
    }))
    assertSeeded(noAuthOverride, ({ input, valid }, reached) => {
      const { value, error } = typedOutcome(() => resolveHeaders(input))
      if (error) {
        expect(valid, `a valid input was refused: ${error.message}`).toBe(false)
        return
      }
      reached()
      const prefix = input.api.scheme ? `${input.api.scheme} ` : ''
      const token = input.api.token === 'access' ? input.tokens?.accessToken : input.tokens?.idToken
      if (input.authMode === 'userPool') expect(value!.authorization).toBe(prefix + token)
      else if (input.authMode === 'custom') expect(value!.authorization).toBe(prefix + input.customToken)
      else expect(value!).not.toHaveProperty('authorization')
      // A call's own X-Api-Key wins over the API's key (call headers win, names case-insensitive).
      const callKey = Object.entries(input.callHeaders).findLast(([n, v]) => n.toLowerCase() === 'x-api-key' && v !== undefined)
      if (callKey) expect(value!['x-api-key']).toBe(callKey[1])
      else if (input.authMode === 'apiKey') expect(value!['x-api-key']).toBe(input.api.apiKey)
      else expect(value!).not.toHaveProperty('x-api-key')
    }, { ...RUNS, minReached: MIN_REACHED })
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
  ';', '.;', '%3b', '%3B', '..;x=1', '%2e%2e%3b', ';jsessionid=1',
]
const pathArb = fc.oneof(
  { arbitrary: fc.array(fc.constantFrom(...PATH_PIECES), { maxLength: 10 }).map(parts => parts.join('')), weight: 4 },
  { arbitrary: fc.array(fc.constantFrom(...PATH_PIECES), { maxLength: 8 }).map(parts => parts.join('/')), weight: 4 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.webUrl().map(u => u.replace(/^https?:\/\//, '')), weight: 1 },
)

/**
 * Paths the module should mostly accept, to check where accepted paths lead: a walk of segments
 * that never climbs by the plain-and-percent-encoded ".." count (a ".." only where a segment was
 * added before it), with segments that look like ".." to someone (a URL parser, a server, a
 * proxy) but not to that count, and at times a query or fragment. Segments with whitespace at an
 * end are refused when they end (or start) the path: they stay rare.
 */
// ('..;' and '%2e%2e;' are refused now, as servers that drop ';…' read them as '..': see headers.test.ts.)
const DOWN = ['a', 'items', '1', '~', '...', '.%2e.', '%2e%2e%2e', '．．', '。', '\u2025', '%20', 'a b', '%3f', '%23', '..%00', '.%20.', 'evil.example', '@evil.example', 'a:b', ':', '%ef%bc%8e%ef%bc%8e', '%C3%A9']
const LOOKALIKE = ['.. ', '%2e%2e ', ' ..', '..\u00A0.', '.\u3000.', '%2e%2e%20', '..%09', '%C2%A0..']
const UP = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e', '%25252e%25252e']
const DOT = ['.', '%2e', '%2E', '', '%252e']
const SUFFIX = ['?', '?a=..', '?/../../x', '#', '#/../..', '?%2e%2e#..', '?//evil.example']
const mostlyAcceptedPath = fc.tuple(
  fc.boolean(),
  fc.array(fc.oneof(
    { arbitrary: fc.constantFrom(...DOWN).map(segment => ({ segment, depth: 1 })), weight: 8 },
    { arbitrary: fc.constantFrom(...LOOKALIKE).map(segment => ({ segment, depth: 1 })), weight: 2 },
    { arbitrary: fc.constantFrom(...UP).map(segment => ({ segment, depth: -1 })), weight: 6 },
    { arbitrary: fc.constantFrom(...DOT).map(segment => ({ segment, depth: 0 })), weight: 2 },
  ), { maxLength: 10 }),
  fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: fc.constantFrom(...SUFFIX), weight: 1 }),
).map(([leadingSlash, steps, suffix]) => {
  let depth = 0
  const segments: string[] = []
  for (const step of steps) {
    if (depth + step.depth < 0) continue
    depth += step.depth
    segments.push(step.segment)
  }
  const path = segments.join('/')
  return `${leadingSlash && !path.startsWith('/') ? '/' : ''}${path}${suffix}`
})

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
    assertSeeded(fc.oneof(pathArb, mostlyAcceptedPath), (path, reached) => {
      const { value, error } = typedOutcome(() => normalizePath(path))
      if (error) {
        expect(error).toBeInstanceOf(InvalidPathError)
        return
      }
      reached()
      expect(value === '' || /^\/(?!\/)/.test(value!), JSON.stringify(value)).toBe(true)
    }, { ...RUNS, minReached: 0.4 })
  })

  it('refuses any value that is not a string with InvalidPathError (never an untyped error)', () => {
    const notString = fc.anything({ maxDepth: 1, withNullPrototype: true, withBigInt: true, withMap: true }).filter(v => typeof v !== 'string')
    assertSeeded(notString, (path) => {
      const { error } = typedOutcome(() => normalizePath(path))
      expect(error).toBeInstanceOf(InvalidPathError)
    }, { ...RUNS, examples: [[Object.create(null)], [{ toString: false }]] })
  })

  it('an accepted path, appended to an endpoint, resolves (new URL) under the endpoint\'s path and on its origin', () => {
    // Mostly paths built to be accepted (19 in 20), the rest from the wide path arbitrary.
    const paths = fc.oneof({ arbitrary: mostlyAcceptedPath, weight: 19 }, { arbitrary: pathArb, weight: 1 })
    assertSeeded(fc.tuple(paths, fc.constantFrom(...ENDPOINTS)), ([path, endpoint], reached) => {
      const { value, error } = typedOutcome(() => normalizePath(path))
      if (error) return
      reached()
      const base = new URL(endpoint)
      const basePath = base.pathname.replace(/\/+$/, '')
      const target = new URL(endpoint + value)
      expect(target.origin, `${JSON.stringify(path)} → ${target.href}`).toBe(base.origin)
      expect(target.username + target.password).toBe('')
      expect(target.pathname === basePath || target.pathname.startsWith(`${basePath}/`), `${JSON.stringify(path)} → ${target.href}`).toBe(true)
      // And a server that percent-decodes the path (even more than once) does not see it climb either.
      let depth = 0
      for (const segment of decodedSegments(target.pathname.slice(basePath.length))) {
        // Tomcat, Jetty and Spring drop a segment's ";parameters" before resolving dots.
        const dots = segment.split(';', 1)[0]
        if (dots === '..') depth--
        else if (dots !== '.' && dots !== '') depth++
        expect(depth, `${JSON.stringify(path)} → ${target.pathname} climbs once decoded`).toBeGreaterThanOrEqual(0)
        expect(segment.includes('/') || segment.includes('\\'), `${JSON.stringify(path)} hides a slash`).toBe(false)
      }
    }, { numRuns: 3000, minReached: MIN_REACHED })
  })

  it('refuses every path whose ".." segments (plain or percent-encoded, up to twice) climb above the endpoint', () => {
    const dotDot = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%252e%252e', '%252E.')
    const climbing = fc.tuple(fc.array(fc.constantFrom('a', 'items', '1', '.', ''), { maxLength: 3 }), fc.array(dotDot, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom('x', 'secrets'), { maxLength: 2 }))
      .filter(([down, up]) => up.length > down.filter(s => s !== '.' && s !== '').length)
      .map(([down, up, rest]) => [...down, ...up, ...rest].join('/'))
    assertSeeded(fc.tuple(climbing, fc.boolean()), ([path, slash]) => {
      expect(() => normalizePath(slash ? `/${path}` : path)).toThrow(InvalidPathError)
    })
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
    assertSeeded(fc.tuple(moduleInput, outputsInput), ([input, outputs]) => {
      const merged = mergeOptions(input as ModuleOptions, outputs as AmplifyOutputs)
      expectStrings(merged.problems)
      expectStrings(merged.warnings)
      expectStrings(validateOptions(merged.options))
    }, { numRuns: 2000 })
  })

  it('always yield the full resolved shape (every key present, so env variables can override it)', () => {
    assertSeeded(fc.tuple(moduleInput, outputsInput), ([input, outputs]) => {
      const merged = mergeOptions(input as ModuleOptions, outputs as AmplifyOutputs)
      expect(Object.keys(merged.options).sort()).toEqual(['auth', 'cacheControl', 'cookie', 'defaultApi', 'proxyMaxBytes', 'redirect', 'rest', 'session', 'ssr'])
      expect(Object.keys(merged.options.auth).sort()).toEqual(['allowGuestAccess', 'authFlowType', 'identityPoolEndpoint', 'identityPoolId', 'region', 'userPoolClientId', 'userPoolEndpoint', 'userPoolId', 'userPoolIssuer'])
      for (const api of Object.values(merged.options.rest))
        expect(Object.keys(api).sort()).toEqual(['apiKey', 'authMode', 'endpoint', 'headers', 'region', 'scheme', 'token'])
    })
  })

  it('validateOptions never throws on what env overrides can make of the resolved options (app start)', () => {
    assertSeeded(fc.array(envOverride, { minLength: 1, maxLength: 4 }), (overrides) => {
      const options = validResolved()
      for (const override of overrides) applyOverride(options, override)
      expectStrings(validateOptions(options))
    }, {
      numRuns: 2000,
      // NUXT_PUBLIC_AMPLIFY_REST='{"items":null}' and NUXT_PUBLIC_AMPLIFY='{"auth":null}'.
      examples: [[[[['rest', 'items'], null]]], [[[['auth'], null]]]],
    })
  })
})
