// `session: 'server'`: what crosses the same-origin proxy. The browser packs a `$restApi` call into
// one request to `/api/_amplify/rest/<apiName>/<path>`; the server unpacks it into the same call
// for its own `$restApi`, and passes the answer back; typed errors travel by name. Pure.
import type { AuthMode } from './option-types'
import { AUTH_MODES } from './option-types'
import * as errors from './errors'
import { AmplifyRestError, InvalidHeaderError, InvalidRequestError, PayloadTooLargeError, RestApiError } from './errors'
import { AUTH_MODE_HEADER, CALL_HEADERS_HEADER, CUSTOM_TOKEN_HEADER, ERROR_HEADER, TIMEOUT_HEADER } from './session-routes'
import type { RestCallOptions, RestMethod } from './rest-types'
import { isJsonType } from './rest-outcome'

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']
/** Headers a call cannot set through the proxy: the connection's own, and the browser's cookies and host. */
export const REFUSED_CALL_HEADERS: readonly string[] = [...HOP_BY_HOP, 'cookie', 'host', 'content-length']
/** Headers of the API's answer the proxy does not pass on (the proxy's own connection and cookies). */
const DROPPED_ANSWER_HEADERS = new Set([...HOP_BY_HOP, 'set-cookie', 'content-length', 'content-encoding'])
export const PROXY_METHODS: readonly RestMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']

/** Refuses a header a call may not set through the proxy (the same rule in the browser and on the server). */
export function assertProxyCallHeaders(headers: Record<string, unknown> | undefined): void {
  for (const name of Object.keys(headers ?? {})) {
    const lower = name.toLowerCase()
    if (REFUSED_CALL_HEADERS.includes(lower) || lower.startsWith('x-amplify-'))
      throw new InvalidHeaderError(name, 'cannot be set per call with amplify.session "server" (hop-by-hop headers, Cookie, Host and the proxy\'s own x-amplify-* headers belong to the proxy)')
  }
}

/** A proxied call as the server's `$restApi` makes it. */
export interface ProxiedCall {
  method: RestMethod
  apiName: string
  path: string
  options: RestCallOptions
  /** The app's custom token the browser sent for `custom` APIs, if any. */
  customToken?: string
}

export interface ProxyRequestInput {
  method: string
  /** What follows `/api/_amplify/rest/` in the URL, still percent-encoded: `<apiName>/<path>`. */
  rest: string
  /** The URL's query string, with or without the leading '?'. */
  search: string
  /** The request's headers, names lower-case. */
  headers: Record<string, string | undefined>
}

/** Unpacks a proxy request into the call the server makes; a typed error (400) for anything malformed. */
export function parseProxyCall({ method, rest, search, headers }: ProxyRequestInput): ProxiedCall {
  const upper = method.toUpperCase() as RestMethod
  if (!PROXY_METHODS.includes(upper)) throw new InvalidRequestError(`method ${method} is not one $restApi sends`)
  const slash = rest.indexOf('/')
  const apiName = slash === -1 ? rest : rest.slice(0, slash)
  const path = slash === -1 ? '' : rest.slice(slash + 1)
  if (!/^[A-Z][A-Z0-9]*$/i.test(apiName)) throw new InvalidRequestError('the proxy URL names no API; expected /api/_amplify/rest/<apiName>/<path>')

  // Any name: the server's own $restApi answers an unknown one with UnknownApiError.
  const options: RestCallOptions = { apiName: apiName as RestCallOptions['apiName'] }
  const callHeaders = headers[CALL_HEADERS_HEADER]
  if (callHeaders !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(callHeaders)
    }
    catch {
      throw new InvalidRequestError(`the ${CALL_HEADERS_HEADER} header is not JSON`)
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some(v => typeof v !== 'string'))
      throw new InvalidRequestError(`the ${CALL_HEADERS_HEADER} header must be a JSON object of header names to strings`)
    assertProxyCallHeaders(parsed as Record<string, string>)
    options.headers = parsed as Record<string, string>
  }
  const authMode = headers[AUTH_MODE_HEADER]
  if (authMode !== undefined) {
    if (!(AUTH_MODES as readonly string[]).includes(authMode)) throw new InvalidRequestError(`authMode is ${JSON.stringify(authMode)}; expected one of ${AUTH_MODES.map(m => `"${m}"`).join(', ')}`)
    options.authMode = authMode as AuthMode
  }
  const timeout = headers[TIMEOUT_HEADER]
  if (timeout !== undefined) {
    const ms = Number(timeout)
    if (!Number.isFinite(ms) || ms <= 0) throw new InvalidRequestError(`timeout is ${JSON.stringify(timeout)}; expected a number of milliseconds greater than 0`)
    options.timeout = ms
  }
  const query = new URLSearchParams(search)
  if ([...query.keys()].length) options.query = Object.fromEntries(query)
  const customToken = headers[CUSTOM_TOKEN_HEADER]
  return { method: upper, apiName, path, options, ...(customToken ? { customToken } : {}) }
}

