// What goes on the wire for one call: the mode's headers, the API's static headers and the
// call's overrides, merged case-insensitively and checked; and the path, checked so that a call
// can never carry an API's credentials to another place. Pure: no Nuxt, no Amplify.
import type { AuthMode, ResolvedRestApi } from './option-types'
import { InvalidHeaderError, InvalidPathError, InvalidRequestError, MissingCustomTokenError, NotSignedInError } from './errors'

export interface CallTokens {
  idToken?: string
  accessToken?: string
}

export interface HeaderInput {
  apiName: string
  api: ResolvedRestApi
  /** The call's mode, when it switches away from the API's own. */
  authMode: AuthMode
  /** Cognito tokens; only read in `userPool` mode, and only when the call sets no Authorization itself. */
  tokens?: CallTokens
  customToken?: string | null
  callHeaders?: Record<string, unknown>
}

/** Whether the request is SigV4-signed: Amplify's `defaultAuthMode` for that call. */
export type SigningMode = 'iam' | 'none'

/** True when the merged headers leave the mode nothing to add: the call brought its own Authorization. */
export function hasOwnAuthorization(callHeaders: Record<string, unknown> | undefined): boolean {
  if (!callHeaders) return false
  return Object.entries(callHeaders).some(([name, value]) => name.toLowerCase() === 'authorization' && typeof value === 'string' && value !== '')
}

/**
 * The headers of one call, lower-cased, with the call's own headers winning over the API's
 * static ones and those over the mode's. An empty Authorization is dropped (it would break the
 * signature); a call that brings its own Authorization needs no token of the mode.
 */
export function resolveHeaders(input: HeaderInput): Record<string, string> {
  const { apiName, api, authMode, callHeaders } = input
  const own = hasOwnAuthorization(callHeaders)
  const mode: Record<string, string> = {}
  if (authMode === 'apiKey') {
    if (!api.apiKey) throw new InvalidRequestError(`authMode "apiKey" was asked for API "${apiName}", which has no apiKey; set amplify.rest.${apiName}.apiKey`)
    mode['x-api-key'] = api.apiKey
  }
  else if (authMode === 'userPool' && !own) {
    const token = api.token === 'access' ? input.tokens?.accessToken : input.tokens?.idToken
    if (!token) throw new NotSignedInError(apiName)
    mode.authorization = withScheme(api, token)
  }
  else if (authMode === 'custom' && !own) {
    if (!input.customToken) throw new MissingCustomTokenError(apiName)
    mode.authorization = withScheme(api, input.customToken)
  }
  return mergeHeaders(mode, api.headers, callHeaders)
}

/** Merges header layers case-insensitively, later layers winning; drops undefined values and an empty Authorization. */
export function mergeHeaders(...layers: (Record<string, unknown> | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = {}
  for (const layer of layers) {
    if (!layer) continue
    for (const [name, value] of Object.entries(layer)) {
      if (value === undefined) continue
      const problem = headerProblem(name, value)
      if (problem) throw new InvalidHeaderError(name, problem)
      merged[name.toLowerCase()] = value as string
    }
  }
  if (merged.authorization === '') delete merged.authorization
  return merged
}

/**
 * Request headers an app may not set, lower-case. Browsers silently drop the Fetch standard's
 * forbidden request headers (https://fetch.spec.whatwg.org/#forbidden-request-header) while Node
 * sends them, so the same call would differ between the browser and SSR; the hop-by-hop headers
 * (RFC 9110 §7.6.1) describe one connection, and `Host`, `Content-Length` and `Transfer-Encoding`
 * set by hand can make a proxy and the API read the request differently (request smuggling).
 * Refused everywhere, so every side sends the same request. `Trailers` (RFC 2616's spelling) too.
 */
export const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade', 'via',
])
/** Headers that switch the method on some servers: forbidden by Fetch with a forbidden method as value. */
const METHOD_OVERRIDES = ['x-http-method', 'x-http-method-override', 'x-method-override']

