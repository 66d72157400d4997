// The `amplify` options: the shape users write (`ModuleOptions`) and the resolved shape kept at
// `runtimeConfig.public.amplify` (`ResolvedOptions`), with the lists of allowed values. Types and
// constants only.

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
  /**
   * Keep this API on the server: its settings (endpoint, apiKey, headers) go to the private
   * `runtimeConfig.amplify.rest.<name>` instead of `runtimeConfig.public`, so no browser gets them.
   * SSR `$restApi` and Nitro's `useServerRestApi` can call it; the browser gets `UnknownApiError`.
   * Decided at build: its run-time variables are `NUXT_AMPLIFY_REST_<NAME>_*` (no `PUBLIC`).
   * @default false
   */
  serverOnly?: boolean
  /**
   * An OpenAPI 3 document of this API (a file relative to rootDir, or an http(s) URL), read at
   * build time: `$restApi` and `useRestApiData` calls to this API get its paths, path parameters,
   * query, body and response types. Needs the optional peer `openapi-typescript`. Build time only.
   * @example './api/items.json'
   */
  openapi?: string
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

export const SESSION_MODES = ['browser', 'server'] as const
/** Where the tokens live: Amplify in the browser (`'browser'`) or HttpOnly cookies only the server reads (`'server'`). */
export type SessionMode = typeof SESSION_MODES[number]
/** Default size limit of a proxied request body and of a proxied answer (`session: 'server'`): 1 MiB. */
export const DEFAULT_PROXY_MAX_BYTES = 1024 * 1024

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
  /**
   * `'browser'`: Amplify signs in and keeps the tokens in the browser (cookies JavaScript reads).
   * `'server'`: sign-in, sign-out and refresh run on the server (`/api/_amplify/auth/*`), tokens
   * live only in HttpOnly cookies, and browser `$restApi` calls go through the same-origin proxy
   * `/api/_amplify/rest/<apiName>/<path>`; API keys stay in the private runtime config.
   * Needs `@aws-sdk/client-cognito-identity-provider` installed.
   * @default 'browser'
   */
  session?: SessionMode
  /**
   * `session: 'server'`: the largest request body and the largest answer the proxy passes on, in
   * bytes; more is refused with 413 (`PayloadTooLargeError` in the browser).
   * @default 1048576 (1 MiB)
   */
  proxyMaxBytes?: number
  /**
   * `nuxi dev` only: start the offline backend (`nuxt-amplify-rest/local`) and point every Cognito,
   * identity and REST setting at it (each API at the local API of its `authMode`). A production build
   * with it fails unless `allowInBuild` (then placeholders of the same shape, for the command
   * `npx nuxt-amplify-rest local`). Needs the backend's optional peers (see the README).
   * @default false
   */
  local?: boolean | LocalOption
}

/** `amplify.local` as an object. */
export interface LocalOption {
  /** Users of the local user pool. @default alice / Passw0rd!alice (group admin) and bob / Passw0rd!bob */
  users?: Array<{ username: string, password: string, email?: string, groups?: string[] }>
  /** Fixed ports: the user pool proxy on `port`, identity `port + 1`, REST `port + 2`, cognito-local `port + 3`. @default free ports */
  port?: number
  /** Let a production build through with placeholder settings (tests running a built app through the command). @default false */
  allowInBuild?: boolean
  /**
   * Keep the user pool (ids, users, what they changed) between `nuxi dev` runs in a state directory:
   * `true` is `.data/amplify-local` under the app's rootDir, a string a directory (relative to rootDir).
   * Git-ignore it. @default false (a fresh pool per start)
   */
  persist?: boolean | string
}

export interface ResolvedRestApi {
  endpoint: string
  region: string
  authMode: AuthMode
  token: TokenKind
  apiKey: string
  scheme: AuthScheme
  headers: Record<string, string>
  /** True for an API kept in the private runtime config; absent from the public one. */
  serverOnly?: boolean
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
  session: SessionMode
  proxyMaxBytes: number
  /** Names of the `serverOnly` APIs (only their names are public), so the browser can say why it cannot call them. */
  serverOnlyApis?: string[]
  /**
   * The rest of a Gen 2 outputs file (Auth beyond the ids incl. `oauth`, MFA, password policy, groups;
   * Data, Storage…), parsed by Amplify at run time. Absent when the file has nothing more (`shared/outputs.ts`).
   */
  outputs?: Record<string, unknown>
}

export const MODULE_OPTION_KEYS = ['outputs', 'auth', 'rest', 'defaultApi', 'ssr', 'cookie', 'redirect', 'cacheControl', 'session', 'proxyMaxBytes', 'local'] as const
export const DEFAULT_COOKIE_MAX_AGE = 30 * 24 * 3600
