// The `amplify` options: their types, how outputs + options merge into the resolved
// shape kept at `runtimeConfig.public.amplify`, and the validation that fails the build.
// Pure TypeScript: no Nuxt, no Amplify, no file system.

export const AUTH_MODES = ['iam', 'apiKey', 'userPool', 'custom', 'none'] as const
/** How a REST API is authorized. See the README's table. */
export type AuthMode = typeof AUTH_MODES[number]
export const TOKEN_KINDS = ['id', 'access'] as const
export type TokenKind = typeof TOKEN_KINDS[number]
export const AUTH_FLOW_TYPES = ['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const
export type AuthFlowType = typeof AUTH_FLOW_TYPES[number]
export const SCHEMES = ['', 'Bearer'] as const
export type AuthScheme = typeof SCHEMES[number]

export interface RestApiOptions {
  /**
   * Base URL of the API (an API Gateway stage URL or any absolute http(s) URL). Paths of calls are relative to it.
   * @example 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod'
   */
  endpoint?: string
  /**
   * SigV4 signing region. An `execute-api` endpoint names its own region; other endpoints use this.
   * @default region of an execute-api endpoint, else 'us-east-1' (as Amplify)
   */
  region?: string
  /**
   * What goes on the wire: SigV4 (`iam`), `X-Api-Key` (`apiKey`), a Cognito JWT (`userPool`),
   * the app's own token (`custom`) or nothing (`none`).
   * @default 'iam'
   */
  authMode?: AuthMode
  /**
   * Which Cognito token `userPool` mode sends.
   * @default 'id'
   */
  token?: TokenKind
  /** The API key sent as `X-Api-Key` in `apiKey` mode. Required in that mode. */
  apiKey?: string
  /**
   * Prefix for the `Authorization` value in `userPool` and `custom` modes. API Gateway's Cognito
   * authorizer wants the raw token (''); JWT authorizers of HTTP APIs accept 'Bearer'.
   * @default ''
   */
  scheme?: AuthScheme
  /** Static headers sent with every call to this API (a call's own headers win). */
  headers?: Record<string, string>
}

export interface AuthOptions {
  /** Cognito region. @default outputs.auth.aws_region, else the region part of `identityPoolId` */
  region?: string
  /** @default outputs.auth.user_pool_id */
  userPoolId?: string
  /** @default outputs.auth.user_pool_client_id */
  userPoolClientId?: string
  /** @default outputs.auth.identity_pool_id */
  identityPoolId?: string
  /**
   * Let signed-out visitors get guest (unauthenticated role) credentials for `iam` APIs.
   * @default outputs.auth.unauthenticated_identities_enabled, else true
   */
  allowGuestAccess?: boolean
  /** Custom Cognito user pool endpoint, e.g. a local emulator. @default '' (AWS) */
  userPoolEndpoint?: string
  /** Custom Cognito identity endpoint, e.g. a local emulator. @default '' (AWS) */
  identityPoolEndpoint?: string
  /**
   * The `iss` of the user pool's tokens, which the server checks before it trusts a token cookie.
   * Only an emulator needs it (its tokens name the emulator's own URL).
   * @default 'https://cognito-idp.<region>.amazonaws.com/<userPoolId>'
   */
  userPoolIssuer?: string
  /**
   * Sign-in flow of `signIn()`. Emulators such as cognito-local need 'USER_PASSWORD_AUTH'.
   * @default 'USER_SRP_AUTH'
   */
  authFlowType?: AuthFlowType
}

/** The Gen 2 `amplify_outputs.json` parts this module reads. */
export interface AmplifyOutputs {
  auth?: {
    aws_region?: string
    user_pool_id?: string
    user_pool_client_id?: string
    identity_pool_id?: string
    unauthenticated_identities_enabled?: boolean
    [key: string]: unknown
  }
  custom?: { API?: Record<string, { endpoint?: string, region?: string, [key: string]: unknown }>, [key: string]: unknown }
  [key: string]: unknown
}

export const SAME_SITE = ['lax', 'strict', 'none'] as const
export type CookieSameSite = typeof SAME_SITE[number]
export type CookieSecure = 'auto' | boolean

export interface CookieOptions {
  /** Cookie domain, e.g. '.example.com' to share the session with subdomains. @default '' (the host) */
  domain?: string
  /** Lifetime of the token cookies in seconds. @default 2592000 (30 days, Cognito's default refresh-token life) */
  maxAge?: number
  /** @default 'lax' */
  sameSite?: CookieSameSite
  /**
   * `Secure` attribute: 'auto' sets it on HTTPS (the server also trusts `X-Forwarded-Proto: https`)
   * and always with `sameSite: 'none'` (browsers reject `SameSite=None` without it); the browser and
   * the server apply the same rule. `true` always, `false` never (plain-HTTP development only).
   * @default 'auto'
   */
  secure?: CookieSecure
}

export interface RedirectOptions {
  /** Where the `amplify-auth` middleware sends signed-out visitors (with `?redirect=<page>`). @default '/login' */
  login?: string
  /** Where a signed-in user visiting the login route is sent when there is no `redirect`. @default '/' */
  home?: string
}

export interface ModuleOptions {
  /**
   * Gen 2 outputs: a path from rootDir to `amplify_outputs.json`, or the object itself.
   * Its `auth` configures Cognito; its `custom.API` entries become REST APIs.
   * @example './amplify_outputs.json'
   */
  outputs?: string | AmplifyOutputs
  /** Cognito settings; each key overrides the outputs file. */
  auth?: AuthOptions
  /** REST APIs by name, merged over `outputs.custom.API` by name. */
  rest?: Record<string, RestApiOptions>
  /** API used by calls that name no `apiName`. @default the only API, if there is exactly one */
  defaultApi?: string
  /** Keep tokens in cookies so the server can render with the user's identity. @default true */
  ssr?: boolean
  /** Attributes of the token cookies (`ssr: true`). `Secure` is set on HTTPS, `path` is always '/'. */
  cookie?: CookieOptions
  /** Routes of the `amplify-auth` middleware. */
  redirect?: RedirectOptions
  /**
   * Send `Cache-Control: private, no-cache, no-store, max-age=0, must-revalidate` with every server
   * response that read the Amplify session or wrote its cookies (unless the response has its own
   * `Cache-Control`), so a CDN never serves one user's page to another.
   * @default true
   */
  cacheControl?: boolean
}

export interface ResolvedRestApi {
  endpoint: string
  region: string
  authMode: AuthMode
  token: TokenKind
  apiKey: string
  scheme: AuthScheme
  headers: Record<string, string>
}

export interface ResolvedAuth {
  region: string
  userPoolId: string
  userPoolClientId: string
  identityPoolId: string
  allowGuestAccess: boolean
  userPoolEndpoint: string
  identityPoolEndpoint: string
  userPoolIssuer: string
  authFlowType: AuthFlowType
}

/** The shape of `runtimeConfig.public.amplify`: every key present, '' where unset, so env variables can override it. */
export interface ResolvedOptions {
  auth: ResolvedAuth
  rest: Record<string, ResolvedRestApi>
  defaultApi: string
  ssr: boolean
  cookie: Required<CookieOptions>
  redirect: Required<RedirectOptions>
  cacheControl: boolean
}

export const MODULE_OPTION_KEYS = ['outputs', 'auth', 'rest', 'defaultApi', 'ssr', 'cookie', 'redirect', 'cacheControl'] as const
export const DEFAULT_COOKIE_MAX_AGE = 30 * 24 * 3600
const AUTH_KEYS: (keyof AuthOptions)[] = ['region', 'userPoolId', 'userPoolClientId', 'identityPoolId', 'allowGuestAccess', 'userPoolEndpoint', 'identityPoolEndpoint', 'userPoolIssuer', 'authFlowType']
const REST_KEYS: (keyof RestApiOptions)[] = ['endpoint', 'region', 'authMode', 'token', 'apiKey', 'scheme', 'headers']
const DEFAULT_SIGNING_REGION = 'us-east-1'
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/

/** Thrown (at build or dev start, and at app start for env overrides) with every problem found. */
export class AmplifyOptionsError extends Error {
  override name = 'AmplifyOptionsError'
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`[nuxt-amplify-rest] invalid \`amplify\` options:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.problems = problems
  }
}

export interface MergeResult {
  options: ResolvedOptions
  problems: string[]
  warnings: string[]
}

/**
 * Merges outputs and options into the resolved shape and reports problems of the raw input
 * (wrong types, entries without endpoint, unknown keys). `outputs` is the parsed outputs object:
 * reading the file is the caller's job (see `parseOutputsJson`).
 */
export function mergeOptions(input: ModuleOptions = {}, outputs?: AmplifyOutputs): MergeResult {
  const problems: string[] = []
  const warnings: string[] = []
  if (!isRecord(input)) {
    problems.push(`amplify is ${describe(input)}; expected an object`)
    input = {}
  }
  for (const key of Object.keys(input)) {
    if (!(MODULE_OPTION_KEYS as readonly string[]).includes(key))
      warnings.push(`amplify.${key} is not an option of nuxt-amplify-rest and is ignored${closest(key, MODULE_OPTION_KEYS)}`)
  }
  const outAuth = isRecord(outputs?.auth) ? outputs.auth : {}
  const auth = isRecord(input.auth) ? input.auth : {}
  if (input.auth !== undefined && !isRecord(input.auth))
    problems.push(`amplify.auth is ${describe(input.auth)}; expected an object`)
  for (const key of Object.keys(auth)) {
    if (!(AUTH_KEYS as string[]).includes(key))
      warnings.push(`amplify.auth.${key} is not an option and is ignored${closest(key, AUTH_KEYS)}`)
  }
  const identityPoolId = pick(auth.identityPoolId, outAuth.identity_pool_id, '')
  const resolvedAuth: ResolvedAuth = {
    region: pick(auth.region, outAuth.aws_region, typeof identityPoolId === 'string' && identityPoolId.includes(':') ? identityPoolId.split(':')[0]! : ''),
    userPoolId: pick(auth.userPoolId, outAuth.user_pool_id, ''),
    userPoolClientId: pick(auth.userPoolClientId, outAuth.user_pool_client_id, ''),
    identityPoolId,
    allowGuestAccess: pick(auth.allowGuestAccess, outAuth.unauthenticated_identities_enabled, true),
    userPoolEndpoint: pick(auth.userPoolEndpoint, undefined, ''),
    identityPoolEndpoint: pick(auth.identityPoolEndpoint, undefined, ''),
    userPoolIssuer: pick(auth.userPoolIssuer, undefined, ''),
    authFlowType: pick(auth.authFlowType, undefined, 'USER_SRP_AUTH'),
  }

  const rest: Record<string, ResolvedRestApi> = {}
  const outApis = isRecord(outputs?.custom) && isRecord(outputs.custom.API) ? outputs.custom.API : {}
  const inApis = isRecord(input.rest) ? input.rest : {}
  if (input.rest !== undefined && !isRecord(input.rest))
    problems.push(`amplify.rest is ${describe(input.rest)}; expected an object of APIs by name`)
  for (const [name, entry] of Object.entries(outApis)) {
    if (!isRecord(entry) || typeof entry.endpoint !== 'string' || !entry.endpoint) {
      if (!Object.hasOwn(inApis, name) || !isRecord(inApis[name]) || !inApis[name].endpoint)
        problems.push(`outputs custom.API.${name} has no endpoint; expected { endpoint: 'https://…', region } (or set amplify.rest.${name}.endpoint)`)
    }
  }
  for (const name of new Set([...Object.keys(outApis), ...Object.keys(inApis)])) {
    const fromOutputs = Object.hasOwn(outApis, name) && isRecord(outApis[name]) ? outApis[name] : {}
    const given = Object.hasOwn(inApis, name) ? inApis[name] : undefined
    if (given !== undefined && !isRecord(given)) {
      problems.push(`amplify.rest.${name} is ${describe(given)}; expected an object like { endpoint, authMode }`)
      continue
    }
    const own: RestApiOptions = given ?? {}
    for (const key of Object.keys(own)) {
      if (!(REST_KEYS as string[]).includes(key))
        warnings.push(`amplify.rest.${name}.${key} is not an option and is ignored${closest(key, REST_KEYS)}`)
    }
    const endpoint = pick(own.endpoint, fromOutputs.endpoint, '')
    rest[name] = {
      endpoint: typeof endpoint === 'string' ? endpoint.replace(/\/+$/, '') : endpoint,
      region: pick(own.region, fromOutputs.region, typeof endpoint === 'string' ? executeApiRegion(endpoint) ?? DEFAULT_SIGNING_REGION : DEFAULT_SIGNING_REGION),
      authMode: pick(own.authMode, undefined, 'iam'),
      token: pick(own.token, undefined, 'id'),
      apiKey: pick(own.apiKey, undefined, ''),
      scheme: pick(own.scheme, undefined, ''),
      headers: pick(own.headers, undefined, {}),
    }
  }
  const names = Object.keys(rest)
  const defaultApi = pick(input.defaultApi, undefined, names.length === 1 ? names[0]! : '')
  const ssr = pick(input.ssr, undefined, true)
  const cookieIn: CookieOptions = isRecord(input.cookie) ? input.cookie : {}
  const redirectIn: RedirectOptions = isRecord(input.redirect) ? input.redirect : {}
  const cookie = {
    domain: pick(cookieIn.domain, undefined, ''),
    maxAge: pick(cookieIn.maxAge, undefined, DEFAULT_COOKIE_MAX_AGE),
    sameSite: pick(cookieIn.sameSite, undefined, 'lax' as CookieSameSite),
    secure: pick(cookieIn.secure, undefined, 'auto' as CookieSecure),
  }
  const redirect = {
    login: pick(redirectIn.login, undefined, '/login'),
    home: pick(redirectIn.home, undefined, '/'),
  }
  const cacheControl = pick(input.cacheControl, undefined, true)
  return { options: { auth: resolvedAuth, rest, defaultApi, ssr, cookie, redirect, cacheControl }, problems, warnings }
}

/**
 * Checks resolved options: run at build on the merged options and again when the app starts,
 * because `NUXT_PUBLIC_AMPLIFY_*` variables may have changed them.
 */
export function validateOptions(options: ResolvedOptions): string[] {
  const problems: string[] = []
  // Env variables can replace whole objects (NUXT_PUBLIC_AMPLIFY_REST='{"items":null}'): check shapes first.
  if (!isRecord(options)) return [`amplify is ${describe(options)}; expected an object`]
  for (const key of ['auth', 'rest'] as const) {
    if (!isRecord(options[key])) problems.push(`amplify.${key} is ${describe(options[key])}; expected an object`)
  }
  if (problems.length) return problems
  for (const [name, api] of Object.entries(options.rest)) {
    if (!isRecord(api)) problems.push(`amplify.rest.${name} is ${describe(api)}; expected an object like { endpoint, authMode }`)
  }
  if (problems.length) return problems
  const { auth, rest } = options
  const names = Object.keys(rest)
  const check = (ok: boolean, key: string, value: unknown, expected: string) => {
    if (!ok) problems.push(`${key} is ${describe(value)}; expected ${expected}`)
  }

  for (const key of ['region', 'userPoolId', 'userPoolClientId', 'identityPoolId', 'userPoolEndpoint', 'identityPoolEndpoint', 'userPoolIssuer'] as const)
    check(typeof auth[key] === 'string', `amplify.auth.${key}`, auth[key], 'a string')
  check(typeof auth.allowGuestAccess === 'boolean', 'amplify.auth.allowGuestAccess', auth.allowGuestAccess, 'true or false')
  check((AUTH_FLOW_TYPES as readonly unknown[]).includes(auth.authFlowType), 'amplify.auth.authFlowType', auth.authFlowType, oneOf(AUTH_FLOW_TYPES))
  for (const key of ['userPoolEndpoint', 'identityPoolEndpoint', 'userPoolIssuer'] as const) {
    if (typeof auth[key] === 'string' && auth[key])
      check(isHttpUrl(auth[key]), `amplify.auth.${key}`, auth[key], 'an absolute http(s) URL')
  }
  if (typeof auth.identityPoolId === 'string' && auth.identityPoolId)
    check(/^[a-z0-9-]+:[\w-]+$/.test(auth.identityPoolId), 'amplify.auth.identityPoolId', auth.identityPoolId, 'the form "<region>:<id>", e.g. "eu-west-1:0c2b…"')
  if (auth.userPoolId || auth.userPoolClientId) {
    check(!!auth.userPoolId, 'amplify.auth.userPoolId', auth.userPoolId, 'the user pool id (userPoolClientId is set)')
    check(!!auth.userPoolClientId, 'amplify.auth.userPoolClientId', auth.userPoolClientId, 'the app client id (userPoolId is set)')
  }
  if (auth.userPoolId || auth.identityPoolId)
    check(!!auth.region, 'amplify.auth.region', auth.region, 'the Cognito region, e.g. "eu-west-1"')

  for (const name of names) {
    const api = rest[name]!
    const at = `amplify.rest.${name}`
    check(/^[A-Z][A-Z0-9]*$/i.test(name), `the API name "${name}"`, name, 'letters and digits starting with a letter (camelCase), so NUXT_PUBLIC_AMPLIFY_REST_* variables can address it')
    check(typeof api.endpoint === 'string' && api.endpoint !== '', `${at}.endpoint`, api.endpoint, 'the absolute http(s) URL of the API')
    if (typeof api.endpoint === 'string' && api.endpoint !== '')
      check(isHttpUrl(api.endpoint) && !/[?#]/.test(api.endpoint), `${at}.endpoint`, api.endpoint, 'an absolute http(s) URL without query or fragment, e.g. "https://abc.execute-api.eu-west-1.amazonaws.com/prod"')
    check(typeof api.region === 'string' && /^[a-z0-9-]+$/.test(api.region), `${at}.region`, api.region, 'an AWS region such as "eu-west-1"')
    const modeOk = (AUTH_MODES as readonly unknown[]).includes(api.authMode)
    check(modeOk, `${at}.authMode`, api.authMode, oneOf(AUTH_MODES))
    check((TOKEN_KINDS as readonly unknown[]).includes(api.token), `${at}.token`, api.token, oneOf(TOKEN_KINDS))
    check((SCHEMES as readonly unknown[]).includes(api.scheme), `${at}.scheme`, api.scheme, `"" (raw token) or "Bearer"`)
    check(typeof api.apiKey === 'string', `${at}.apiKey`, api.apiKey, 'a string')
    if (!isRecord(api.headers)) {
      check(false, `${at}.headers`, api.headers, 'an object of header names to string values')
    }
    else {
      for (const [header, value] of Object.entries(api.headers)) {
        const problem = headerProblem(header, value)
        if (problem) problems.push(`${at}.headers["${header}"] ${problem}`)
      }
    }
    if (api.authMode === 'apiKey')
      check(typeof api.apiKey === 'string' && api.apiKey !== '', `${at}.apiKey`, api.apiKey, 'the API key, because authMode is "apiKey" (or NUXT_PUBLIC_AMPLIFY_REST_' + envSegment(name) + '_API_KEY)')
    if (api.authMode === 'userPool' && !(auth.userPoolId && auth.userPoolClientId))
      problems.push(`${at}.authMode is "userPool" but amplify.auth has no userPoolId/userPoolClientId; expected them in amplify.auth or in the outputs file's auth section`)
    if (api.authMode === 'iam' && !auth.identityPoolId)
      problems.push(`${at}.authMode is "iam" but amplify.auth.identityPoolId is missing; expected the identity pool that hands out ${auth.allowGuestAccess ? 'guest and signed-in' : 'signed-in'} credentials (amplify.auth or the outputs file's auth section)`)
  }
  if (options.defaultApi !== '')
    check(names.includes(options.defaultApi), 'amplify.defaultApi', options.defaultApi, names.length ? `one of the configured APIs: ${names.map(n => `"${n}"`).join(', ')}` : 'the name of an API under amplify.rest (none configured)')
  check(typeof options.ssr === 'boolean', 'amplify.ssr', options.ssr, 'true or false')
  check(typeof options.cacheControl === 'boolean', 'amplify.cacheControl', options.cacheControl, 'true or false')
  const { cookie, redirect } = options
  if (cookie) {
    check(typeof cookie.domain === 'string' && !/[;\s]/.test(cookie.domain), 'amplify.cookie.domain', cookie.domain, 'a domain such as ".example.com", or "" for the host')
    check(typeof cookie.maxAge === 'number' && Number.isInteger(cookie.maxAge) && cookie.maxAge > 0, 'amplify.cookie.maxAge', cookie.maxAge, 'a whole number of seconds greater than 0')
    check((SAME_SITE as readonly unknown[]).includes(cookie.sameSite), 'amplify.cookie.sameSite', cookie.sameSite, oneOf(SAME_SITE))
    check(cookie.secure === 'auto' || typeof cookie.secure === 'boolean', 'amplify.cookie.secure', cookie.secure, '"auto", true or false')
  }
  if (redirect) {
    for (const key of ['login', 'home'] as const)
      check(typeof redirect[key] === 'string' && /^\/(?![/\\])/.test(redirect[key]), `amplify.redirect.${key}`, redirect[key], 'a path of this app starting with "/", e.g. "/login"')
  }
  return problems
}

