// `session: 'server'`: the module's routes, the headers the browser and the server agree on, and the
// same-origin check every route runs before anything reaches Cognito or an API. Pure.

export const SESSION_ROUTE_PREFIX = '/api/_amplify'
export const SESSION_ROUTES = {
  signIn: `${SESSION_ROUTE_PREFIX}/auth/sign-in`,
  signOut: `${SESSION_ROUTE_PREFIX}/auth/sign-out`,
  session: `${SESSION_ROUTE_PREFIX}/auth/session`,
  rest: `${SESSION_ROUTE_PREFIX}/rest`,
} as const

/**
 * Sent by the module's browser code with every request to these routes. An HTML form cannot send
 * a custom header, and a cross-origin `fetch` with one needs a CORS preflight the routes never grant.
 */
export const REQUEST_HEADER = 'x-amplify-request'
export const REQUEST_HEADER_VALUE = '1'
/** The call's own headers (`$restApi`'s `headers` option), JSON-encoded into one request header. */
export const CALL_HEADERS_HEADER = 'x-amplify-headers'
/** The call's `authMode` override. */
export const AUTH_MODE_HEADER = 'x-amplify-auth-mode'
/** The call's `timeout` in ms, so the server stops waiting for the API too. */
export const TIMEOUT_HEADER = 'x-amplify-timeout'
/** The store's custom token for `custom` APIs (the app's own token, which the browser holds anyway). */
export const CUSTOM_TOKEN_HEADER = 'x-amplify-custom-token'
/** On an answer: the name of the module's typed error, when the proxy (not the API) failed the call. */
export const ERROR_HEADER = 'x-amplify-error'

export interface OriginCheckInput {
  /** The request's headers, names lower-case. */
  headers: Record<string, string | undefined>
  /** This app's origin as the request reached it, e.g. 'https://app.example.com'. */
  origin: string
}

/**
 * Why a request to the module's routes is refused (403), or undefined when it comes from this
 * app's own pages: the custom header must be there, `Sec-Fetch-Site` (sent by current browsers)
 * must say 'same-origin', and an `Origin` header must be this app's origin.
 */
export function crossSiteProblem({ headers, origin }: OriginCheckInput): string | undefined {
  if (headers[REQUEST_HEADER] !== REQUEST_HEADER_VALUE) return `the ${REQUEST_HEADER} header is missing`
  const site = headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin') return `Sec-Fetch-Site is "${site}", not "same-origin"`
  const from = headers.origin
  if (from !== undefined && from.toLowerCase() !== origin.toLowerCase()) return 'the Origin is not this app\'s'
  return undefined
}