/** The body a proxied call carries: JSON (what `$restApi` sends) or text as it came. */
export function decodeProxyBody(bytes: Uint8Array, contentType: string | undefined): unknown {
  if (!bytes.length) return undefined
  const text = new TextDecoder().decode(bytes)
  if (contentType && isJsonType(contentType)) {
    try {
      return JSON.parse(text)
    }
    catch {
      throw new InvalidRequestError('the request body is not valid JSON although its content-type says so')
    }
  }
  return text
}

/** Refuses a body or answer over the limit. */
export function assertWithinLimit(bytes: number, limit: number, direction: 'request' | 'response'): void {
  if (bytes > limit) throw new PayloadTooLargeError(direction, limit)
}

/** The API's answer headers the browser gets (not the proxy's connection, cookies or encoding). */
export function answerHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (!DROPPED_ANSWER_HEADERS.has(lower) && !lower.startsWith('x-amplify-')) out[lower] = value
  }
  return out
}

/** The HTTP status the proxy answers a typed error with. */
export function errorStatus(error: AmplifyRestError): number {
  switch (error.name) {
    case 'PayloadTooLargeError': return 413
    case 'NotSignedInError':
    case 'MissingCustomTokenError':
    case 'SessionExpiredError':
    case 'SignInError': return 401
    case 'RequestTimeoutError': return 504
    case 'NetworkError':
    case 'CredentialsError': return 502
    case 'RequestAbortedError': return 499
    case 'AmplifyRestError': return 500
    default: return 400
  }
}

/** A typed error as the proxy sends it: its name and message and its own fields (no cause, no stack). */
export function errorToWire(error: AmplifyRestError): Record<string, unknown> {
  const { cause: _cause, stack: _stack, ...fields } = Object.assign({}, error) as unknown as Record<string, unknown>
  return { ...fields, name: error.name, message: error.message }
}

// Each class is exported under its `name` (the errors module's rule), so the export name finds it.
const ERROR_CLASSES = new Map<string, typeof AmplifyRestError>(
  Object.entries(errors).filter((entry): entry is [string, typeof AmplifyRestError] =>
    typeof entry[1] === 'function' && (entry[1] === AmplifyRestError || entry[1].prototype instanceof AmplifyRestError)),
)

/** The browser's side of `errorToWire`: the same class (so `instanceof` works), the same fields. */
export function errorFromWire(wire: Record<string, unknown>): AmplifyRestError {
  const name = typeof wire.name === 'string' ? wire.name : 'AmplifyRestError'
  const Class = ERROR_CLASSES.get(name) ?? AmplifyRestError
  const error = new AmplifyRestError(typeof wire.message === 'string' ? wire.message : 'The server could not make the call')
  Object.setPrototypeOf(error, Class.prototype)
  const { message: _message, ...fields } = wire
  return Object.assign(error, fields, { name: ERROR_CLASSES.has(name) ? name : 'AmplifyRestError' })
}

/** How the browser reads a proxy answer that is not 2xx: the proxy's typed error, or the API's `RestApiError`. */
export function proxyFailure(answer: { status: number, headers: Record<string, string>, body: unknown }, apiName: string, path: string): AmplifyRestError {
  if (answer.headers[ERROR_HEADER] && answer.body && typeof answer.body === 'object') return errorFromWire(answer.body as Record<string, unknown>)
  return new RestApiError({ statusCode: answer.status, headers: answer.headers, body: answer.body, apiName, path })
}
