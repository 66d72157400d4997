// The browser's `$restApi` of `session: 'server'`, against a real HTTP server standing in for the
// proxy: what one call puts on the wire (URL, query, the call's headers packed, authMode, timeout,
// custom token, JSON body) and how answers become results and typed errors.
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createProxyRestApi } from '../../src/runtime/shared/proxy-client'
import { mergeOptions } from '../../src/options'
import { InvalidHeaderError, InvalidRequestError, NotSignedInError, PayloadTooLargeError, RequestAbortedError, RequestTimeoutError, RestApiError, UnknownApiError } from '../../src/runtime/shared/errors'
import type { RestCallRecord } from '../../src/runtime/shared/rest-types'

interface Seen { method: string, url: string, headers: IncomingHttpHeaders, body: string }
let server: Server
let base = ''
let seen: Seen[] = []
let answer: (seen: Seen) => { status: number, headers?: Record<string, string>, body?: string, delayMs?: number, cut?: boolean } = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body }
      seen.push(request)
      const { status, headers = {}, body: out = '', delayMs = 0, cut = false } = answer(request)
      setTimeout(() => {
        if (res.destroyed) return
        res.writeHead(status, headers)
        // `cut`: the body, flushed, then the connection broken (chunked: the answer stays incomplete).
        if (cut) res.write(out, () => res.destroy())
        else res.end(out)
      }, delayMs)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))
beforeEach(() => {
  seen = []
  answer = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })
})

const options = mergeOptions({
  session: 'server',
  auth: { region: 'us-east-1', userPoolId: 'us-east-1_x', userPoolClientId: 'c' },
  rest: { items: { endpoint: 'https://api.example.com/prod', authMode: 'userPool' }, open: { endpoint: 'https://api.example.com/open', authMode: 'none' } },
  defaultApi: 'items',
}).options
const records: RestCallRecord[] = []
let customToken: string | null = null
const api = createProxyRestApi({
  options: () => options,
  getCustomToken: () => customToken,
  observe: record => records.push(record),
  fetch: (input, init) => fetch(`${base}${String(input)}`, init),
})

