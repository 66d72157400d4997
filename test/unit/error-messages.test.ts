// The exact messages and fields of the typed errors (errors.ts): what a caller reads when a call
// fails, including the limits on what a RestApiError repeats of the server's answer.
import { describe, expect, it } from 'vitest'
import {
  InvalidHeaderError, InvalidPathError, MissingCustomTokenError, NotSignedInError, RequestTimeoutError, RestApiError,
  TokenTooLargeError, UnknownApiError,
} from '../../src/runtime/shared/errors'

const restError = (body: unknown) => new RestApiError({ statusCode: 500, body, apiName: 'a', path: '/p' })

describe('RestApiError message', () => {
  it('repeats a text body of 1 to 200 characters, not an empty or longer one', () => {
    expect(restError('x'.repeat(200)).message).toBe(`a /p answered 500: ${'x'.repeat(200)}`)
    expect(restError('x').message).toBe('a /p answered 500: x')
    expect(restError('').message).toBe('a /p answered 500')
    expect(restError('x'.repeat(201)).message).toBe('a /p answered 500')
  })

  it('repeats a JSON body\'s message only when it is a string', () => {
    expect(restError({ message: 'Forbidden' }).message).toBe('a /p answered 500: Forbidden')
    expect(restError({ message: 42 }).message).toBe('a /p answered 500')
    expect(restError(0).message).toBe('a /p answered 500')
    expect(restError(['message']).message).toBe('a /p answered 500')
  })

  it('keeps the cause', () => {
    const cause = new Error('root')
    expect(new RestApiError({ statusCode: 500, body: null, apiName: 'a', path: '/p' }, { cause }).cause).toBe(cause)
  })
})

describe('messages that say what to do', () => {
  it('UnknownApiError for a server-only API says where it can be called', () => {
    const error = new UnknownApiError('secret', ['open'], true)
    expect(error.message).toBe('REST API "secret" is server-only (amplify.rest.secret.serverOnly): call it while rendering on the server or from a Nitro route (useServerRestApi(event)), not from the browser; APIs the browser can call: "open"')
    expect(error.serverOnly).toBe(true)
    expect(new UnknownApiError('x', ['open']).serverOnly).toBe(false)
    expect(new UnknownApiError(undefined, []).message).toBe('No apiName given and no `amplify.defaultApi` set; pass { apiName } (known APIs: none (add one under `amplify.rest`))')
  })

  it('NotSignedInError says what each mode needs', () => {
    expect(new NotSignedInError('items').message).toBe('REST API "items" uses authMode "userPool" and needs a signed-in user; sign in first or pass { authMode: \'none\' }')
    expect(new NotSignedInError('items', 'iam').message).toBe('REST API "items" uses authMode "iam" and there are no credentials: sign in, or allow guest access (amplify.auth.allowGuestAccess)')
    expect(new NotSignedInError('items', 'iam').apiName).toBe('items')
  })

  it('MissingCustomTokenError names the API and the fix', () => {
    const error = new MissingCustomTokenError('partner')
    expect(error.apiName).toBe('partner')
    expect(error.message).toBe('REST API "partner" uses authMode "custom" but no token is set; call useAmplifyAuth().setCustomToken(token) first or pass headers: { Authorization }')
  })

  it('InvalidHeaderError quotes the name, never the value; InvalidPathError quotes a non-string path as text', () => {
    expect(new InvalidHeaderError('X-A"b', 'has a null value').message).toBe('Header "X-A\\"b" has a null value')
    const path = new InvalidPathError(42 as never, 'is a number')
    expect(path.path).toBe('42')
    expect(path.message).toBe('Path "42" is a number; expected a path relative to the API\'s endpoint, e.g. \'items/1\'')
  })

  it('RequestTimeoutError without a timeout says only that it timed out', () => {
    const error = new RequestTimeoutError(undefined)
    expect(error.message).toBe('Request timed out')
    expect(error.timeout).toBeUndefined()
  })

  it('TokenTooLargeError names the token, the size and the limit, and how to shrink it', () => {
    const error = new TokenTooLargeError('idToken', 5000, 4096)
    expect(error).toMatchObject({ token: 'idToken', bytes: 5000 })
    expect(error.message).toBe('The idToken cookie would be 5000 bytes, over the 4096 bytes a browser keeps in one cookie, so the session cannot be stored '
      + '(signed out locally). Tokens grow with the user\'s groups (cognito:groups) and custom claims: put the user in fewer groups, '
      + 'trim custom attributes, or drop claims with a pre token generation Lambda')
  })
})
