// `session: 'server'`: what crosses the same-origin proxy (proxy-request.ts), in detail: the exact
// errors a malformed proxy request gets, the status of every typed error, bodies by content type,
// the answer headers passed on, and typed errors rebuilt in the browser. The common cases are in
// server-session.test.ts.
import { describe, expect, it } from 'vitest'
import {
  AmplifyRestError, CredentialsError, InvalidHeaderError, InvalidPathError, InvalidRequestError, MissingCustomTokenError, NetworkError,
  NotSignedInError, PayloadTooLargeError, RequestAbortedError, RequestTimeoutError, RestApiError, SessionExpiredError, SignInError,
  TokenTooLargeError, UnknownApiError,
} from '../../src/runtime/shared/errors'
import { answerHeaders, decodeProxyBody, errorFromWire, errorStatus, errorToWire, parseProxyCall, proxyFailure } from '../../src/runtime/shared/proxy-request'

const call = (input: { method?: string, rest?: string, search?: string, headers?: Record<string, string> }) =>
  parseProxyCall({ method: 'GET', rest: 'items/a', search: '', ...input, headers: { 'x-amplify-request': '1', ...input.headers } })

/** The error `fn` throws (fails the test if it returns). */
function thrown(fn: () => unknown): Error {
  try {
    fn()
  }
  catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('parseProxyCall, in detail', () => {
  it('a URL with the API name only calls the API\'s root; no query and no custom token add nothing', () => {
    expect(call({ rest: 'items', headers: { 'x-amplify-custom-token': '' } })).toEqual({ method: 'GET', apiName: 'items', path: '', options: { apiName: 'items' } })
    expect(call({ method: 'delete', rest: 'items/', search: '?' })).toEqual({ method: 'DELETE', apiName: 'items', path: '', options: { apiName: 'items' } })
  })

  it('each method $restApi sends, in any letter case', () => {
    for (const method of ['get', 'Post', 'PUT', 'patch', 'DELETE', 'head'])
      expect(call({ method }).method).toBe(method.toUpperCase())
  })

  it('refuses other methods, naming the method', () => {
    for (const method of ['TRACE', 'OPTIONS', 'CONNECT', 'GETS']) {
      const error = thrown(() => call({ method }))
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect(error.message).toBe(`method ${method} is not one $restApi sends`)
    }
  })

  it('the API name is letters and digits starting with a letter, the whole first segment', () => {
    for (const rest of ['', '/items', '1items/a', 'items.v2/a', 'my-api/a', 'items%2F../a', '../items'])
      expect(thrown(() => call({ rest })).message, rest).toBe('the proxy URL names no API; expected /api/_amplify/rest/<apiName>/<path>')
    expect(call({ rest: 'Api2/a' }).apiName).toBe('Api2')
  })

  it('the call\'s headers must be a JSON object of strings; the message says which rule', () => {
    expect(thrown(() => call({ headers: { 'x-amplify-headers': '{"a":' } })).message).toBe('the x-amplify-headers header is not JSON')
    for (const value of ['null', '"X-A: 1"', '["X-A"]', '{"X-A":1}', '{"X-A":"1","X-B":null}'])
      expect(thrown(() => call({ headers: { 'x-amplify-headers': value } })).message, value).toBe('the x-amplify-headers header must be a JSON object of header names to strings')
    expect(call({ headers: { 'x-amplify-headers': '{}' } }).options).toEqual({ apiName: 'items', headers: {} })
  })

  it('refuses every hop-by-hop header, Content-Length and the proxy\'s own headers in any letter case, naming the header', () => {
    for (const name of ['Keep-Alive', 'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Connection', 'TE', 'Trailer', 'Content-Length', 'X-AMPLIFY-TIMEOUT', 'x-amplify-custom-token']) {
      const error = thrown(() => call({ headers: { 'x-amplify-headers': JSON.stringify({ 'X-Ok': 'y', [name]: 'x' }) } }))
      expect(error, name).toBeInstanceOf(InvalidHeaderError)
      expect(error.message, name).toBe(`Header ${JSON.stringify(name)} cannot be set per call with amplify.session "server" (hop-by-hop headers, Cookie, Host and the proxy's own x-amplify-* headers belong to the proxy)`)
    }
    // A name that only contains a refused one, or "amplify" elsewhere, is the call's own.
    expect(call({ headers: { 'x-amplify-headers': '{"X-Host-Name":"h","X-My-Amplify-Id":"1","Authorization":"t"}' } }).options.headers)
      .toEqual({ 'X-Host-Name': 'h', 'X-My-Amplify-Id': '1', 'Authorization': 't' })
  })

  it('authMode must be one of the modes, listed in the message', () => {
    expect(thrown(() => call({ headers: { 'x-amplify-auth-mode': 'IAM' } })).message).toBe('authMode is "IAM"; expected one of "iam", "apiKey", "userPool", "custom", "none"')
    for (const mode of ['iam', 'apiKey', 'userPool', 'custom', 'none'])
      expect(call({ headers: { 'x-amplify-auth-mode': mode } }).options.authMode).toBe(mode)
  })

  it('timeout must be a finite number of milliseconds over 0', () => {
    for (const timeout of ['0', '-5', 'abc', 'Infinity', ''])
      expect(thrown(() => call({ headers: { 'x-amplify-timeout': timeout } })).message, timeout).toBe(`timeout is ${JSON.stringify(timeout)}; expected a number of milliseconds greater than 0`)
    expect(call({ headers: { 'x-amplify-timeout': '0.5' } }).options.timeout).toBe(0.5)
  })

  it('the query string with or without "?"; a repeated key keeps its last value', () => {
    expect(call({ search: 'a=1&b=x%20y&a=2' }).options.query).toEqual({ a: '2', b: 'x y' })
    expect(call({ search: '?flag' }).options.query).toEqual({ flag: '' })
  })
})

describe('decodeProxyBody, by content type', () => {
  const bytes = (s: string) => new TextEncoder().encode(s)
  it('parses every JSON media type, with parameters', () => {
    for (const type of ['application/json; charset=utf-8', 'application/problem+json', 'application/vnd.api+json', 'APPLICATION/JSON', 'Application/Problem+JSON; charset=UTF-8'])
      expect(decodeProxyBody(bytes('{"a":[1]}'), type), type).toEqual({ a: [1] })
  })
  it('keeps other bodies as text, also when "json" is only part of a word or there is no content type', () => {
    for (const type of ['text/plain', 'text/jsonish', 'application/x-json5ish', undefined])
      expect(decodeProxyBody(bytes('{not json'), type), String(type)).toBe('{not json')
    expect(decodeProxyBody(bytes('héllo ✓'), 'text/plain')).toBe('héllo ✓')
  })
  it('names the problem of a JSON body that does not parse', () => {
    expect(thrown(() => decodeProxyBody(bytes('{'), 'application/json')).message).toBe('the request body is not valid JSON although its content-type says so')
  })
})

describe('answerHeaders', () => {
  it('drops the connection\'s headers, cookies, the encoding and the proxy\'s x-amplify-* in any letter case; names lower-case', () => {
    expect(answerHeaders({
      'Keep-Alive': 'timeout=5', 'Transfer-Encoding': 'chunked', 'Content-Encoding': 'gzip', 'TE': 'trailers', 'Trailer': 'x', 'Upgrade': 'h2c',
      'Proxy-Authenticate': 'Basic', 'set-cookie': 'a=b', 'X-Amplify-Error': 'NetworkError',
      'ETag': '"1"', 'Cache-Control': 'no-store', 'X-Amplify-Like': 'dropped', 'X-Upstream-Amplify': 'kept',
    })).toEqual({ 'etag': '"1"', 'cache-control': 'no-store', 'x-upstream-amplify': 'kept' })
  })
})

describe('errorStatus: the status the proxy answers each typed error with', () => {
  it.each([
    [new PayloadTooLargeError('request', 10), 413],
    [new NotSignedInError('items'), 401],
    [new MissingCustomTokenError('items'), 401],
    [new SessionExpiredError('expired'), 401],
    [new SignInError('NotAuthorizedException', 'Incorrect username or password.'), 401],
    [new RequestTimeoutError(100), 504],
    [new NetworkError('reset'), 502],
    [new CredentialsError('no credentials'), 502],
    [new RequestAbortedError('Request aborted'), 499],
    [new AmplifyRestError('The server could not make the call'), 500],
    [new InvalidRequestError('bad'), 400],
    [new InvalidPathError('../x', 'leaves the API'), 400],
    [new UnknownApiError('nope', ['items']), 400],
    [new TokenTooLargeError('idToken', 5000, 4096), 400],
  ])('%s → %i', (error, status) => {
    expect(errorStatus(error)).toBe(status)
  })
})

describe('typed errors on the wire', () => {
  it('errorToWire: the fields, name and message as plain data; no stack, no cause', () => {
    const error = new RequestTimeoutError(250, { cause: new Error('socket of token-abc') })
    const wire = errorToWire(error)
    expect(wire).toEqual({ name: 'RequestTimeoutError', message: 'Request timed out after 250 ms', timeout: 250 })
    expect(Object.keys(wire)).not.toContain('stack')
  })

  it('errorFromWire: the same class (and the base class) with its fields and status text', () => {
    const got = errorFromWire({ name: 'RequestTimeoutError', message: 'Request timed out after 250 ms', timeout: 250 })
    expect(got).toBeInstanceOf(RequestTimeoutError)
    expect(got).toBeInstanceOf(AmplifyRestError)
    expect(got).toMatchObject({ name: 'RequestTimeoutError', message: 'Request timed out after 250 ms', timeout: 250, statusMessage: 'RequestTimeoutError' })
    const base = errorFromWire({ name: 'AmplifyRestError', message: 'm' })
    expect(Object.getPrototypeOf(base)).toBe(AmplifyRestError.prototype)
  })

  it('errorFromWire: a wire without a usable name or message is the base class with a general message', () => {
    for (const wire of [{}, { name: 42, message: ['x'] }, { name: 'Error', message: null }, { name: 'toString' }]) {
      const got = errorFromWire(wire)
      expect(Object.getPrototypeOf(got), JSON.stringify(wire)).toBe(AmplifyRestError.prototype)
      expect(got.name).toBe('AmplifyRestError')
      expect(got.message).toBe('The server could not make the call')
    }
  })

  it('proxyFailure: the proxy\'s typed error only with its header and an object body; otherwise the API\'s answer', () => {
    const typed = proxyFailure({ status: 502, headers: { 'x-amplify-error': 'NetworkError' }, body: { name: 'NetworkError', message: 'reset' } }, 'items', 'a')
    expect(typed).toBeInstanceOf(NetworkError)
    for (const answer of [
      { status: 502, headers: { 'x-amplify-error': 'NetworkError' }, body: 'Bad gateway' },
      { status: 502, headers: { 'x-amplify-error': 'NetworkError' }, body: null },
      { status: 502, headers: { 'x-amplify-error': '' }, body: { name: 'NetworkError', message: 'reset' } },
    ]) {
      const error = proxyFailure(answer, 'items', 'a')
      expect(error, JSON.stringify(answer)).toBeInstanceOf(RestApiError)
      expect(error).toMatchObject({ statusCode: 502, body: answer.body, headers: answer.headers, apiName: 'items', path: 'a' })
    }
  })
})