describe('what a call sends to the proxy', () => {
  it('one same-origin request: API and path in the URL, query merged, the call\'s headers, authMode and timeout packed, the custom token', async () => {
    customToken = 'custom-123'
    await expect(api.post('/items/a%20b?x=1', { query: { y: 2 }, headers: { 'X-Trace': 't1' }, authMode: 'none', timeout: 5000, body: { n: 1 } })).resolves.toEqual({ ok: true })
    customToken = null
    const [request] = seen
    expect(request).toMatchObject({ method: 'POST', url: '/api/_amplify/rest/items/items/a%20b?x=1&y=2', body: '{"n":1}' })
    expect(request!.headers).toMatchObject({
      'x-amplify-request': '1',
      'x-amplify-headers': '{"x-trace":"t1"}',
      'x-amplify-auth-mode': 'none',
      'x-amplify-timeout': '5000',
      'x-amplify-custom-token': 'custom-123',
      'content-type': 'application/json',
    })
    expect(records.at(-1)).toMatchObject({ method: 'POST', apiName: 'items', path: '/items/a%20b?x=1', authMode: 'none', status: 200 })
  })

  it('refuses before sending what \'browser\' mode refuses, and the proxy\'s own headers', async () => {
    await expect(api.get('echo', { apiName: 'nope' as never })).rejects.toBeInstanceOf(UnknownApiError)
    await expect(api.get('echo', { headers: { Cookie: 'a=b' } })).rejects.toBeInstanceOf(InvalidHeaderError)
    await expect(api.get('echo', { headers: { 'X-Amplify-Headers': '{}' } })).rejects.toBeInstanceOf(InvalidHeaderError)
    await expect(api.get('echo', { timeout: -1 })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(api.post('echo', { body: new FormData() })).rejects.toBeInstanceOf(InvalidRequestError)
    expect(seen).toEqual([])
  })
})

describe('what an answer becomes', () => {
  it('raw: status, headers, parsed body; text stays text', async () => {
    answer = () => ({ status: 201, headers: { 'content-type': 'application/json', 'x-id': '7' }, body: '{"id":7}' })
    await expect(api.get('echo', { raw: true })).resolves.toMatchObject({ statusCode: 201, headers: { 'x-id': '7' }, body: { id: 7 } })
    answer = () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'hi' })
    await expect(api.get('echo')).resolves.toBe('hi')
  })

  it('the API\'s non-2xx: RestApiError with status and body; the proxy\'s typed error: its own class', async () => {
    answer = () => ({ status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"gone"}' })
    await expect(api.get('x/1')).rejects.toMatchObject({ name: 'RestApiError', statusCode: 404, body: { message: 'gone' }, apiName: 'items', path: '/x/1' })
    await expect(api.get('x/1')).rejects.toBeInstanceOf(RestApiError)
    answer = () => ({ status: 401, headers: { 'content-type': 'application/json', 'x-amplify-error': 'NotSignedInError' }, body: JSON.stringify({ name: 'NotSignedInError', message: 'sign in first' }) })
    await expect(api.get('echo')).rejects.toBeInstanceOf(NotSignedInError)
    answer = () => ({ status: 413, headers: { 'content-type': 'application/json', 'x-amplify-error': 'PayloadTooLargeError' }, body: JSON.stringify({ name: 'PayloadTooLargeError', message: 'too big', limit: 10, direction: 'request', statusCode: 413 }) })
    await expect(api.post('echo', { body: 'x' })).rejects.toMatchObject({ name: 'PayloadTooLargeError', limit: 10, statusCode: 413 })
    await expect(api.post('echo', { body: 'x' })).rejects.toBeInstanceOf(PayloadTooLargeError)
  })

  it('timeout and abort: RequestTimeoutError and RequestAbortedError', async () => {
    answer = () => ({ status: 200, body: '{}', delayMs: 2_000 })
    await expect(api.get('slow', { timeout: 50 })).rejects.toBeInstanceOf(RequestTimeoutError)
    const controller = new AbortController()
    const call = api.get('slow', { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(call).rejects.toBeInstanceOf(RequestAbortedError)
  })

  it('an answer the proxy cut (exactly its announced limit, then its mark): PayloadTooLargeError; a broken connection: NetworkError', async () => {
    const cutHeaders = { 'content-type': 'application/json', 'x-amplify-max-bytes': '8', 'x-amplify-cut-mark': 'Zq3-mark' }
    answer = () => ({ status: 200, headers: cutHeaders, body: '[1,2,3,4Zq3-mark' })
    await expect(api.get('big')).rejects.toMatchObject({ name: 'PayloadTooLargeError', direction: 'response', limit: 8, statusCode: 413 })
    await expect(api.get('big')).rejects.toBeInstanceOf(PayloadTooLargeError)
    answer = () => ({ status: 200, headers: cutHeaders, body: '[1,2,3,4', cut: true })
    await expect(api.get('big')).rejects.toMatchObject({ name: 'NetworkError' })
    answer = () => ({ status: 200, headers: cutHeaders, body: '[1,2', cut: true })
    await expect(api.get('big')).rejects.toMatchObject({ name: 'NetworkError' })
    answer = () => ({ status: 200, headers: cutHeaders, body: '[1,2,3]' })
    const small = await api.get('small', { raw: true }) as { statusCode: number, headers: Record<string, string>, body: unknown }
    expect(small).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: [1, 2, 3] })
    expect(Object.keys(small.headers).filter(name => name.startsWith('x-amplify-'))).toEqual([])
  })

  it('no answer at all: NetworkError', async () => {
    const offline = createProxyRestApi({ options: () => options, getCustomToken: () => null, fetch: () => Promise.reject(new TypeError('Failed to fetch')) })
    await expect(offline.get('echo')).rejects.toMatchObject({ name: 'NetworkError' })
  })
})

