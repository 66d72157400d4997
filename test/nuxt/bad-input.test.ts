// Bad input to `$restApi` at run time, inside the root Nuxt app (nuxt.config.ts: `items` is a
// userPool API, `open` an authMode 'none' API at http://127.0.0.1:9/open). Every case must be
// refused with its typed error (checked by `error.name`, the documented contract) and nothing sent.
//
// How "nothing sent" is shown: nothing listens on 127.0.0.1:9 (the discard port), so a request that
// left would end in NetworkError (the control case below proves it). A different typed error means
// the refusal came before any request. On top of that, `fetch` (what Amplify's transfer handler
// calls) is watched, and must not have been called for 127.0.0.1:9.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { MockInstance } from 'vitest'
import { useAmplifyAuth, useRestApi } from '#imports'
import type { RestCallOptions } from '../../src/module'

type Failure = Error & Record<string, unknown>

/** The rejection of a call (a resolved call fails the test). */
function failure(call: Promise<unknown>): Promise<Failure> {
  return call.then(
    () => { throw new Error('expected the call to be refused') },
    (error: unknown) => error as Failure,
  )
}

/** Options a typed caller could not write (a JavaScript caller, or data from outside). */
function badOptions(options: unknown): RestCallOptions & { raw?: false } {
  return options as RestCallOptions & { raw?: false }
}

const BACKEND = 'http://127.0.0.1:9/'
let fetchSpy: MockInstance<typeof fetch>
/** Requests that reached fetch for the test app's endpoints. */
function sentToBackend(): string[] {
  return fetchSpy.mock.calls
    .map(([input]) => typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url)
    .filter(url => url.startsWith(BACKEND))
}

beforeAll(() => {
  fetchSpy = vi.spyOn(globalThis, 'fetch')
})
afterAll(() => {
  fetchSpy.mockRestore()
})
afterEach(() => {
  fetchSpy.mockClear()
  useAmplifyAuth().setCustomToken(null)
})

/** Calls `open` (authMode none) with `options`; asserts the error's name and that nothing was sent. */
async function refused(expectedName: string, call: () => Promise<unknown>): Promise<Failure> {
  const error = await failure(call())
  expect(error.name, error.message).toBe(expectedName)
  expect(error.name).not.toBe('NetworkError')
  expect(sentToBackend()).toEqual([])
  return error
}

describe('the sentinel: a well-formed call to open is sent, and fails with NetworkError', () => {
  it('reaches fetch and ends in NetworkError (so a refusal is visible as another error)', async () => {
    // POST: never retried, so the control is quick.
    const error = await failure(useRestApi().post('things', { apiName: 'open', body: { a: 1 } }))
    expect(error.name).toBe('NetworkError')
    expect(sentToBackend()).toEqual(['http://127.0.0.1:9/open/things'])
  })
})

