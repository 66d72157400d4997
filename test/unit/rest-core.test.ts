// The REST core with its seams injected: what a caller of `$restApi` gets back, and what would go
// out to Amplify (the request `send` is asked to start, with the headers Amplify reads from
// `libraryHeaders` at that moment). `send` plays Amplify's part as Amplify does it: it reads the
// library headers synchronously when the call starts, and answers with a response the test gives.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { mergeOptions } from '../../src/options'
import { createRestCore } from '../../src/runtime/shared/rest-core'
import type { AmplifyOperation, AmplifySend, CheckedCredentials, RestCallOptions, RestCallRecord, RestCoreDeps, RestMethod, RestRequestContext } from '../../src/runtime/shared/rest-types'
import type { ModuleOptions, ResolvedOptions } from '../../src/runtime/shared/option-types'

const OPTIONS: ModuleOptions = {
  auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_abc', userPoolClientId: 'client', identityPoolId: 'eu-west-1:0c2b-11' },
  rest: {
    items: { endpoint: 'https://api.example.com/prod', authMode: 'apiKey', apiKey: 'key-1234567890abcdef' },
    users: { endpoint: 'https://users.example.com/v1', authMode: 'userPool', scheme: 'Bearer' },
    signed: { endpoint: 'https://iam.example.com/v1', authMode: 'iam' },
  },
  defaultApi: 'items',
}

function resolved(input: ModuleOptions = OPTIONS): ResolvedOptions {
  const merged = mergeOptions(input)
  expect(merged.problems).toEqual([])
  return merged.options
}

interface Sent {
  method: RestMethod
  apiName: string
  path: string
  options: Record<string, unknown>
  /** The headers Amplify read from `libraryHeaders` when the call started. */
  headers: Record<string, string>
  checked?: CheckedCredentials
}

type Answer = { statusCode: number, headers?: Record<string, string>, body?: string | (() => Promise<string>) } | Error | object

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** A core whose `send` records each started request and answers with `answer` (or a pending response the test settles). */
function setup(over: Partial<RestCoreDeps> & { answer?: Answer, pending?: boolean, readHeaders?: boolean, throwOnSend?: unknown } = {}) {
  const sent: Sent[] = []
  const cancels: (string | undefined)[] = []
  const records: RestCallRecord[] = []
  const response = deferred<Awaited<AmplifyOperation['response']>>()
  const send: AmplifySend = (method, input, libraryHeaders, checked) => {
    if (over.throwOnSend !== undefined) throw over.throwOnSend
    const entry: Sent = { method, apiName: input.apiName, path: input.path, options: input.options, headers: {}, checked }
    sent.push(entry)
    // Amplify calls the headers function synchronously when the call starts.
    if (over.readHeaders !== false) void libraryHeaders({ apiName: input.apiName }).then(h => Object.assign(entry.headers, h))
    if (!over.pending) {
      const answer = over.answer ?? { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }
      if ('statusCode' in answer && !(answer instanceof Error)) {
        const a = answer as { statusCode: number, headers?: Record<string, string>, body?: string | (() => Promise<string>) }
        response.resolve({
          statusCode: a.statusCode,
          headers: a.headers ?? {},
          body: a.body === undefined ? undefined : { text: typeof a.body === 'function' ? a.body : async () => a.body as string },
        })
      }
      else {
        response.reject(answer)
      }
    }
    return { response: response.promise, cancel: message => void cancels.push(message) }
  }
  const deps: RestCoreDeps = {
    options: () => resolved(),
    getTokens: async () => undefined,
    getCustomToken: () => null,
    send,
    ...over,
  }
  const core = createRestCore(deps)
  return { ...core, restApi: core.restApi as unknown as AnyApiRestApi, sent, cancels, records, response, deps }
}

// This core's APIs are the test's own (items, users, signed…), not the root app's typed API names.
type AnyApiCall = (path: string, options?: Omit<RestCallOptions, 'apiName'> & { apiName?: string }) => Promise<unknown>
type AnyApiRestApi = Record<'get' | 'post' | 'put' | 'patch' | 'del' | 'head', AnyApiCall>

const failure = (promise: Promise<unknown>) => promise.then(
  () => Promise.reject(new Error('expected the call to fail')),
  (error: unknown) => error as Error & Record<string, unknown>,
)