describe('the checks before sending, one by one (nothing reaches the proxy)', () => {
  const refused = async (call: Promise<unknown>) => {
    const error = await call.then(() => undefined, (e: unknown) => e as Error & Record<string, unknown>)
    expect(error).toBeDefined()
    return error!
  }

  it('options that are not an object', async () => {
    expect(await refused(api.get('echo', null as never))).toMatchObject({ name: 'InvalidRequestError', message: 'Call options must be an object; got object' })
    expect(await refused(api.get('echo', 'x' as never))).toMatchObject({ name: 'InvalidRequestError', message: 'Call options must be an object; got string' })
    expect(seen).toEqual([])
  })

  it('no API (none named, no default), an own-property check of the name, and a server-only API named as such', async () => {
    const base = { ...options, defaultApi: '' }
    const noDefault = createProxyRestApi({ options: () => base, getCustomToken: () => null, fetch: () => Promise.reject(new Error('not sent')) })
    expect(await refused(noDefault.get('echo'))).toMatchObject({ name: 'UnknownApiError', apiName: '', serverOnly: false, message: expect.stringContaining('No apiName given') })
    expect(await refused(noDefault.get('echo', { apiName: 'toString' as never }))).toMatchObject({ name: 'UnknownApiError', apiName: 'toString', serverOnly: false })
    const withServerOnly = createProxyRestApi({ options: () => ({ ...options, serverOnlyApis: ['admin'] }), getCustomToken: () => null, fetch: () => Promise.reject(new Error('not sent')) })
    expect(await refused(withServerOnly.get('echo', { apiName: 'admin' as never }))).toMatchObject({ name: 'UnknownApiError', apiName: 'admin', serverOnly: true })
    expect(await refused(withServerOnly.get('echo', { apiName: 'other' as never }))).toMatchObject({ name: 'UnknownApiError', apiName: 'other', serverOnly: false })
    // An API literally named "undefined" is not what a call without apiName (and no default) picks.
    const named = createProxyRestApi({ options: () => ({ ...base, rest: { ...options.rest, undefined: options.rest.items! } }), getCustomToken: () => null, fetch: () => Promise.reject(new Error('not sent')) })
    expect(await refused(named.get('echo'))).toMatchObject({ name: 'UnknownApiError', apiName: '' })
    expect(seen).toEqual([])
  })

  it('a timeout that is not a positive finite number of milliseconds, and an unknown authMode', async () => {
    for (const timeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5000']) {
      expect(await refused(api.get('echo', { timeout: timeout as number }))).toMatchObject({ name: 'InvalidRequestError', message: `timeout is ${String(timeout)}; expected a number of milliseconds greater than 0` })
    }
    expect(await refused(api.get('echo', { authMode: 'bogus' as never }))).toMatchObject({ name: 'InvalidRequestError', message: 'authMode is "bogus"; expected one of "iam", "apiKey", "userPool", "custom", "none"' })
    expect(seen).toEqual([])
  })

  it('a FormData body, a body JSON cannot hold, a signal already aborted', async () => {
    expect((await refused(api.post('echo', { body: new FormData() }))).message).toBe('a FormData body cannot go through the proxy of amplify.session "server"; send JSON')
    expect(await refused(api.post('echo', { body: { n: 1n } as never }))).toMatchObject({ name: 'InvalidRequestError', message: expect.stringContaining('body cannot be serialised to JSON') })
    expect(await refused(api.get('echo', { signal: AbortSignal.abort() }))).toMatchObject({ name: 'RequestAbortedError' })
    expect(seen).toEqual([])
  })
})