describe('bad input is refused with a typed error before anything is sent', () => {
  describe('headers', () => {
    it.each([
      ['CR', 'a\rb'],
      ['LF', 'a\nb'],
      ['CRLF (header injection)', 'x\r\nX-Injected: 1'],
      ['NUL', 'a\0b'],
      ['trailing LF', 'value\n'],
    ])('a value with %s: InvalidHeaderError naming the header, never printing the value', async (_, value) => {
      const error = await refused('InvalidHeaderError', () => useRestApi().get('things', { apiName: 'open', headers: { 'X-Trace': `secret-${value}` } }))
      expect(error.message).toContain('X-Trace')
      expect(error.message).not.toContain('secret-')
      expect(error.header).toBe('X-Trace')
    })

    it('a CR/LF in an Authorization override is refused too (and not printed)', async () => {
      const error = await refused('InvalidHeaderError', () => useRestApi().get('things', { apiName: 'items', headers: { authorization: 'token-abc\r\nx: y' } }))
      expect(error.message).not.toContain('token-abc')
    })

    it.each([
      ['number', 42],
      ['boolean', true],
      ['null', null],
      ['object', { nested: 'x' }],
      ['array', ['a', 'b']],
    ])('a %s value: InvalidHeaderError', async (kind, value) => {
      const error = await refused('InvalidHeaderError', () => useRestApi().get('things', { apiName: 'open', headers: { 'X-Count': value } as unknown as Record<string, string> }))
      expect(error.message).toContain('X-Count')
      expect(error.message).toContain(kind === 'array' ? 'object' : kind)
    })

    it.each(['bad name', 'x:y', 'ümlaut', ''])('an invalid header name %j: InvalidHeaderError', async (name) => {
      await refused('InvalidHeaderError', () => useRestApi().get('things', { apiName: 'open', headers: { [name]: 'v' } }))
    })

    // Browsers drop these and Node sends them: refused on both sides, so both send the same request.
    it.each(['Host', 'Cookie', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Proxy-Authorization'])('the forbidden request header %s: InvalidHeaderError naming it', async (name) => {
      const error = await refused('InvalidHeaderError', () => useRestApi().post('things', { apiName: 'open', headers: { [name]: 'v' } }))
      expect(error.header).toBe(name)
      expect(error.message).toContain('forbidden request header')
    })
  })

  describe('apiName', () => {
    it('an unknown API: UnknownApiError listing the known APIs', async () => {
      // @ts-expect-error a name that is not configured is a type error too (the APIs' type template)
      const error = await refused('UnknownApiError', () => useRestApi().get('things', { apiName: 'nope' }))
      expect(error.message).toContain('"nope"')
      expect(error.message).toContain('"items"')
      expect(error.message).toContain('"open"')
      expect(error.knownApis).toEqual(['items', 'open'])
    })

    it('a name that differs only by case is not an API', async () => {
      // @ts-expect-error names are case-sensitive in the types too
      await refused('UnknownApiError', () => useRestApi().get('things', { apiName: 'Open' }))
    })

    // Names of Object.prototype's members are no APIs either: the lookup must only see configured ones.
    it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])('%s names no API: UnknownApiError', async (apiName) => {
      const error = await refused('UnknownApiError', () => useRestApi().get('things', { apiName: apiName as never }))
      expect(error.message).toContain('"items"')
    })
  })

  describe('path', () => {
    it.each([
      '..',
      '../secrets',
      'a/../../secrets',
      '/a/b/../../../x',
      '%2e%2e/x',
      '%2E%2e/x',
      '.%2e/x',
      '%252e%252e/x',
      'a/%2e%2e/%2e%2e/x',
      '..%2fx',
      'a%2F..%2F..%2Fx',
      '..\\x',
      'https://evil.example/x',
      'http://127.0.0.1:9/open/x',
      'HTTPS://evil.example',
      '//evil.example/x',
      'javascript:alert(1)',
      'data:text/plain,x',
      'file:///etc/passwd',
      'a\nb',
      'a\0b',
      '..;/..;/admin',
      'a/..;jsessionid=x/..;/x',
      '%2e%2e;/admin',
    ])('%j: InvalidPathError', async (path) => {
      const error = await refused('InvalidPathError', () => useRestApi().get(path, { apiName: 'open' }))
      expect(error.path).toBe(path)
    })

    it('a path that is not a string: InvalidPathError', async () => {
      await refused('InvalidPathError', () => useRestApi().get(42 as unknown as string, { apiName: 'open' }))
      await refused('InvalidPathError', () => useRestApi().get(null as unknown as string, { apiName: 'open' }))
    })
  })

  describe('body', () => {
    it('a circular object: InvalidRequestError', async () => {
      const body: Record<string, unknown> = { name: 'x' }
      body.self = body
      const error = await refused('InvalidRequestError', () => useRestApi().post('things', { apiName: 'open', body }))
      expect(error.message).toMatch(/body cannot be serialised/)
    })

    it('a BigInt (alone or nested): InvalidRequestError', async () => {
      await refused('InvalidRequestError', () => useRestApi().put('things', { apiName: 'open', body: 10n }))
      await refused('InvalidRequestError', () => useRestApi().patch('things', { apiName: 'open', body: { count: 1n } }))
    })

    it('a body whose toJSON throws: InvalidRequestError', async () => {
      const body = {
        toJSON: () => {
          throw new Error('no')
        },
      }
      await refused('InvalidRequestError', () => useRestApi().post('things', { apiName: 'open', body }))
    })
  })

  describe('custom mode', () => {
    it('with no token set: MissingCustomTokenError (authMode: \'custom\' for one call on open)', async () => {
      useAmplifyAuth().setCustomToken(null)
      const error = await refused('MissingCustomTokenError', () => useRestApi().get('things', { apiName: 'open', authMode: 'custom' }))
      expect(error.apiName).toBe('open')
    })

    it('after the token was cleared again: MissingCustomTokenError', async () => {
      const auth = useAmplifyAuth()
      auth.setCustomToken('partner-token')
      auth.setCustomToken(null)
      await refused('MissingCustomTokenError', () => useRestApi().post('things', { apiName: 'open', authMode: 'custom', body: {} }))
    })
  })

  describe('timeout', () => {
    it.each([
      ['0', 0],
      ['-1', -1],
      ['-0', -0],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['a string', '1000'],
      ['null', null],
      ['an object', { ms: 10 }],
    ])('%s: InvalidRequestError', async (_, timeout) => {
      const error = await refused('InvalidRequestError', () => useRestApi().get('things', badOptions({ apiName: 'open', timeout })))
      expect(error.message).toContain('timeout')
    })
  })

  describe('other options', () => {
    it('an unknown per-call authMode: InvalidRequestError', async () => {
      await refused('InvalidRequestError', () => useRestApi().get('things', badOptions({ apiName: 'open', authMode: 'jwt' })))
    })

    it('options that are not an object: InvalidRequestError', async () => {
      await refused('InvalidRequestError', () => useRestApi().get('things', badOptions('open')))
    })

    it('a query value that is not a string, number or boolean: InvalidRequestError', async () => {
      await refused('InvalidRequestError', () => useRestApi().get('things', badOptions({ apiName: 'open', query: { q: { nested: 1 } } })))
    })
  })
})