/** Lets the call run up to Amplify's start (setImmediate is never faked here, so fake timers do not move). */
async function started(sent: Sent[]) {
  for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise(resolve => setImmediate(resolve))
  expect(sent).toHaveLength(1)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('createRestCore: what a call sends and returns', () => {
  it('sends a GET to the default API with its mode\'s headers and the path under the endpoint, and resolves to the parsed body', async () => {
    const { restApi, sent } = setup()
    await expect(restApi.get('items/1', { query: { page: 2, full: true, q: 'x' } })).resolves.toEqual({ ok: true })
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ method: 'GET', apiName: 'items', path: '/items/1' })
    expect(sent[0]!.headers).toEqual({ 'x-api-key': 'key-1234567890abcdef' })
    expect(sent[0]!.options).toEqual({ defaultAuthMode: 'none', queryParams: { page: '2', full: 'true', q: 'x' } })
  })

  it('each method reaches Amplify as itself; only GET, HEAD, PUT and DELETE may be retried by Amplify', async () => {
    const { restApi, sent } = setup()
    await restApi.get('a')
    await restApi.post('a')
    await restApi.put('a')
    await restApi.patch('a')
    await restApi.del('a')
    await restApi.head('a')
    expect(sent.map(s => s.method)).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
    expect(sent.map(s => s.options.retryStrategy)).toEqual([undefined, { strategy: 'no-retry' }, undefined, { strategy: 'no-retry' }, undefined, undefined])
  })

  it('sends a body with POST, PUT, PATCH and DELETE, never with GET or HEAD, and no query when none is given', async () => {
    const { restApi, sent } = setup()
    const body = { name: 'x' }
    await restApi.get('a', { body })
    await restApi.head('a', { body } as never)
    await restApi.post('a', { body })
    await restApi.put('a', { body })
    await restApi.patch('a', { body })
    await restApi.del('a', { body })
    await restApi.post('a')
    expect(sent.map(s => 'body' in s.options)).toEqual([false, false, true, true, true, true, false])
    expect(sent[2]!.options.body).toBe(body)
    expect(sent.every(s => !('queryParams' in s.options))).toBe(true)
  })

  it('raw: true resolves to status, headers and body; HEAD always does, without a body', async () => {
    const answer = { statusCode: 201, headers: { 'content-type': 'application/json', 'x-id': '7' }, body: '{"id":7}' }
    const { restApi } = setup({ answer })
    await expect(restApi.post('a', { raw: true })).resolves.toEqual({ statusCode: 201, headers: answer.headers, body: { id: 7 } })
    await expect(restApi.head('a')).resolves.toEqual({ statusCode: 201, headers: answer.headers, body: undefined })
    await expect(restApi.get('a', { raw: false })).resolves.toEqual({ id: 7 })
  })

  it('a HEAD answer\'s body is never read', async () => {
    const text = vi.fn(async () => 'x')
    const { restApi } = setup({ answer: { statusCode: 200, body: text } })
    await restApi.head('a')
    expect(text).not.toHaveBeenCalled()
  })

  it('names another API by apiName; an unknown one, or none without defaultApi, fails before anything is sent', async () => {
    const { restApi, sent } = setup({ options: () => resolved({ ...OPTIONS, defaultApi: '' }) })
    const none = await failure(restApi.get('a'))
    expect(none.name).toBe('UnknownApiError')
    expect(none.message).toContain('No apiName given')
    expect(none.serverOnly).toBe(false)
    const unknown = await failure(restApi.get('a', { apiName: 'toString' }))
    expect(unknown.name).toBe('UnknownApiError')
    expect(unknown.message).toContain('Unknown REST API "toString"')
    expect(unknown.knownApis).toEqual(['items', 'users', 'signed'])
    expect(unknown.serverOnly).toBe(false)
    expect(sent).toHaveLength(0)
    await restApi.get('a', { apiName: 'items' })
    expect(sent[0]!.apiName).toBe('items')
  })

  it('refuses options that are not an object, a bad timeout or authMode, a bad query or body, before anything is sent', async () => {
    const { restApi, sent } = setup()
    const notObject = await failure(restApi.get('a', 'fast' as never))
    expect(notObject.name).toBe('InvalidRequestError')
    expect(notObject.message).toBe('Call options must be an object; got string')
    expect((await failure(restApi.get('a', null as never))).message).toBe('Call options must be an object; got object')
    for (const timeout of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '100']) {
      const error = await failure(restApi.get('a', { timeout: timeout as number }))
      expect(error.name).toBe('InvalidRequestError')
      expect(error.message).toBe(`timeout is ${String(timeout)}; expected a number of milliseconds greater than 0`)
    }
    const mode = await failure(restApi.get('a', { authMode: 'cognito' as never }))
    expect(mode.name).toBe('InvalidRequestError')
    expect(mode.message).toBe('authMode is "cognito"; expected one of "iam", "apiKey", "userPool", "custom", "none"')
    expect((await failure(restApi.get('a', { query: [] as never }))).name).toBe('InvalidRequestError')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect((await failure(restApi.post('a', { body: cyclic }))).name).toBe('InvalidRequestError')
    expect((await failure(restApi.get('../../x'))).name).toBe('InvalidPathError')
    expect(sent).toHaveLength(0)
    await restApi.get('a', { timeout: 1000 })
    expect(sent).toHaveLength(1)
  })

  it('userPool: sends the signed-in user\'s token with the API\'s scheme; signed out, nothing is sent', async () => {
    let tokens: { idToken?: string, accessToken?: string } | undefined = { idToken: 'id-token-abc', accessToken: 'access-token-abc' }
    const { restApi, sent } = setup({ getTokens: async () => tokens })
    await restApi.get('me', { apiName: 'users' })
    expect(sent[0]!.headers).toEqual({ authorization: 'Bearer id-token-abc' })
    tokens = undefined
    expect((await failure(restApi.get('me', { apiName: 'users' }))).name).toBe('NotSignedInError')
    expect(sent).toHaveLength(1)
  })

  it('userPool with the call\'s own Authorization: sent as given, without asking for tokens', async () => {
    const getTokens = vi.fn(async () => undefined)
    const { restApi, sent } = setup({ getTokens })
    await restApi.get('me', { apiName: 'users', headers: { Authorization: 'Bearer mine' } })
    expect(sent[0]!.headers).toEqual({ authorization: 'Bearer mine' })
    expect(getTokens).not.toHaveBeenCalled()
  })

  it('a call may switch the mode: none sends no credentials, custom sends the custom token', async () => {
    const { restApi, sent } = setup({ getCustomToken: () => 'custom-token' })
    await restApi.get('a', { authMode: 'none' })
    await restApi.get('a', { apiName: 'users', authMode: 'custom' })
    expect(sent[0]!.headers).toEqual({})
    expect(sent[1]!.headers).toEqual({ authorization: 'Bearer custom-token' })
  })

  it('iam: signed with the credentials ensureCredentials checked; a call\'s own Authorization is sent unsigned without a lookup', async () => {
    const checked: CheckedCredentials = { credentials: { accessKeyId: 'AK', secretAccessKey: 's' }, identityId: 'id-1' }
    const ensureCredentials = vi.fn(async () => checked)
    const { restApi, sent } = setup({ ensureCredentials })
    await restApi.get('a', { apiName: 'signed' })
    expect(sent[0]!.options.defaultAuthMode).toBe('iam')
    expect(sent[0]!.checked).toBe(checked)
    expect(ensureCredentials).toHaveBeenCalledWith('signed')
    await restApi.get('a', { apiName: 'signed', headers: { Authorization: 'Bearer x' } })
    expect(sent[1]!.options.defaultAuthMode).toBe('none')
    expect(sent[1]!.checked).toBeUndefined()
    expect(ensureCredentials).toHaveBeenCalledTimes(1)
    // Without the seam (Amplify looks the credentials up itself), the call is still signed.
    const bare = setup()
    await bare.restApi.get('a', { apiName: 'signed' })
    expect(bare.sent[0]!.options.defaultAuthMode).toBe('iam')
    expect(bare.sent[0]!.checked).toBeUndefined()
  })

  it('a call that is not userPool never asks for tokens (which may mean a refresh)', async () => {
    const getTokens = vi.fn(async () => ({ idToken: 'id' }))
    const { restApi } = setup({ getTokens, getCustomToken: () => 'c' })
    await restApi.get('a')
    await restApi.get('a', { apiName: 'signed' })
    await restApi.get('a', { apiName: 'users', authMode: 'custom' })
    expect(getTokens).not.toHaveBeenCalled()
  })

  it('a failed credentials check sends nothing', async () => {
    const { restApi, sent } = setup({ ensureCredentials: () => Promise.reject(new Error('no credentials')) })
    await expect(restApi.get('a', { apiName: 'signed' })).rejects.toThrow('no credentials')
    expect(sent).toHaveLength(0)
  })
})

