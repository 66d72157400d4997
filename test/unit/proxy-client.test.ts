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
