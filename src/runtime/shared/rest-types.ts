// The REST call's public types (`$restApi`, its options and results, the runtime hooks' context and
// record) and the seams the core is built with (what Amplify's REST functions look like, the
// dependencies each side injects). Types only.
import type { AuthSession } from '@aws-amplify/core'
import type { AuthMode, ResolvedOptions } from './option-types'
import type { CallTokens } from './headers'
import type { PathParams } from './rest-path'
import type { ApiName } from './api-names'
import type { SpecAwareCall } from './openapi-paths'

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'

export interface RestCallOptions {
  /** Which API under `amplify.rest`. @default amplify.defaultApi */
  apiName?: ApiName
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
  /** Values for `{name}` placeholders in the path (`items/{id}`), each encoded as one path segment. */
  pathParams?: PathParams
}

export interface RawResponse<T = unknown> {
  statusCode: number
  headers: Record<string, string>
  body: T
}

export type Call = {
  <T = unknown>(path: string, options?: RestCallOptions & { raw?: false }): Promise<T>
  <T = unknown>(path: string, options: RestCallOptions & { raw: true }): Promise<RawResponse<T>>
}

/** Each method is typed from the API's OpenAPI spec where it has one (`rest.<name>.openapi`), else `Call`. */
export interface RestApi {
  get: SpecAwareCall<'get', Call>
  post: SpecAwareCall<'post', Call>
  put: SpecAwareCall<'put', Call>
  patch: SpecAwareCall<'patch', Call>
  del: SpecAwareCall<'delete', Call>
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
