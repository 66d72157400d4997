// What a call's answer becomes (rest-outcome.ts): the body parsed by content type or shape, and the
// typed errors for a failed credentials lookup and for what Amplify throws.
import { describe, expect, it } from 'vitest'
import { credentialsError, mapError, parseBody } from '../../src/runtime/shared/rest-outcome'

const answer = (text: string | undefined, contentType?: string) =>
  parseBody({ headers: contentType === undefined ? {} : { 'content-type': contentType }, body: text === undefined ? undefined : { text: async () => text } })

describe('parseBody', () => {
  it('an empty answer is null only when it says JSON', async () => {
    await expect(answer('', 'text/plain')).resolves.toBe('')
    await expect(answer(undefined, 'application/json')).resolves.toBeNull()
    await expect(answer('')).resolves.toBe('')
  })

  it('without a content type, parses only what starts (after blanks) with { or [', async () => {
    await expect(answer('  {"a":1}')).resolves.toEqual({ a: 1 })
    await expect(answer('\n[1]')).resolves.toEqual([1])
    await expect(answer('42')).resolves.toBe('42')
    await expect(answer('"a{b"')).resolves.toBe('"a{b"')
    await expect(answer('{not json')).resolves.toBe('{not json')
  })

  it('a body that claims JSON but is not stays text', async () => {
    await expect(answer('oops', 'application/json')).resolves.toBe('oops')
    await expect(answer('42', 'application/problem+json')).resolves.toBe(42)
    await expect(answer('42', 'text/jsonish')).resolves.toBe('42')
  })

  it('media types in any letter case, as HTTP defines them', async () => {
    await expect(answer('{"a":1}', 'Application/JSON; charset=UTF-8')).resolves.toEqual({ a: 1 })
    await expect(answer('42', 'APPLICATION/PROBLEM+JSON')).resolves.toBe(42)
    await expect(answer(undefined, 'Application/JSON')).resolves.toBeNull()
  })

  it('copes with an answer without headers', async () => {
    await expect(parseBody({ body: { text: async () => '[2]' } } as never)).resolves.toEqual([2])
  })
})

describe('credentialsError', () => {
  it('names the cause when it is not an Error, and keeps it', () => {
    const error = credentialsError('items', 'boom')
    expect(error.name).toBe('CredentialsError')
    expect(error.message).toBe('items: no credentials from the identity pool (error: boom); nothing was sent')
    expect(error.cause).toBe('boom')
    const none = credentialsError('items', undefined)
    expect(none.message).toBe('items: no credentials from the identity pool (error: undefined); nothing was sent')
  })

  it('uses the error\'s name and message', () => {
    const cause = Object.assign(new Error('pool gone'), { name: 'ResourceNotFoundException' })
    const error = credentialsError('items', cause)
    expect(error.message).toBe('items: no credentials from the identity pool (ResourceNotFoundException: pool gone); nothing was sent')
    expect(error.cause).toBe(cause)
    const bare = credentialsError('items', { name: 'Odd' })
    expect(bare.message).toBe('items: no credentials from the identity pool (Odd: [object Object]); nothing was sent')
  })

  it('a refused session (NotAuthorizedException…) says to sign in again; an unreachable pool is a NetworkError; both keep the cause', () => {
    const refused = Object.assign(new Error('Invalid login token'), { name: 'NotAuthorizedException: expired' })
    const expired = credentialsError('items', refused)
    expect(expired.name).toBe('SessionExpiredError')
    expect(expired.message).toBe('items: the identity pool refused the session (NotAuthorizedException: expired); sign in again')
    expect(expired.cause).toBe(refused)
    const offline = new TypeError('fetch failed')
    const network = credentialsError('items', offline)
    expect(network.name).toBe('NetworkError')
    expect(network.cause).toBe(offline)
  })
})

describe('mapError', () => {
  it('a network error without a message, and an abort, read plainly', () => {
    expect(mapError({ name: 'NetworkError' }, 'items', '/a').message).toBe('items /a: no answer from the server (network error)')
    expect(mapError({ name: 'AbortError' }, 'items', '/a').message).toBe('Request aborted')
    expect(mapError({ name: 'CanceledError' }, 'items', '/a').name).toBe('RequestAbortedError')
  })
})