/** Parses the outputs file's text; a problem names the file and what is wrong. */
export function parseOutputsJson(text: string, path: string): { outputs?: AmplifyOutputs, problem?: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  }
  catch (error) {
    return { problem: `amplify.outputs "${path}" is not valid JSON (${(error as Error).message}); expected the amplify_outputs.json written by \`npx ampx sandbox\` or \`ampx generate outputs\`` }
  }
  if (!isRecord(parsed))
    return { problem: `amplify.outputs "${path}" holds ${describe(parsed)}; expected a JSON object` }
  return { outputs: parsed as AmplifyOutputs }
}

/** The env variable segment Nitro derives from a config key: `keyApi` → `KEY_API`. */
export function envSegment(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()
}

/** Why a header would be refused, or undefined when it is fine. Shared by validation and calls. */
export function headerProblem(name: string, value: unknown): string | undefined {
  if (!/^[!#$%&'*+\-.^\w`|~]+$/.test(name))
    return 'has an invalid name; expected letters, digits and !#$%&\'*+-.^_`|~ only'
  if (name.toLowerCase() === '__proto__')
    return 'is a reserved name'
  if (typeof value !== 'string')
    return `has a ${value === null ? 'null' : typeof value} value; expected a string`

  if (/[\r\n\0]/.test(value))
    return 'has a value with CR, LF or NUL; expected a single-line value'

  if (/[^\t\x20-\x7E\x80-\xFF]/.test(value))
    return 'has a value with characters outside Latin-1 or control characters; expected printable ISO-8859-1 (encode other text, e.g. with encodeURIComponent)'
  return undefined
}

function executeApiRegion(endpoint: string): string | undefined {
  try {
    return EXECUTE_API_HOST.exec(new URL(endpoint).hostname)?.[1]
  }
  catch {
    return undefined
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && !!url.hostname
  }
  catch {
    return false
  }
}

// Env overrides turn empty values into ''; treat '' and undefined alike as "not given".
function pick<T>(own: unknown, fromOutputs: unknown, fallback: T): T {
  if (own !== undefined && own !== '') return own as T
  if (fromOutputs !== undefined && fromOutputs !== '') return fromOutputs as T
  return fallback
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- narrowed from JSON of unknown shape
function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === '') return 'empty'
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}

function oneOf(values: readonly string[]): string {
  return `one of ${values.map(v => `"${v}"`).join(', ')}`
}

function closest(key: string, known: readonly string[]): string {
  let best = ''
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? `; did you mean "${best}"?` : `; known options: ${known.join(', ')}`
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}
