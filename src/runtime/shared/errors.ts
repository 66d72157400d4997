// Error classes thrown by `$restApi`, `useServerRestApi` and the auth store.
// Each sets `name` explicitly: class names are minified in production builds,
// so `error.name` is the stable contract, not `error.constructor.name`.

export interface RestApiErrorInit {
  statusCode: number
  body: unknown
  apiName: string
  path: string
  headers?: Record<string, string>
}

/** Base class of every error this module throws, so one `instanceof` catches them all. */
export class AmplifyRestError extends Error {
  override name = 'AmplifyRestError'
  /**
   * The name as a status text: Nuxt's and h3's `createError` copy it when they wrap this error (a
   * page error, `useAsyncData`), so Nuxt's error page says which error it was. Their `cause` is
   * not this error when it has a cause of its own.
   */
  get statusMessage(): string {
    return this.name
  }
}

/** The API answered with a status outside 2xx. */
export class RestApiError extends AmplifyRestError {
  override name = 'RestApiError'
  readonly statusCode: number
  readonly body: unknown
  readonly apiName: string
  readonly path: string
  readonly headers: Record<string, string>
  constructor(init: RestApiErrorInit, options?: { cause?: unknown }) {
    super(`${init.apiName} ${init.path} answered ${init.statusCode}${describeBody(init.body)}`, options)
    this.statusCode = init.statusCode
    this.body = init.body
    this.apiName = init.apiName
    this.path = init.path
    this.headers = init.headers ?? {}
  }
}

/**
 * A call named an API that is not configured here. The message lists the known ones. In the
 * browser, a `serverOnly` API is unknown too (none of its settings are there): `serverOnly` is
 * true then, and the message says where it can be called.
 */
export class UnknownApiError extends AmplifyRestError {
  override name = 'UnknownApiError'
  readonly apiName: string
  readonly knownApis: string[]
  readonly serverOnly: boolean
  constructor(apiName: string | undefined, knownApis: string[], serverOnly = false) {
    const list = knownApis.length ? knownApis.map(n => `"${n}"`).join(', ') : 'none (add one under `amplify.rest`)'
    super(apiName === undefined
      ? `No apiName given and no \`amplify.defaultApi\` set; pass { apiName } (known APIs: ${list})`
      : serverOnly
        ? `REST API "${apiName}" is server-only (amplify.rest.${apiName}.serverOnly): call it while rendering on the server or from a Nitro route (useServerRestApi(event)), not from the browser; APIs the browser can call: ${list}`
        : `Unknown REST API "${apiName}"; known APIs: ${list}`)
    this.apiName = apiName ?? ''
    this.knownApis = knownApis
    this.serverOnly = serverOnly
  }
}

/** A `userPool` call was made while no user is signed in, or an `iam` call while there are no credentials. Nothing was sent. */
export class NotSignedInError extends AmplifyRestError {
  override name = 'NotSignedInError'
  readonly apiName: string
  constructor(apiName: string, authMode: 'userPool' | 'iam' = 'userPool') {
    super(authMode === 'iam'
      ? `REST API "${apiName}" uses authMode "iam" and there are no credentials: sign in, or allow guest access (amplify.auth.allowGuestAccess)`
      : `REST API "${apiName}" uses authMode "userPool" and needs a signed-in user; sign in first or pass { authMode: 'none' }`)
    this.apiName = apiName
  }
}

/** The identity pool could not give credentials for an `iam` call. Nothing was sent (never unsigned). */
export class CredentialsError extends AmplifyRestError {
  override name = 'CredentialsError'
}

/** A `custom` call was made before `setCustomToken()` gave a token. Nothing was sent. */
export class MissingCustomTokenError extends AmplifyRestError {
  override name = 'MissingCustomTokenError'
  readonly apiName: string
  constructor(apiName: string) {
    super(`REST API "${apiName}" uses authMode "custom" but no token is set; call useAmplifyAuth().setCustomToken(token) first or pass headers: { Authorization }`)
    this.apiName = apiName
  }
}

