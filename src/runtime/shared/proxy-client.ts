// `session: 'server'`: the browser's `$restApi`. Each call is checked as in 'browser' mode (API,
// path, headers, query, body, timeout, signal), sent to the same-origin proxy
// `/api/_amplify/rest/<apiName>/<path>`, and its answer turned into the same results and typed
// errors. The mode's auth is added by the server; this side holds no token and no API key.
import { AUTH_MODES } from './option-types'
import type { ResolvedOptions } from './option-types'
import { assertUnderEndpoint, mergeHeaders, normalizePath } from './headers'
import { AmplifyRestError, InvalidRequestError, NetworkError, RequestAbortedError, RequestTimeoutError, RestApiError, UnknownApiError } from './errors'
import type { RawResponse, RestApi, RestCallOptions, RestCallRecord, RestMethod, RestRequestContext } from './rest-types'
import { assertNotAborted, assertSerialisable, callRecord, mask, toQueryParams } from './rest-request'
import { parseBody } from './rest-outcome'
import { CUT_MARK_HEADER, LIMIT_HEADER, readProxyAnswer } from './proxy-stream'
import { assertProxyCallHeaders, proxyFailure } from './proxy-request'
import { AUTH_MODE_HEADER, CALL_HEADERS_HEADER, CUSTOM_TOKEN_HEADER, REQUEST_HEADER, REQUEST_HEADER_VALUE, SESSION_ROUTES, TIMEOUT_HEADER } from './session-routes'

export interface ProxyClientDeps {
  options: () => ResolvedOptions
  getCustomToken: () => string | null | undefined
  /** The `amplify:rest:request` hook: it sees the call's own headers (the mode's are added on the server). */
  callHook?: (context: RestRequestContext) => unknown
  observe?: (record: RestCallRecord) => void
  fetch?: typeof fetch
}