describe('createRestCore: the request hook', () => {
  it('sees the call and what would be sent; its changes are what is sent', async () => {
    const contexts: RestRequestContext[] = []
    const callHook = (context: RestRequestContext) => {
      contexts.push({ ...context, headers: { ...context.headers } })
      context.headers['X-Trace'] = 'trace-1'
    }
    const { restApi, sent } = setup({ callHook })
    await restApi.post('/orders', { apiName: 'items' })
    expect(contexts).toEqual([{ apiName: 'items', method: 'POST', path: '/orders', authMode: 'apiKey', headers: { 'x-api-key': 'key-1234567890abcdef' } }])
    expect(sent[0]!.headers).toEqual({ 'x-api-key': 'key-1234567890abcdef', 'x-trace': 'trace-1' })
  })

  it('a header the hook adds is checked like any other: nothing is sent', async () => {
    const { restApi, sent } = setup({ callHook: (context: RestRequestContext) => Object.assign(context.headers, { 'X-Evil': 'a\r\nHost: b' }) })
    expect((await failure(restApi.get('a'))).name).toBe('InvalidHeaderError')
    expect(sent).toHaveLength(0)
  })

  it('runs for a call through Amplify\'s own functions too, without method or path', async () => {
    const contexts: RestRequestContext[] = []
    const { libraryHeaders } = setup({ callHook: (context: RestRequestContext) => contexts.push(context) })
    await expect(libraryHeaders({ apiName: 'items' })).resolves.toEqual({ 'x-api-key': 'key-1234567890abcdef' })
    expect(contexts).toEqual([{ apiName: 'items', method: undefined, path: undefined, authMode: 'apiKey', headers: { 'x-api-key': 'key-1234567890abcdef' } }])
  })
})

