// The typed errors (their `name` is the contract, class names are minified in production)
// and mapError, which turns whatever Amplify throws into one of them.
import { ApiError } from '@aws-amplify/core/internals/utils'
import { describe, expect, it } from 'vitest'
import * as errors from '../../src/runtime/shared/errors'
import {
  AmplifyRestError, CredentialsError, InvalidHeaderError, InvalidPathError, InvalidRequestError, MissingCustomTokenError, NetworkError,
  NotSignedInError, PayloadTooLargeError, RequestAbortedError, RequestTimeoutError, RestApiError, SessionExpiredError, SignInError, TokenTooLargeError, UnknownApiError,
} from '../../src/runtime/shared/errors'
import { credentialsError, mapError } from '../../src/runtime/shared/rest-outcome'

/** One instance of every exported error class, built as the module builds them. */
const INSTANCES: Record<string, () => Error> = {
  AmplifyRestError: () => new AmplifyRestError('base'),
  RestApiError: () => new RestApiError({ statusCode: 500, body: 'oops', apiName: 'items', path: '/x' }),
  UnknownApiError: () => new UnknownApiError('nope', ['items']),
  NotSignedInError: () => new NotSignedInError('items'),
  MissingCustomTokenError: () => new MissingCustomTokenError('partner'),
  InvalidHeaderError: () => new InvalidHeaderError('X-Trace', 'has a value with CR, LF or NUL'),
  InvalidPathError: () => new InvalidPathError('//evil', 'starts with "//"'),
  InvalidRequestError: () => new InvalidRequestError('timeout must be a number'),
  RequestAbortedError: () => new RequestAbortedError('Request aborted'),
  RequestTimeoutError: () => new RequestTimeoutError(1500),
  SessionExpiredError: () => new SessionExpiredError('sign in again'),
  NetworkError: () => new NetworkError('no answer'),
  CredentialsError: () => new CredentialsError('no credentials'),
  TokenTooLargeError: () => new TokenTooLargeError('idToken', 5000, 4096),
  PayloadTooLargeError: () => new PayloadTooLargeError('request', 1024),
  SignInError: () => new SignInError('NotAuthorizedException', 'Incorrect username or password.'),
}

describe('error classes', () => {
  it('covers every class the errors module exports', () => {
    const exported = Object.entries(errors).filter(([, value]) => typeof value === 'function').map(([name]) => name).sort()
    expect(exported).toEqual(Object.keys(INSTANCES).sort())
  })

  describe.each(Object.entries(INSTANCES))('%s', (className, make) => {
    it('has the explicit name equal to the class name', () => {
      const error = make()
      expect(error.name).toBe(className)
      expect(String(error).startsWith(`${className}: `)).toBe(true)
    })

    it('is an Error, an AmplifyRestError and an instance of its own class', () => {
      const error = make()
      expect(error).toBeInstanceOf(Error)
      expect(error).toBeInstanceOf(AmplifyRestError)
      expect(error).toBeInstanceOf((errors as Record<string, unknown>)[className] as typeof Error)
      expect(error.message).not.toBe('')
      expect(error.stack).toBeTypeOf('string')
    })
  })

  it('keeps the name when the class name is minified away', () => {
    // A bundler renames classes; `name` is set by the instance, not taken from `constructor.name`.
    const Minified = { a: class extends NotSignedInError {} }.a
    expect(new Minified('items').name).toBe('NotSignedInError')
  })

  it('keeps a cause', () => {
    const cause = new Error('root')
    expect(new NetworkError('x', { cause }).cause).toBe(cause)
    expect(new RequestTimeoutError(10, { cause }).cause).toBe(cause)
    expect(new RestApiError({ statusCode: 400, body: '', apiName: 'a', path: '/' }, { cause }).cause).toBe(cause)
  })

  describe('RestApiError', () => {
    it('carries status, body, API, path and headers', () => {
      const error = new RestApiError({ statusCode: 404, body: { message: 'Not found' }, apiName: 'items', path: '/items/9', headers: { 'x-amzn-requestid': 'r1' } })
      expect(error).toMatchObject({ statusCode: 404, body: { message: 'Not found' }, apiName: 'items', path: '/items/9', headers: { 'x-amzn-requestid': 'r1' } })
      expect(error.message).toBe('items /items/9 answered 404: Not found')
    })

    it('puts a short text body in the message, but not a long one or a body without message', () => {
      expect(new RestApiError({ statusCode: 403, body: 'Forbidden', apiName: 'a', path: '/p' }).message).toBe('a /p answered 403: Forbidden')
      expect(new RestApiError({ statusCode: 500, body: 'x'.repeat(201), apiName: 'a', path: '/p' }).message).toBe('a /p answered 500')
      expect(new RestApiError({ statusCode: 500, body: { error: 'x' }, apiName: 'a', path: '/p' }).message).toBe('a /p answered 500')
      expect(new RestApiError({ statusCode: 502, body: null, apiName: 'a', path: '/p' }).headers).toEqual({})
    })
  })

  describe('UnknownApiError', () => {
    it('lists the known APIs', () => {
      const error = new UnknownApiError('orders', ['items', 'reports'])
      expect(error.message).toBe('Unknown REST API "orders"; known APIs: "items", "reports"')
      expect(error.apiName).toBe('orders')
      expect(error.knownApis).toEqual(['items', 'reports'])
    })

    it('explains a missing apiName without defaultApi', () => {
      const error = new UnknownApiError(undefined, ['a', 'b'])
      expect(error.message).toContain('No apiName given and no `amplify.defaultApi` set')
      expect(error.message).toContain('"a", "b"')
      expect(error.apiName).toBe('')
    })

    it('says when no API is configured', () => {
      expect(new UnknownApiError('x', []).message).toContain('none (add one under `amplify.rest`)')
    })
  })

  it('InvalidHeaderError names the header, InvalidPathError the path, RequestTimeoutError the timeout', () => {
    expect(new InvalidHeaderError('X-Trace', 'has a value with CR, LF or NUL').header).toBe('X-Trace')
    const pathError = new InvalidPathError('//evil', 'starts with "//" (another host)')
    expect(pathError.path).toBe('//evil')
    expect(pathError.message).toBe('Path "//evil" starts with "//" (another host); expected a path relative to the API\'s endpoint, e.g. \'items/1\'')
    const timeout = new RequestTimeoutError(1500)
    expect(timeout.timeout).toBe(1500)
    expect(timeout.message).toBe('Request timed out after 1500 ms')
  })
})

