// `$restApi` without Nuxt: resolves the API, path and headers of a call, hands it to Amplify's
// REST functions (browser or server flavour, injected), and maps every outcome to a typed result.
// The same core serves Amplify's own `get`/`post` in app code through `libraryHeaders`.
import type { AuthSession } from '@aws-amplify/core'
import type { AuthMode, ResolvedOptions, ResolvedRestApi } from './options'
import type { CallTokens } from './headers'
import { assertUnderEndpoint, assertValidHeaders, hasOwnAuthorization, normalizePath, resolveHeaders, signingMode } from './headers'
import {
  AmplifyRestError, CredentialsError, InvalidRequestError, NetworkError, RequestAbortedError, RequestTimeoutError,
  RestApiError, SessionExpiredError, UnknownApiError,
} from './errors'

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'

export interface RestCallOptions {
  /** Which API under `amplify.rest`. @default amplify.defaultApi */
  apiName?: string
  /** Headers for this call only; they win over the mode's and the API's (names case-insensitive). */
  headers?: Record<string, string>
  /** Query parameters, merged with any query in the path. */
  query?: Record<string, string | number | boolean>
  /** JSON-serialisable body (or FormData). */
  body?: unknown
  /** Switch the mode for this call only, e.g. 'none' for a public route of a userPool API. */
  authMode?: AuthMode
  signal?: AbortSignal
  /** Milliseconds, as in Amplify. */
  timeout?: number
  /** Resolve to `{ statusCode, headers, body }` instead of the body. */
  raw?: boolean
}

export interface RawResponse<T = unknown> {
  statusCode: number
  headers: Record<string, string>
  body: T
}

type Call = {
  <T = unknown>(path: string, options?: RestCallOptions & { raw?: false }): Promise<T>
  <T = unknown>(path: string, options: RestCallOptions & { raw: true }): Promise<RawResponse<T>>
}

export interface RestApi {
  get: Call
  post: Call
  put: Call
  patch: Call
  del: Call
  head: (path: string, options?: Omit<RestCallOptions, 'body'>) => Promise<RawResponse<undefined>>
}

/** Context of the `amplify:rest:request` hook; change `headers` to change what is sent. */
export interface RestRequestContext {
  apiName: string
  /** Undefined for calls made through Amplify's own functions, which do not tell the method. */
  method?: RestMethod
  path?: string
  authMode: AuthMode
  headers: Record<string, string>
}

/** Context of the `amplify:rest:response` hook: what one call carried and how it ended. Secrets are masked. */
export interface RestCallRecord {
  method: RestMethod
  apiName: string
  path: string
  authMode: AuthMode
  /** Header names sent, each with its value masked to its first and last 4 characters. */
  headers: Record<string, string>
  /** Whether Amplify signed the call with SigV4. */
  signed: boolean
  /** HTTP status, or undefined when no answer came (network error, abort, refused before sending). */
  status?: number
  durationMs: number
  /** The typed error's name, for a call that failed. */
  error?: string
}

/** The first and last 4 characters of a secret, so logs and tools can tell values apart without holding them. */
export function mask(value: string): string {
  return value.length <= 12 ? '•'.repeat(Math.min(value.length, 8)) : `${value.slice(0, 4)}…${value.slice(-4)}`
}

/** What Amplify's `get`/`post`/... return. */
export interface AmplifyOperation {
  response: Promise<{ statusCode: number, headers: Record<string, string>, body?: { text: () => Promise<string> } }>
  cancel: (message?: string) => void
}
export type LibraryHeaders = (input: { apiName: string }) => Promise<Record<string, string>>
/** Identity-pool credentials checked for one `iam` call: the call is signed with exactly these. */
export interface CheckedCredentials {
  credentials: NonNullable<AuthSession['credentials']>
  identityId?: string
}
/**
 * Starts an Amplify REST call. `libraryHeaders` is what the Amplify instance making the call must
 * have as `API.REST.headers`; `checked` (an `iam` call) the credentials it must be signed with.
 */
export type AmplifySend = (method: RestMethod, input: { apiName: string, path: string, options: Record<string, unknown> }, libraryHeaders: LibraryHeaders, checked?: CheckedCredentials) => AmplifyOperation

export interface RestCoreDeps {
  options: () => ResolvedOptions
  /** Fresh Cognito tokens (refreshed first when close to expiry), undefined when signed out. */
  getTokens: () => Promise<CallTokens | undefined>
  getCustomToken: () => string | null | undefined
  callHook?: (context: RestRequestContext) => unknown
  /**
   * Makes sure an `iam` call will be signed: resolves to the credentials it is signed with, throws
   * a typed error otherwise. Amplify would send the request unsigned when it cannot get credentials.
   */
  ensureCredentials?: (apiName: string) => Promise<CheckedCredentials>
  /** Told about every finished call (the `amplify:rest:response` hook). */
  observe?: (record: RestCallRecord) => void
  send: AmplifySend
}