describe('what a call leaves out, and what its record says', () => {
  it('no query, no headers, no authMode, no timeout, no custom token: a bare URL and only the proxy\'s request header', async () => {
    await api.get('echo')
    const [request] = seen
    expect(request!.url).toBe('/api/_amplify/rest/items/echo')
    expect(Object.keys(request!.headers).filter(name => name.startsWith('x-amplify-'))).toEqual(['x-amplify-request'])
    expect(request!.headers['content-type']).toBeUndefined()
  })

  it('a JSON body only where the method takes one', async () => {
    await api.get('echo', { body: { n: 1 } } as never)
    await api.head('echo', { body: { n: 1 } } as never)
    await api.post('echo')
    await api.put('echo', { body: { n: 2 } })
    await api.patch('echo', { body: 'text' })
    await api.del('echo', { body: [3] })
    expect(seen.map(r => [r.method, r.body, r.headers['content-type']])).toEqual([
      ['GET', '', undefined],
      ['HEAD', '', undefined],
      ['POST', '', undefined],
      ['PUT', '{"n":2}', 'application/json'],
      ['PATCH', '"text"', 'application/json'],
      ['DELETE', '[3]', 'application/json'],
    ])
  })

  it('HEAD: status and headers, no body', async () => {
    answer = () => ({ status: 200, headers: { 'x-size': '9' } })
    const client = createProxyRestApi({ options: () => options, getCustomToken: () => null, fetch: (input, init) => fetch(`${base}${String(input)}`, init) })
    const result = await client.head('echo')
    expect(result).toMatchObject({ statusCode: 200, headers: { 'x-size': '9' } })
    expect(result.body).toBeUndefined()
  })

  it('the amplify:rest:request hook sees the call and its headers can change what is sent', async () => {
    const contexts: unknown[] = []
    const hooked = createProxyRestApi({
      options: () => options,
      getCustomToken: () => null,
      fetch: (input, init) => fetch(`${base}${String(input)}`, init),
      callHook: (context) => {
        contexts.push({ ...context, headers: { ...context.headers } })
        context.headers['x-added'] = 'by-hook'
      },
    })
    await hooked.get('echo', { headers: { 'X-Trace': 't' } })
    expect(contexts).toEqual([{ apiName: 'items', method: 'GET', path: '/echo', authMode: 'userPool', headers: { 'x-trace': 't' } }])
    expect(JSON.parse(seen[0]!.headers['x-amplify-headers'] as string)).toEqual({ 'x-trace': 't', 'x-added': 'by-hook' })
  })

  it('the record: the API\'s own authMode, masked headers, signed only for iam without an authorization header, a duration, the error\'s name and status', async () => {
    const iamOptions = { ...options, rest: { ...options.rest, signed: { ...options.rest.items!, authMode: 'iam' as const } } }
    const log: RestCallRecord[] = []
    const client = createProxyRestApi({ options: () => iamOptions, getCustomToken: () => null, observe: r => log.push(r), fetch: (input, init) => fetch(`${base}${String(input)}`, init) })
    await client.get('echo', { headers: { 'X-Trace': 'abcdefghijklmnop' } })
    await client.get('echo', { apiName: 'signed' as never })
    await client.get('echo', { apiName: 'signed' as never, headers: { Authorization: 'Bearer mine-0123456789' } })
    answer = () => ({ status: 503, headers: { 'content-type': 'application/json' }, body: '{}' })
    await client.get('down').catch(() => {})
    expect(log.map(r => [r.apiName, r.authMode, r.signed, r.status, r.error])).toEqual([
      ['items', 'userPool', false, 200, undefined],
      ['signed', 'iam', true, 200, undefined],
      ['signed', 'iam', false, 200, undefined],
      ['items', 'userPool', false, 503, 'RestApiError'],
    ])
    expect(log[0]!.headers).toEqual({ 'x-trace': 'abcd…mnop' })
    expect(log[2]!.headers).toEqual({ authorization: 'Bear…6789' })
    for (const record of log) expect(record.durationMs).toBeGreaterThanOrEqual(0)
    for (const record of log) expect(record.durationMs).toBeLessThan(60_000)
  })

  it('a refused call is recorded too, with what was resolved before the refusal', async () => {
    const log: RestCallRecord[] = []
    const client = createProxyRestApi({ options: () => options, getCustomToken: () => null, observe: r => log.push(r), fetch: (input, init) => fetch(`${base}${String(input)}`, init) })
    await client.get('/x', { headers: { Cookie: 'a=b' } }).catch(() => {})
    expect(log).toEqual([expect.objectContaining({ method: 'GET', apiName: 'items', path: '/x', authMode: 'userPool', error: 'InvalidHeaderError', status: undefined })])
  })
})

describe('how a failure to get an answer is told', () => {
  it('NetworkError names the call and what the browser said, with the cause kept', async () => {
    const cause = new TypeError('Failed to fetch')
    const offline = createProxyRestApi({ options: () => options, getCustomToken: () => null, fetch: () => Promise.reject(cause) })
    const error = await offline.get('echo').catch((e: Error) => e)
    expect(error).toMatchObject({ name: 'NetworkError', message: 'items /echo: no answer from this app\'s server (Failed to fetch)', cause })
    const silent = createProxyRestApi({ options: () => options, getCustomToken: () => null, fetch: () => Promise.reject(undefined) })
    expect(await silent.get('echo').catch((e: Error) => e.message)).toBe('items /echo: no answer from this app\'s server (network error)')
  })

  it('timeout and abort keep what the fetch threw as the cause', async () => {
    answer = () => ({ status: 200, body: '{}', delayMs: 2_000 })
    const timedOut = await api.get('slow', { timeout: 30 }).catch((e: Error) => e)
    expect(timedOut).toMatchObject({ name: 'RequestTimeoutError', cause: expect.objectContaining({ name: 'AbortError' }) })
    const controller = new AbortController()
    const aborted = api.get('slow', { signal: controller.signal }).catch((e: Error) => e)
    setTimeout(() => controller.abort(), 20)
    expect(await aborted).toMatchObject({ name: 'RequestAbortedError', message: 'Request aborted', cause: expect.objectContaining({ name: 'AbortError' }) })
  })

  it('without a fetch of its own, the client uses the global fetch', async () => {
    const calls: string[] = []
    const original = globalThis.fetch
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(String(input))
      return original(`${base}${String(input)}`, init)
    }) as typeof fetch
    try {
      const client = createProxyRestApi({ options: () => options, getCustomToken: () => null })
      await expect(client.get('echo')).resolves.toEqual({ ok: true })
    }
    finally {
      globalThis.fetch = original
    }
    expect(calls).toEqual(['/api/_amplify/rest/items/echo'])
  })
})
