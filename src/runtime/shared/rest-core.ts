// `$restApi` without Nuxt: resolves the API, path and headers of a call, hands it to Amplify's
// REST functions (browser or server flavour, injected), and maps every outcome to a typed result.
// The same core serves Amplify's own `get`/`post` in app code through `libraryHeaders`.
import { AUTH_MODES } from './option-types'
import type { AuthMode, ResolvedRestApi } from './option-types'
import { assertUnderEndpoint, assertValidHeaders, hasOwnAuthorization, normalizePath, resolveHeaders, signingMode } from './headers'
import { AmplifyRestError, InvalidRequestError, NetworkError, RequestAbortedError, RequestTimeoutError, RestApiError, UnknownApiError } from './errors'
import type { AmplifyOperation, RawResponse, RestApi, RestCallOptions, RestCallRecord, RestCore, RestCoreDeps, RestMethod, RestRequestContext } from './rest-types'
import { assertNotAborted, assertSerialisable, callRecord, mask, toQueryParams } from './rest-request'
import { mapError, parseBody } from './rest-outcome'
import { fillPathParams } from './rest-path'

const RETRY_SAFE: RestMethod[] = ['GET', 'HEAD', 'PUT', 'DELETE']

export function createRestCore(deps: RestCoreDeps): RestCore {
  // Headers prepared by `$restApi` for the Amplify call it is about to start. Amplify reads the
  // library headers synchronously when a call starts, so a call can hand its headers over without
  // any window for another call (or another server request) to pick them up.
  let handOver: Record<string, string> | undefined

  function findApi(apiName: string | undefined): [string, ResolvedRestApi] {
    const options = deps.options()
    const name = apiName ?? (options.defaultApi || undefined)
    const api = name !== undefined && Object.hasOwn(options.rest, name) ? options.rest[name] : undefined
    if (!api || name === undefined) throw new UnknownApiError(name, Object.keys(options.rest), name !== undefined && !!options.serverOnlyApis?.includes(name))
    return [name, api]
  }

  async function headersFor(apiName: string, api: ResolvedRestApi, authMode: AuthMode, callHeaders: Record<string, unknown> | undefined, method?: RestMethod, path?: string) {
    const needsTokens = authMode === 'userPool' && !hasOwnAuthorization(callHeaders)
    const tokens = needsTokens ? await deps.getTokens() : undefined
    const headers = resolveHeaders({ apiName, api, authMode, tokens, customToken: authMode === 'custom' ? deps.getCustomToken() : undefined, callHeaders })
    if (!deps.callHook) return headers
    const context: RestRequestContext = { apiName, method, path, authMode, headers }
    await deps.callHook(context)
    return assertValidHeaders(context.headers)
  }

  async function call(method: RestMethod, path: string, options: RestCallOptions = {}): Promise<unknown> {
    if (!deps.observe) return perform(method, path, options)
    const started = Date.now()
    const seen: Partial<RestCallRecord> = {}
    try {
      const result = await perform(method, path, options, seen)
      deps.observe({ ...callRecord(method, path, options, seen, deps.options().defaultApi), status: seen.status, durationMs: Date.now() - started })
      return result
    }
    catch (error) {
      const status = error instanceof RestApiError ? error.statusCode : undefined
      deps.observe({ ...callRecord(method, path, options, seen, deps.options().defaultApi), status, durationMs: Date.now() - started, error: (error as Error)?.name })
      throw error
    }
  }

  async function perform(method: RestMethod, path: string, options: RestCallOptions = {}, seen: Partial<RestCallRecord> = {}): Promise<unknown> {
    if (typeof options !== 'object' || options === null) throw new InvalidRequestError(`Call options must be an object; got ${typeof options}`)
    const [apiName, api] = findApi(options.apiName)
    const normalizedPath = normalizePath(fillPathParams(path, options.pathParams))
    assertUnderEndpoint(api.endpoint, api.endpoint + normalizedPath)
    const timeout = options.timeout
    if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0))
      throw new InvalidRequestError(`timeout is ${String(timeout)}; expected a number of milliseconds greater than 0`)
    if (options.authMode !== undefined && !(AUTH_MODES as readonly string[]).includes(options.authMode))
      throw new InvalidRequestError(`authMode is ${JSON.stringify(options.authMode)}; expected one of ${AUTH_MODES.map(m => `"${m}"`).join(', ')}`)
    const queryParams = toQueryParams(options.query)
    assertSerialisable(options.body)
    assertNotAborted(options.signal)

    const authMode = options.authMode ?? api.authMode
    Object.assign(seen, { apiName, path: normalizedPath, authMode })
    const headers = await headersFor(apiName, api, authMode, options.headers, method, normalizedPath)
    assertNotAborted(options.signal)

    const signing = signingMode(authMode, headers)
    seen.signed = signing === 'iam'
    seen.headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, mask(value)]))
    const checked = signing === 'iam' && deps.ensureCredentials ? await deps.ensureCredentials(apiName) : undefined
    assertNotAborted(options.signal)
    const amplifyOptions: Record<string, unknown> = { defaultAuthMode: signing }
    if (queryParams) amplifyOptions.queryParams = queryParams
    if (options.body !== undefined && method !== 'GET' && method !== 'HEAD') amplifyOptions.body = options.body
    if (!RETRY_SAFE.includes(method)) amplifyOptions.retryStrategy = { strategy: 'no-retry' }

    handOver = headers
    let operation: AmplifyOperation
    try {
      operation = deps.send(method, { apiName, path: normalizedPath, options: amplifyOptions }, libraryHeaders, checked)
    }
    catch (error) {
      handOver = undefined
      throw mapError(error, apiName, normalizedPath)
    }
    if (handOver !== undefined) {
      handOver = undefined
      operation.cancel('headers not read')
      throw new AmplifyRestError('Amplify did not read the REST headers of this call; was Amplify.configure() called again without the module\'s API.REST.headers?')
    }

    let abortedBy: 'signal' | 'timeout' | undefined
    const onAbort = () => {
      abortedBy ??= 'signal'
      operation.cancel('aborted')
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const timer = timeout === undefined
      ? undefined
      : setTimeout(() => {
          abortedBy ??= 'timeout'
          operation.cancel('timeout')
        }, timeout)
    try {
      const response = await operation.response
      seen.status = response.statusCode
      const body = method === 'HEAD'
        ? undefined
        : await parseBody(response).catch((cause: unknown) => {
            // The answer started but the connection closed before its body was read.
            throw new NetworkError(`${apiName} ${normalizedPath}: the connection closed while reading the answer`, { cause })
          })
      if (options.raw || method === 'HEAD') return { statusCode: response.statusCode, headers: response.headers, body }
      return body
    }
    catch (error) {
      if (abortedBy === 'timeout') throw new RequestTimeoutError(timeout!, { cause: error })
      if (abortedBy === 'signal') throw new RequestAbortedError('Request aborted', { cause: error })
      throw mapError(error, apiName, normalizedPath)
    }
    finally {
      if (timer) clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  const restApi: RestApi = {
    get: ((path: string, options?: RestCallOptions) => call('GET', path, options)) as RestApi['get'],
    post: ((path: string, options?: RestCallOptions) => call('POST', path, options)) as RestApi['post'],
    put: ((path: string, options?: RestCallOptions) => call('PUT', path, options)) as RestApi['put'],
    patch: ((path: string, options?: RestCallOptions) => call('PATCH', path, options)) as RestApi['patch'],
    del: ((path: string, options?: RestCallOptions) => call('DELETE', path, options)) as RestApi['del'],
    head: (path, options) => call('HEAD', path, options) as Promise<RawResponse<undefined>>,
  }

  async function libraryHeaders({ apiName }: { apiName: string }): Promise<Record<string, string>> {
    if (handOver !== undefined) {
      const headers = handOver
      handOver = undefined
      return headers
    }
    // A call through Amplify's own functions: the mode's headers, no per-call switch.
    const [name, api] = findApi(apiName)
    return headersFor(name, api, api.authMode, undefined)
  }

  return { restApi, libraryHeaders }
}