/** A header name or value would corrupt the request (CR, LF, NUL, not a string). Nothing was sent. */
export class InvalidHeaderError extends AmplifyRestError {
  override name = 'InvalidHeaderError'
  readonly header: string
  constructor(header: string, problem: string) {
    // The value is never quoted: it may be a token.
    super(`Header ${JSON.stringify(header)} ${problem}`)
    this.header = header
  }
}

/** The path is not a plain relative path below the API's endpoint. Nothing was sent. */
export class InvalidPathError extends AmplifyRestError {
  override name = 'InvalidPathError'
  readonly path: string
  constructor(path: string, problem: string) {
    super(`Path ${JSON.stringify(String(path))} ${problem}; expected a path relative to the API's endpoint, e.g. 'items/1'`)
    this.path = String(path)
  }
}

/** An option of a call is wrong (timeout, body, method options). Nothing was sent. */
export class InvalidRequestError extends AmplifyRestError {
  override name = 'InvalidRequestError'
}

/** The caller aborted the call through its `signal`. */
export class RequestAbortedError extends AmplifyRestError {
  override name = 'RequestAbortedError'
}

/** The call did not finish within its `timeout`. */
export class RequestTimeoutError extends AmplifyRestError {
  override name = 'RequestTimeoutError'
  readonly timeout: number | undefined
  constructor(timeout: number | undefined, options?: { cause?: unknown }) {
    super(timeout === undefined ? 'Request timed out' : `Request timed out after ${timeout} ms`, options)
    this.timeout = timeout
  }
}

/** The session could not be refreshed (refresh token expired or revoked, user pool unreachable). */
export class SessionExpiredError extends AmplifyRestError {
  override name = 'SessionExpiredError'
}

/**
 * A token Cognito issued is too big for a browser cookie (name and value over 4096 bytes), so the
 * browser would drop it and leave the session half-stored. Nothing was stored: the user is signed
 * out locally. Tokens grow with the user's groups (`cognito:groups`) and custom claims.
 */
export class TokenTooLargeError extends AmplifyRestError {
  override name = 'TokenTooLargeError'
  /** `idToken`, `accessToken` or `refreshToken`. */
  readonly token: string
  /** Bytes of the cookie's name and value as the browser would store them. */
  readonly bytes: number
  constructor(token: string, bytes: number, limit: number) {
    super(`The ${token} cookie would be ${bytes} bytes, over the ${limit} bytes a browser keeps in one cookie, so the session cannot be stored `
      + `(signed out locally). Tokens grow with the user's groups (cognito:groups) and custom claims: put the user in fewer groups, `
      + `trim custom attributes, or drop claims with a pre token generation Lambda`)
    this.token = token
    this.bytes = bytes
  }
}

/** The request never got an HTTP answer (connection refused, reset, DNS). */
export class NetworkError extends AmplifyRestError {
  override name = 'NetworkError'
}

function describeBody(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string')
    return `: ${body.message}`
  if (typeof body === 'string' && body.length > 0 && body.length <= 200)
    return `: ${body}`
  return ''
}

/** `session: 'server'`: a proxied request body or answer is over `amplify.proxyMaxBytes` (HTTP 413). */
export class PayloadTooLargeError extends AmplifyRestError {
  override name = 'PayloadTooLargeError'
  readonly statusCode = 413
  /** The limit in bytes. */
  readonly limit: number
  /** Which side was too large: the call's body (`'request'`) or the API's answer (`'response'`). */
  readonly direction: 'request' | 'response'
  constructor(direction: 'request' | 'response', limit: number) {
    super(`The ${direction === 'request' ? 'request body' : 'answer'} is over ${limit} bytes (amplify.proxyMaxBytes)`)
    this.limit = limit
    this.direction = direction
  }
}

/**
 * `session: 'server'`: the user pool refused a sign-in step (wrong password, unknown user, wrong
 * code, password policy). `code` is Cognito's exception name, e.g. 'NotAuthorizedException'.
 */
export class SignInError extends AmplifyRestError {
  override name = 'SignInError'
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