describe('createRestCore: headers never reach another call', () => {
  it('a call through Amplify\'s own functions gets its API\'s mode headers, not the last $restApi call\'s', async () => {
    const { restApi, libraryHeaders } = setup({ getTokens: async () => ({ idToken: 'alice-id' }) })
    await restApi.get('a', { apiName: 'items', headers: { 'X-Secret': 'one-call-only' } })
    await expect(libraryHeaders({ apiName: 'users' })).resolves.toEqual({ authorization: 'Bearer alice-id' })
    await expect(libraryHeaders({ apiName: 'nope' })).rejects.toMatchObject({ name: 'UnknownApiError' })
  })

  it('when Amplify does not read the headers, the call is cancelled and fails; the next call does not inherit them', async () => {
    const { restApi, cancels, libraryHeaders } = setup({ readHeaders: false })
    const error = await failure(restApi.get('a', { headers: { 'X-Secret': 'one-call-only' } }))
    expect(error.name).toBe('AmplifyRestError')
    expect(error.message).toContain('Amplify did not read the REST headers of this call')
    expect(cancels).toEqual(['headers not read'])
    await expect(libraryHeaders({ apiName: 'items' })).resolves.toEqual({ 'x-api-key': 'key-1234567890abcdef' })
  })

  it('when Amplify throws while starting, the error is typed and the headers are dropped', async () => {
    const { restApi, libraryHeaders } = setup({ throwOnSend: Object.assign(new Error('offline'), { name: 'NetworkError' }) })
    const error = await failure(restApi.get('a', { headers: { 'X-Secret': 'one-call-only' } }))
    expect(error.name).toBe('NetworkError')
    expect(error.message).toBe('items /a: no answer from the server (offline)')
    await expect(libraryHeaders({ apiName: 'items' })).resolves.toEqual({ 'x-api-key': 'key-1234567890abcdef' })
  })
})