export interface RestCore {
  restApi: RestApi
  /** For `Amplify.configure(..., { API: { REST: { headers } } })`. */
  libraryHeaders: LibraryHeaders
}

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
    if (!api || name === undefined) throw new UnknownApiError(name, Object.keys(options.rest))
    return [name, api]
  }

  async function headersFor(apiName: string, api: ResolvedRestApi, authMode: AuthMode, callHeaders: Record<string, unknown> | undefined, method?: RestMethod, path?: string) {
    const needsTokens = authMode === 'userPool' && !hasOwnAuthorization(callHeaders)
    const tokens = needsTokens ? await deps.getTokens() : undefined
    const headers = resolveHeaders({ apiName, api, authMode, tokens, customToken: deps.getCustomToken(), callHeaders })
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
      deps.observe({ ...observed(method, path, options, seen), status: seen.status, durationMs: Date.now() - started })
      return result
    }
    catch (error) {
      const status = error instanceof RestApiError ? error.statusCode : undefined
      deps.observe({ ...observed(method, path, options, seen), status, durationMs: Date.now() - started, error: (error as Error)?.name })
      throw error
    }
  }

  function observed(method: RestMethod, path: string, options: RestCallOptions, seen: Partial<RestCallRecord>): Omit<RestCallRecord, 'durationMs'> {
    return {
      method,
      apiName: seen.apiName ?? options?.apiName ?? deps.options().defaultApi,
      path: seen.path ?? String(path),
      authMode: seen.authMode ?? options?.authMode ?? 'none',
      headers: seen.headers ?? {},
      signed: seen.signed ?? false,
    }
  }

  async function perform(method: RestMethod, path: string, options: RestCallOptions = {}, seen: Partial<RestCallRecord> = {}): Promise<unknown> {
    if (typeof options !== 'object' || options === null) throw new InvalidRequestError(`Call options must be an object; got ${typeof options}`)
    const [apiName, api] = findApi(options.apiName)
    const normalizedPath = normalizePath(path)
    assertUnderEndpoint(api.endpoint, api.endpoint + normalizedPath)
    const timeout = options.timeout
    if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0))
      throw new InvalidRequestError(`timeout is ${String(timeout)}; expected a number of milliseconds greater than 0`)
    if (options.authMode !== undefined && !['iam', 'apiKey', 'userPool', 'custom', 'none'].includes(options.authMode))
      throw new InvalidRequestError(`authMode is ${JSON.stringify(options.authMode)}; expected one of "iam", "apiKey", "userPool", "custom", "none"`)
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
    get: ((path: string, options?: RestCallOptions) => call('GET', path, options)) as Call,
    post: ((path: string, options?: RestCallOptions) => call('POST', path, options)) as Call,
    put: ((path: string, options?: RestCallOptions) => call('PUT', path, options)) as Call,
    patch: ((path: string, options?: RestCallOptions) => call('PATCH', path, options)) as Call,
    del: ((path: string, options?: RestCallOptions) => call('DELETE', path, options)) as Call,
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

/** Each await before sending is a point where the caller may have aborted: nothing is sent then. */
function assertNotAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RequestAbortedError('Request aborted before it was sent', { cause: signal.reason })
}

function toQueryParams(query: RestCallOptions['query']): Record<string, string> | undefined {
  if (query === undefined) return undefined
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    throw new InvalidRequestError(`query must be an object of names to values; got ${Array.isArray(query) ? 'an array' : typeof query}`)
  const params: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (!['string', 'number', 'boolean'].includes(typeof value))
      throw new InvalidRequestError(`query.${key} is a ${value === null ? 'null' : typeof value}; expected a string, number or boolean`)
    params[key] = String(value)
  }
  return params
}

function assertSerialisable(body: unknown): void {
  if (body === undefined || (typeof FormData !== 'undefined' && body instanceof FormData)) return
  try {
    JSON.stringify(body)
  }
  catch (error) {
    throw new InvalidRequestError(`body cannot be serialised to JSON: ${(error as Error).message}`, { cause: error })
  }
}

async function parseBody(response: { headers: Record<string, string>, body?: { text: () => Promise<string> } }): Promise<unknown> {
  const text = response.body ? await response.body.text() : ''
  return parseText(text, response.headers?.['content-type'])
}

function parseText(text: string, contentType: string | undefined): unknown {
  if (text === '') return contentType?.includes('json') ? null : ''
  if (contentType ? /[/+]json\b/.test(contentType) : /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text)
    }
    catch {
      return text
    }
  }
  return text
}

/** The typed error for a failed credentials lookup of an `iam` call. */
export function credentialsError(apiName: string, cause: unknown): Error {
  if (cause instanceof AmplifyRestError) return cause
  const name = (cause as Error)?.name ?? ''
  if (name === 'NetworkError' || cause instanceof TypeError)
    return new NetworkError(`${apiName}: the identity pool could not be reached for credentials; nothing was sent`, { cause })
  if (name.startsWith('NotAuthorizedException'))
    return new SessionExpiredError(`${apiName}: the identity pool refused the session (${name}); sign in again`, { cause })
  return new CredentialsError(`${apiName}: no credentials from the identity pool (${name || 'error'}: ${(cause as Error)?.message ?? String(cause)}); nothing was sent`, { cause })
}

/** Turns whatever Amplify threw into one of our typed errors. */
export function mapError(error: unknown, apiName: string, path: string): Error {
  if (error instanceof AmplifyRestError) return error
  const err = error as { name?: string, message?: string, response?: { statusCode: number, headers?: Record<string, string>, body?: string } }
  if (err?.response && typeof err.response.statusCode === 'number') {
    const headers = err.response.headers ?? {}
    return new RestApiError({
      statusCode: err.response.statusCode,
      headers,
      body: parseText(err.response.body ?? '', headers['content-type']),
      apiName,
      path,
    }, { cause: error })
  }
  switch (err?.name) {
    case 'NetworkError':
      return new NetworkError(`${apiName} ${path}: no answer from the server (${err.message ?? 'network error'})`, { cause: error })
    case 'TimeoutError':
      return new RequestTimeoutError(undefined, { cause: error })
    case 'CanceledError':
    case 'AbortError':
      return new RequestAbortedError('Request aborted', { cause: error })
    case 'NotAuthorizedException':
    case 'TokenRefreshException':
      return new SessionExpiredError(`The session could not be refreshed (${err.name}); sign in again`, { cause: error })
  }
  return new AmplifyRestError(`${apiName} ${path}: ${err?.message ?? String(error)}`, { cause: error })
}