describe('mapError', () => {
  const amplifyHttpError = (statusCode: number, body: string | undefined, headers?: Record<string, string>) =>
    ({ name: 'UnknownError', message: 'Unknown error', response: { statusCode, headers, body } })

  describe('an answer outside 2xx → RestApiError', () => {
    it('parses a JSON body by content type', () => {
      const original = amplifyHttpError(404, '{"message":"No such item"}', { 'content-type': 'application/json; charset=utf-8' })
      const error = mapError(original, 'items', '/items/9') as RestApiError
      expect(error).toBeInstanceOf(RestApiError)
      expect(error.name).toBe('RestApiError')
      expect(error).toMatchObject({ statusCode: 404, body: { message: 'No such item' }, apiName: 'items', path: '/items/9' })
      expect(error.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' })
      expect(error.message).toBe('items /items/9 answered 404: No such item')
      expect(error.cause).toBe(original)
    })

    it('parses a +json content type', () => {
      const error = mapError(amplifyHttpError(400, '{"title":"Bad"}', { 'content-type': 'application/problem+json' }), 'a', '/p') as RestApiError
      expect(error.body).toEqual({ title: 'Bad' })
    })

    it('keeps a text body as text', () => {
      const error = mapError(amplifyHttpError(403, 'Forbidden', { 'content-type': 'text/plain' }), 'a', '/p') as RestApiError
      expect(error.body).toBe('Forbidden')
      expect(error.message).toBe('a /p answered 403: Forbidden')
    })

    it('keeps a body that claims JSON but is not as text', () => {
      const error = mapError(amplifyHttpError(502, '<html>Bad gateway</html>', { 'content-type': 'application/json' }), 'a', '/p') as RestApiError
      expect(error.body).toBe('<html>Bad gateway</html>')
    })

    it('without content type: parses what looks like JSON, keeps the rest as text', () => {
      expect((mapError(amplifyHttpError(500, '{"a":1}'), 'a', '/p') as RestApiError).body).toEqual({ a: 1 })
      expect((mapError(amplifyHttpError(500, '[1,2]', {}), 'a', '/p') as RestApiError).body).toEqual([1, 2])
      expect((mapError(amplifyHttpError(500, 'Internal error', {}), 'a', '/p') as RestApiError).body).toBe('Internal error')
    })

    it('an empty body is null for JSON and \'\' otherwise; missing headers are {}', () => {
      expect((mapError(amplifyHttpError(500, '', { 'content-type': 'application/json' }), 'a', '/p') as RestApiError).body).toBeNull()
      const noBody = mapError(amplifyHttpError(500, undefined), 'a', '/p') as RestApiError
      expect(noBody.body).toBe('')
      expect(noBody.headers).toEqual({})
    })

    it('maps Amplify\'s own ApiError (response exposed through a getter)', () => {
      const original = new ApiError({
        name: 'UnknownError',
        message: 'Unknown error',
        response: { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"message":"Unauthorized"}' },
      })
      const error = mapError(original, 'items', '/items') as RestApiError
      expect(error).toBeInstanceOf(RestApiError)
      expect(error).toMatchObject({ statusCode: 401, body: { message: 'Unauthorized' }, apiName: 'items', path: '/items' })
    })

    it('a response without a numeric status is not an HTTP answer', () => {
      const error = mapError({ name: 'Weird', message: 'odd', response: { statusCode: '500' } }, 'a', '/p')
      expect(error).not.toBeInstanceOf(RestApiError)
      expect(error.name).toBe('AmplifyRestError')
    })
  })

  describe('by name', () => {
    it.each([
      ['NetworkError', NetworkError, 'NetworkError'],
      ['CanceledError', RequestAbortedError, 'RequestAbortedError'],
      ['AbortError', RequestAbortedError, 'RequestAbortedError'],
      ['TimeoutError', RequestTimeoutError, 'RequestTimeoutError'],
      ['NotAuthorizedException', SessionExpiredError, 'SessionExpiredError'],
      ['TokenRefreshException', SessionExpiredError, 'SessionExpiredError'],
    ] as const)('%s → %s', (name, Class, expectedName) => {
      const original = Object.assign(new Error('underlying message'), { name })
      const error = mapError(original, 'items', '/items')
      expect(error).toBeInstanceOf(Class)
      expect(error).toBeInstanceOf(AmplifyRestError)
      expect(error.name).toBe(expectedName)
      expect(error.cause).toBe(original)
    })

    it('a NetworkError names the API, the path and the cause', () => {
      const error = mapError({ name: 'NetworkError', message: 'Failed to fetch' }, 'items', '/items')
      expect(error.message).toBe('items /items: no answer from the server (Failed to fetch)')
    })

    it('a session error says to sign in again', () => {
      expect(mapError({ name: 'NotAuthorizedException', message: 'Refresh Token has expired' }, 'a', '/p').message)
        .toContain('sign in again')
    })
  })

  describe('anything else', () => {
    it('passes the module\'s own errors through unchanged', () => {
      const own = new NotSignedInError('items')
      expect(mapError(own, 'other', '/x')).toBe(own)
      const header = new InvalidHeaderError('X', 'bad')
      expect(mapError(header, 'a', '/p')).toBe(header)
    })

    it.each([
      ['an Error', new Error('boom'), 'boom'],
      ['an unknown Amplify error', { name: 'SomethingElse', message: 'weird' }, 'weird'],
      ['a string', 'oops', 'oops'],
      ['undefined', undefined, 'undefined'],
      ['null', null, 'null'],
    ])('wraps %s in a plain AmplifyRestError naming API, path and message', (_, original, text) => {
      const error = mapError(original, 'items', '/items')
      expect(error.constructor).toBe(AmplifyRestError)
      expect(error.name).toBe('AmplifyRestError')
      expect(error.message).toBe(`items /items: ${text}`)
      expect(error.cause).toBe(original)
    })
  })
})

describe('credentialsError', () => {
  it('maps a failed credentials lookup to a typed error that says nothing was sent', () => {
    const network = credentialsError('reports', Object.assign(new Error('fetch failed'), { name: 'NetworkError' }))
    expect(network.name).toBe('NetworkError')
    expect(network.message).toContain('nothing was sent')
    expect(credentialsError('reports', Object.assign(new Error('x'), { name: 'NotAuthorizedException' })).name).toBe('SessionExpiredError')
    expect(credentialsError('reports', Object.assign(new Error('boom'), { name: 'ResourceNotFoundException' })).name).toBe('CredentialsError')
    const typed = new NetworkError('already typed')
    expect(credentialsError('reports', typed)).toBe(typed)
  })

  it('NotSignedInError says what an iam call needs', () => {
    expect(new NotSignedInError('reports', 'iam').message).toContain('allowGuestAccess')
  })
})