describe('createRestCore: answers and failures', () => {
  it('an HTTP error answer becomes a RestApiError with its status and parsed body', async () => {
    const { restApi } = setup({ answer: { name: 'ApiError', response: { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"no such item"}' } } })
    const error = await failure(restApi.get('items/9'))
    expect(error.name).toBe('RestApiError')
    expect(error.statusCode).toBe(404)
    expect(error.body).toEqual({ message: 'no such item' })
    expect(error.message).toBe('items /items/9 answered 404: no such item')
  })

  it('a connection that closes while the body is read is a NetworkError', async () => {
    const { restApi } = setup({ answer: { statusCode: 200, body: () => Promise.reject(new TypeError('terminated')) } })
    const error = await failure(restApi.get('a'))
    expect(error.name).toBe('NetworkError')
    expect(error.message).toBe('items /a: the connection closed while reading the answer')
    expect(error.cause).toBeInstanceOf(TypeError)
  })

  it('an answer without a body is the empty string, or null when it says JSON', async () => {
    await expect(setup({ answer: { statusCode: 204 } }).restApi.del('a')).resolves.toBe('')
    await expect(setup({ answer: { statusCode: 200, headers: { 'content-type': 'application/json' } } }).restApi.get('a')).resolves.toBeNull()
  })
})

describe('createRestCore: abort and timeout', () => {
  it('an already aborted signal sends nothing, and asks for no tokens and runs no hook', async () => {
    const getTokens = vi.fn(async () => ({ idToken: 't' }))
    const callHook = vi.fn()
    const { restApi, sent } = setup({ getTokens, callHook })
    const error = await failure(restApi.get('a', { apiName: 'users', signal: AbortSignal.abort('bye') }))
    expect(getTokens).not.toHaveBeenCalled()
    expect(callHook).not.toHaveBeenCalled()
    expect(error.name).toBe('RequestAbortedError')
    expect(error.message).toBe('Request aborted before it was sent')
    expect(sent).toHaveLength(0)
  })

  it('an abort while the tokens are fetched, or while credentials are checked, sends nothing', async () => {
    const controller = new AbortController()
    const first = setup({ getTokens: async () => {
      controller.abort()
      return { idToken: 't' }
    } })
    expect((await failure(first.restApi.get('a', { apiName: 'users', signal: controller.signal }))).name).toBe('RequestAbortedError')
    expect(first.sent).toHaveLength(0)
    const second = new AbortController()
    const iam = setup({ ensureCredentials: async () => {
      second.abort()
      return { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }
    } })
    expect((await failure(iam.restApi.get('a', { apiName: 'signed', signal: second.signal }))).name).toBe('RequestAbortedError')
    expect(iam.sent).toHaveLength(0)
    // An abort in the request hook: no credentials are even looked up.
    const third = new AbortController()
    const ensureCredentials = vi.fn(async () => ({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }))
    const hooked = setup({ ensureCredentials, callHook: () => third.abort() })
    expect((await failure(hooked.restApi.get('a', { apiName: 'signed', signal: third.signal }))).name).toBe('RequestAbortedError')
    expect(ensureCredentials).not.toHaveBeenCalled()
    expect(hooked.sent).toHaveLength(0)
  })

  it('an abort during the call cancels it and fails with RequestAbortedError', async () => {
    const controller = new AbortController()
    const { restApi, cancels, response, sent } = setup({ pending: true })
    const call = failure(restApi.get('a', { signal: controller.signal }))
    await started(sent)
    await new Promise(resolve => setTimeout(resolve, 5))
    expect(cancels).toEqual([]) // no timeout given: nothing cancels it on its own
    controller.abort()
    expect(cancels).toEqual(['aborted'])
    // Whatever Amplify rejects with once cancelled, the caller sees the abort, with that as cause.
    const hangUp = new Error('socket hang up')
    response.reject(hangUp)
    const error = await call
    expect(error.name).toBe('RequestAbortedError')
    expect(error.message).toBe('Request aborted')
    expect(error.cause).toBe(hangUp)
  })

  it('a timeout cancels the call and fails with RequestTimeoutError naming it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { restApi, cancels, response, sent } = setup({ pending: true })
    const call = failure(restApi.get('a', { timeout: 1500 }))
    await started(sent)
    vi.advanceTimersByTime(1499)
    expect(cancels).toEqual([])
    vi.advanceTimersByTime(1)
    expect(cancels).toEqual(['timeout'])
    const canceled = Object.assign(new Error('canceled'), { name: 'CanceledError' })
    response.reject(canceled)
    const error = await call
    expect(error.name).toBe('RequestTimeoutError')
    expect(error.cause).toBe(canceled)
    expect(error.timeout).toBe(1500)
    expect(error.message).toBe('Request timed out after 1500 ms')
  })

  it('the first of abort and timeout names the failure', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const controller = new AbortController()
    const { restApi, cancels, response, sent } = setup({ pending: true })
    const call = failure(restApi.get('a', { timeout: 100, signal: controller.signal }))
    await started(sent)
    vi.advanceTimersByTime(100)
    controller.abort()
    expect(cancels).toEqual(['timeout', 'aborted'])
    response.reject(new Error('canceled'))
    expect((await call).name).toBe('RequestTimeoutError')
  })

  it('after the answer, neither a later abort nor the timeout touches the finished call', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const controller = new AbortController()
    const { restApi, cancels } = setup()
    await restApi.get('a', { timeout: 50, signal: controller.signal })
    controller.abort()
    vi.advanceTimersByTime(1000)
    expect(cancels).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('createRestCore: the response record (observe)', () => {
  function observed(over: Parameters<typeof setup>[0] = {}) {
    const records: RestCallRecord[] = []
    const core = setup({ ...over, observe: record => records.push(record) })
    return { ...core, records }
  }

  it('records a finished call: method, API, path, mode, masked headers, signing and status', async () => {
    const { restApi, records } = observed({ answer: { statusCode: 201, body: 'made' } })
    const before = Date.now()
    await expect(restApi.post('orders', { headers: { 'X-Short': 'abc' } })).resolves.toBe('made')
    expect(records).toHaveLength(1)
    const { durationMs, ...record } = records[0]!
    expect(record).toEqual({ method: 'POST', apiName: 'items', path: '/orders', authMode: 'apiKey', headers: { 'x-api-key': 'key-…cdef', 'x-short': '•••' }, signed: false, status: 201 })
    expect(durationMs).toBeGreaterThanOrEqual(0)
    expect(durationMs).toBeLessThanOrEqual(Date.now() - before)
    expect(Number.isFinite(durationMs)).toBe(true)
  })

  it('records an iam call as signed', async () => {
    const { restApi, records } = observed()
    await restApi.get('a', { apiName: 'signed' })
    expect(records[0]).toMatchObject({ apiName: 'signed', authMode: 'iam', signed: true, status: 200, headers: {} })
  })

  it('records a failed answer with its status and the error\'s name', async () => {
    const { restApi, records } = observed({ answer: { response: { statusCode: 503, body: 'busy' } } })
    await expect(restApi.get('a')).rejects.toMatchObject({ name: 'RestApiError' })
    expect(records[0]).toMatchObject({ apiName: 'items', path: '/a', status: 503, error: 'RestApiError', headers: { 'x-api-key': 'key-…cdef' } })
  })

  it('records a call refused before sending with what it asked for, no status, no headers', async () => {
    const { restApi, records } = observed()
    await expect(restApi.get('a', { apiName: 'nope', authMode: 'none' })).rejects.toMatchObject({ name: 'UnknownApiError' })
    await expect(restApi.get(42 as never)).rejects.toMatchObject({ name: 'InvalidPathError' })
    expect(records.map(({ durationMs: _, ...r }) => r)).toEqual([
      { method: 'GET', apiName: 'nope', path: 'a', authMode: 'none', headers: {}, signed: false, status: undefined, error: 'UnknownApiError' },
      { method: 'GET', apiName: 'items', path: '42', authMode: 'none', headers: {}, signed: false, status: undefined, error: 'InvalidPathError' },
    ])
  })

  it('records a call with options that are not an object, and one failing with a non-Error, without failing itself', async () => {
    const before = Date.now()
    const { restApi, records } = observed()
    await expect(restApi.get('a', null as never)).rejects.toMatchObject({ name: 'InvalidRequestError' })
    expect(records[0]).toMatchObject({ apiName: 'items', path: 'a', authMode: 'none', error: 'InvalidRequestError' })
    expect(records[0]!.durationMs).toBeLessThanOrEqual(Date.now() - before)
    const odd = observed({ callHook: () => Promise.reject(null) })
    await expect(odd.restApi.get('a')).rejects.toBeNull()
    expect(odd.records[0]).toMatchObject({ apiName: 'items', path: '/a', error: undefined })
  })

  it('records a call refused after the API was found with its API, path and mode', async () => {
    const { restApi, records } = observed({ getTokens: async () => undefined })
    await expect(restApi.get('me', { apiName: 'users' })).rejects.toMatchObject({ name: 'NotSignedInError' })
    expect(records[0]).toMatchObject({ apiName: 'users', path: '/me', authMode: 'userPool', headers: {}, signed: false, status: undefined, error: 'NotSignedInError' })
  })
})