export function createProxyRestApi(deps: ProxyClientDeps): RestApi {
  const send = deps.fetch ?? ((input, init) => globalThis.fetch(input, init))

  async function perform(method: RestMethod, path: string, options: RestCallOptions, seen: Partial<RestCallRecord>): Promise<unknown> {
    if (typeof options !== 'object' || options === null) throw new InvalidRequestError(`Call options must be an object; got ${typeof options}`)
    const config = deps.options()
    const apiName = options.apiName ?? (config.defaultApi || undefined)
    const api = apiName !== undefined && Object.hasOwn(config.rest, apiName) ? config.rest[apiName] : undefined
    if (!api || apiName === undefined) throw new UnknownApiError(apiName, Object.keys(config.rest), apiName !== undefined && !!config.serverOnlyApis?.includes(apiName))
    const normalizedPath = normalizePath(path)
    assertUnderEndpoint(api.endpoint, api.endpoint + normalizedPath)
    const { timeout } = options
    if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0))
      throw new InvalidRequestError(`timeout is ${String(timeout)}; expected a number of milliseconds greater than 0`)
    if (options.authMode !== undefined && !(AUTH_MODES as readonly string[]).includes(options.authMode))
      throw new InvalidRequestError(`authMode is ${JSON.stringify(options.authMode)}; expected one of ${AUTH_MODES.map(m => `"${m}"`).join(', ')}`)
    const query = toQueryParams(options.query)
    if (typeof FormData !== 'undefined' && options.body instanceof FormData)
      throw new InvalidRequestError('a FormData body cannot go through the proxy of amplify.session "server"; send JSON')
    assertSerialisable(options.body)
    const authMode = options.authMode ?? api.authMode
    Object.assign(seen, { apiName, path: normalizedPath, authMode })

    let headers = mergeHeaders(options.headers)
    if (deps.callHook) {
      const context: RestRequestContext = { apiName, method, path: normalizedPath, authMode, headers }
      await deps.callHook(context)
      headers = mergeHeaders(context.headers)
    }
    assertProxyCallHeaders(headers)
    seen.headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, mask(value)]))
    seen.signed = authMode === 'iam' && !headers.authorization
    assertNotAborted(options.signal)

    const [pathname, pathQuery] = normalizedPath.split(/\?(.*)/s) as [string, string?]
    const search = new URLSearchParams(pathQuery ?? '')
    for (const [key, value] of Object.entries(query ?? {})) search.set(key, value)
    const url = `${SESSION_ROUTES.rest}/${apiName}${pathname}${search.size ? `?${search}` : ''}`
    const requestHeaders: Record<string, string> = { [REQUEST_HEADER]: REQUEST_HEADER_VALUE }
    if (Object.keys(headers).length) requestHeaders[CALL_HEADERS_HEADER] = JSON.stringify(headers)
    if (options.authMode) requestHeaders[AUTH_MODE_HEADER] = options.authMode
    if (timeout !== undefined) requestHeaders[TIMEOUT_HEADER] = String(timeout)
    const customToken = deps.getCustomToken()
    if (customToken) requestHeaders[CUSTOM_TOKEN_HEADER] = customToken
    const hasBody = options.body !== undefined && method !== 'GET' && method !== 'HEAD'
    if (hasBody) requestHeaders['content-type'] = 'application/json'

    const controller = new AbortController()
    let abortedBy: 'signal' | 'timeout' | undefined
    const onAbort = () => {
      abortedBy ??= 'signal'
      controller.abort()
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const timer = timeout === undefined
      ? undefined
      : setTimeout(() => {
          abortedBy ??= 'timeout'
          controller.abort()
        }, timeout)
    try {
      const response = await send(url, {
        method,
        headers: requestHeaders,
        credentials: 'same-origin',
        signal: controller.signal,
        ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      })
      seen.status = response.status
      const answerHeaders = Object.fromEntries([...response.headers].filter(([name]) => name !== LIMIT_HEADER && name !== CUT_MARK_HEADER))
      // An answer the proxy cut at the limit (its headers were already out) is a PayloadTooLargeError.
      const text = () => readProxyAnswer(response.body, response.headers.get(LIMIT_HEADER), response.headers.get(CUT_MARK_HEADER))
      const body = method === 'HEAD' ? undefined : await parseBody({ headers: answerHeaders, body: { text } })
      if (!response.ok) throw proxyFailure({ status: response.status, headers: answerHeaders, body }, apiName, normalizedPath)
      if (options.raw || method === 'HEAD') return { statusCode: response.status, headers: answerHeaders, body } satisfies RawResponse
      return body
    }
    catch (error) {
      if (abortedBy === 'timeout') throw new RequestTimeoutError(timeout!, { cause: error })
      if (abortedBy === 'signal') throw new RequestAbortedError('Request aborted', { cause: error })
      if (error instanceof AmplifyRestError) throw error
      throw new NetworkError(`${apiName} ${normalizedPath}: no answer from this app's server (${(error as Error)?.message ?? 'network error'})`, { cause: error })
    }
    finally {
      if (timer) clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  async function call(method: RestMethod, path: string, options: RestCallOptions = {}): Promise<unknown> {
    const started = Date.now()
    const seen: Partial<RestCallRecord> = {}
    const record = (extra: Partial<RestCallRecord>) => deps.observe?.({
      ...callRecord(method, path, options, seen, deps.options().defaultApi),
      status: seen.status,
      durationMs: Date.now() - started,
      ...extra,
    })
    try {
      const result = await perform(method, path, options, seen)
      record({})
      return result
    }
    catch (error) {
      record({ status: error instanceof RestApiError ? error.statusCode : undefined, error: (error as Error)?.name })
      throw error
    }
  }

  return {
    get: ((path: string, options?: RestCallOptions) => call('GET', path, options)) as RestApi['get'],
    post: ((path: string, options?: RestCallOptions) => call('POST', path, options)) as RestApi['post'],
    put: ((path: string, options?: RestCallOptions) => call('PUT', path, options)) as RestApi['put'],
    patch: ((path: string, options?: RestCallOptions) => call('PATCH', path, options)) as RestApi['patch'],
    del: ((path: string, options?: RestCallOptions) => call('DELETE', path, options)) as RestApi['del'],
    head: (path, options) => call('HEAD', path, options) as Promise<RawResponse<undefined>>,
  }
}