/** Why a header would be refused, or undefined when it is fine. Shared by option validation and calls. */
export function headerProblem(name: string, value: unknown): string | undefined {
  if (!/^[!#$%&'*+\-.^\w`|~]+$/.test(name))
    return 'has an invalid name; expected letters, digits and !#$%&\'*+-.^_`|~ only'
  const lower = name.toLowerCase()
  if (lower === '__proto__')
    return 'is a reserved name'
  if (FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-'))
    return 'is a forbidden request header (set by the browser or the HTTP client, hop-by-hop, or dropped by browsers); remove it'
  if (typeof value !== 'string')
    return `has a ${value === null ? 'null' : typeof value} value; expected a string`

  if (/[\r\n\0]/.test(value))
    return 'has a value with CR, LF or NUL; expected a single-line value'

  if (/[^\t\x20-\x7E\x80-\xFF]/.test(value))
    return 'has a value with characters outside Latin-1 or control characters; expected printable ISO-8859-1 (encode other text, e.g. with encodeURIComponent)'
  if (METHOD_OVERRIDES.includes(lower) && value.split(',').some(method => ['CONNECT', 'TRACE', 'TRACK'].includes(method.trim().toUpperCase())))
    return 'names a forbidden method (CONNECT, TRACE, TRACK); remove it'
  return undefined
}

/** Checks headers again after a hook changed them. */
export function assertValidHeaders(headers: Record<string, unknown>): Record<string, string> {
  return mergeHeaders(headers)
}

/**
 * How Amplify should treat the call: `iam` calls are signed unless the call brought its own
 * Authorization (Amplify would not sign then either); every other mode is sent unsigned, which
 * also spares a credentials lookup. An `X-Api-Key` alone does not stop Amplify from signing.
 */
export function signingMode(authMode: AuthMode, headers: Record<string, string>): SigningMode {
  return authMode === 'iam' && !headers.authorization ? 'iam' : 'none'
}

function withScheme(api: ResolvedRestApi, token: string): string {
  return api.scheme ? `${api.scheme} ${token}` : token
}

/**
 * Normalizes a call's path to one leading slash ('items' and '/items' are the same) and refuses
 * anything that could leave the API's endpoint: a URL, a `//host` path, backslashes, control
 * characters, or `..` segments (also percent-encoded) that climb above the endpoint.
 */
export function normalizePath(path: unknown): string {
  if (typeof path !== 'string') throw new InvalidPathError(`<${path === null ? 'null' : typeof path}>`, `is a ${path === null ? 'null' : typeof path}, not a string`)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || /^(?:https?|javascript|data|file|blob|vbscript|wss?|ftp):/i.test(path))
    throw new InvalidPathError(path, 'is a URL')
  if (path.startsWith('//')) throw new InvalidPathError(path, 'starts with "//" (another host)')
  if (path.includes('\\')) throw new InvalidPathError(path, 'contains a backslash')
  // eslint-disable-next-line no-control-regex
  if (/[\0-\x1F\x7F]/.test(path)) throw new InvalidPathError(path, 'contains a control character')
  // URL parsers strip whitespace at the ends of a URL: '.. ' at the end would become '..'.
  if (/^\s|\s$/.test(path)) throw new InvalidPathError(path, 'starts or ends with whitespace')
  const pathname = path.split(/[?#]/, 1)[0]!
  let depth = 0
  for (const segment of pathname.split('/')) {
    const decoded = decodeFully(segment, path)
    if (decoded.includes('/') || decoded.includes('\\')) throw new InvalidPathError(path, 'contains an encoded slash')
    // Tomcat, Jetty and Spring drop a segment's ";parameters" before resolving dots: "..;x" is
    // "..", and ";x" is an empty segment, so the depth counts what is left of each segment.
    const bare = decoded.split(';', 1)[0]!
    if (bare !== decoded && (bare === '..' || bare === '.'))
      throw new InvalidPathError(path, `has a dot segment with a ";" parameter ("${bare};"), which Java servers read as "${bare}"`)
    if (bare === '..') depth--
    else if (bare !== '.' && bare !== '') depth++
    if (depth < 0) throw new InvalidPathError(path, 'climbs above the API\'s endpoint with ".."')
  }
  return path === '' ? '' : `/${path.replace(/^\/+/, '')}`
}

/** Belt and braces after URL resolution: the request URL must stay under the endpoint. */
export function assertUnderEndpoint(endpoint: string, url: URL | string): void {
  const base = endpointBase(endpoint)
  const target = typeof url === 'string' ? new URL(url) : url
  if (target.origin !== base.origin || (target.pathname !== base.path && !target.pathname.startsWith(`${base.path}/`)))
    throw new InvalidPathError(target.pathname, `resolves outside the endpoint ${base.origin}${base.path}`)
}

// An API's endpoint parsed once (calls check against a handful of configured endpoints).
const endpointBases = new Map<string, { origin: string, path: string }>()
function endpointBase(endpoint: string): { origin: string, path: string } {
  let base = endpointBases.get(endpoint)
  if (!base) {
    const url = new URL(endpoint)
    base = { origin: url.origin, path: url.pathname.replace(/\/+$/, '') }
    if (endpointBases.size >= 64) endpointBases.clear()
    endpointBases.set(endpoint, base)
  }
  return base
}

// Servers and proxies may decode more than once, so a segment counts as what it becomes after all decoding.
function decodeFully(segment: string, path: string): string {
  let current = segment
  for (let i = 0; i < 4; i++) {
    let next: string
    try {
      next = decodeURIComponent(current)
    }
    catch {
      throw new InvalidPathError(path, 'has a malformed percent-encoding')
    }
    if (next === current) return next
    current = next
  }
  throw new InvalidPathError(path, 'is percent-encoded too many times')
}
