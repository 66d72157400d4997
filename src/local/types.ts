// Public types of `nuxt-amplify-rest/local`. Kept in one file so the runtime
// modules can import them without pulling in jose / smithy at type level.

import type { LocalEnvOptions } from './env'

export type { LocalEnvApi, LocalEnvOptions } from './env'

/** The six REST APIs the local backend serves, one per way of authorizing a call. */
export type LocalApiName = 'iam' | 'apiKey' | 'userPool' | 'userPoolAccess' | 'custom' | 'none'

/** Authorization mode as the module's options spell it (`userPoolAccess` is `userPool` with `token: 'access'`). */
export type LocalAuthMode = 'iam' | 'apiKey' | 'userPool' | 'custom' | 'none'

/** A user to create in the local user pool. */
export interface LocalUserInput {
  username: string
  password: string
  /** Defaults to `<username>@example.com` so every user has the attribute apps usually read. */
  email?: string
  /** Cognito groups; created on the fly. They end up in the tokens' `cognito:groups` claim. */
  groups?: string[]
  /**
   * Seed the user with `password` as a temporary password (status FORCE_CHANGE_PASSWORD): the
   * first sign-in stops at NEW_PASSWORD_REQUIRED. cognito-local does not check a temporary password.
   * @default false
   */
  newPasswordRequired?: boolean
}

/** A user as seeded, with the secrets a test needs to act as that user. */
export interface LocalUser {
  username: string
  password: string
  email: string
  groups: string[]
  /** The user's `sub` claim, assigned by cognito-local. */
  sub: string
  /** Accepted by the `custom` API as the raw `Authorization` header value. Random per start. */
  customToken: string
}

export interface LocalBackendOptions {
  /** Interface every server binds to. Loopback by default so nothing is exposed to the network. */
  host?: string
  /** Fixed ports, e.g. for a dev server whose config must not change between restarts. Unset ones are free ports. */
  ports?: {
    /** The refresh proxy Amplify talks to (`amplify.auth.userPoolEndpoint`). */
    userPool?: number
    /** cognito-local itself. Also fixes the token issuer (`http://host:port/<poolId>`). */
    cognito?: number
    identity?: number
    rest?: number
  }
  /** Replaces the default users (`alice` in group `admin`, and `bob`). */
  users?: LocalUserInput[]
  /** Lifetime in seconds of the tokens the app client issues; short values let tests watch tokens expire. Default 3600. */
  tokenValidity?: { idToken?: number, accessToken?: number }
  /** Lifetime in seconds of credentials handed out by the identity pool. Default 3600. */
  credentialsTtl?: number
  /** The key the `apiKey` API accepts. Random by default. */
  apiKey?: string
  /** Region put into the identity pool id and every API's config; SigV4 scopes must name it. Default `us-east-1`. */
  region?: string
  /** How long to wait for cognito-local to answer, in ms. Default 60000 (a loaded CI box can take over 15 s to start it). */
  startupTimeout?: number
  /**
   * Origins (e.g. `'https://dev.example.test:3000'`, exact `scheme://host[:port]`) whose pages may call
   * the backend's servers. Default: any `http://` origin on localhost, 127.0.0.1 or [::1]. A request with
   * any other `Origin` header is refused with 403, so other sites open in the browser cannot use it.
   */
  corsOrigins?: string[]
  /** Also serve a GraphQL endpoint for Gen 2 Data (`backend.graphql`): see `src/local/graphql.ts`. Default false. */
  graphql?: boolean
  /**
   * Also serve the OAuth endpoints of a Cognito domain over HTTPS (`backend.oauth`; self-signed
   * certificate made at start with openssl): see `src/local/oauth.ts`. Default false. `true` registers
   * `http://localhost:3000/` and `http://127.0.0.1:3000/` as the app client's callback and logout URLs;
   * an object names them (they must equal the outputs' `oauth.redirect_sign_in_uri` / `redirect_sign_out_uri`):
   * any other `redirect_uri` / `logout_uri` gets an error page and no redirect, as from Cognito.
   */
  oauth?: boolean | LocalOAuthOptions
  /**
   * Also serve an S3 stand-in for Gen 2 Storage over HTTPS (`backend.storage`): bucket `local-bucket`,
   * served as `local-bucket.s3.<region>.amazonaws.com`, which the client must resolve to
   * `127.0.0.1:<backend.storage.port>`: see `src/local/storage.ts` and the README's Storage section. Default false.
   */
  storage?: boolean
  /**
   * A state directory kept between starts (absolute, or relative to the working directory): cognito-local's
   * data, the pool, client and identity pool ids, the API key and the custom tokens. A start finding it
   * reuses them, users and what they changed (passwords) included; configured users missing from it are
   * added. One backend at a time per directory. Default: a fresh temp dir per start, removed at stop.
   */
  persist?: string
}

/** Options for the Nuxt module (`amplify` key), pointing at the local backend. */
export interface LocalAmplifyOptions {
  auth: {
    region: string
    userPoolId: string
    userPoolClientId: string
    identityPoolId: string
    allowGuestAccess: true
    userPoolEndpoint: string
    identityPoolEndpoint: string
    /** cognito-local's issuer URL, which the module's server checks on every token cookie. */
    userPoolIssuer: string
    authFlowType: 'USER_PASSWORD_AUTH'
  }
  rest: {
    iam: { endpoint: string, region: string, authMode: 'iam' }
    apiKey: { endpoint: string, region: string, authMode: 'apiKey', apiKey: string }
    userPool: { endpoint: string, region: string, authMode: 'userPool', token: 'id' }
    userPoolAccess: { endpoint: string, region: string, authMode: 'userPool', token: 'access' }
    custom: { endpoint: string, region: string, authMode: 'custom' }
    none: { endpoint: string, region: string, authMode: 'none' }
  }
  defaultApi: 'userPool'
}

/** AWS credentials a Node caller can sign `iam` requests with directly. */
export interface LocalRoleCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  identityId: string
  expiration: Date
}

/**
 * Live counters; read them after an action to see which calls actually reached the backend.
 * A call counts when it reaches the endpoint, whatever the answer: one dropped by a fault
 * (`LocalBackend.faults`) counts too, so a test can bound the attempts a client made while
 * the endpoint was down.
 */
export interface LocalBackendStats {
  /** Token refreshes: `GetTokensFromRefreshToken` plus `InitiateAuth` with a refresh-token flow. */
  refreshes: number
  /** Every `InitiateAuth` call (sign-ins and legacy refreshes). */
  initiateAuth: number
  getId: number
  getCredentials: number
  /** Requests to the user pool endpoint dropped because `faults.userPoolDown` was on, CORS preflights included. */
  userPoolDropped: number
  /** Requests to the identity pool endpoint dropped because `faults.identityDown` was on, CORS preflights included. */
  identityDropped: number
}

/**
 * Faults a test switches on and off at run time (`backend.faults.userPoolDown = true`); each
 * request looks at the flags when it arrives. All off at start. The object is sealed: a
 * misspelt flag throws instead of silently injecting nothing.
 *
 * REST faults need no flag, they are routes under every API prefix (authorization is checked
 * first, as for every route):
 * - `/status/:code` answers that status (200-599) with a JSON body;
 * - `/delay/:ms` answers 200 JSON after `ms` (0-30000); a client that disconnects first is
 *   recorded with `clientClosed: true` and `status: 0`;
 * - `/reset` sends a 200 status line, headers and part of a JSON body, then resets the connection
 *   (the client gets the headers, then a network error while reading the body);
 * - `/drop` resets the connection without sending anything (the client sees a network error, as
 *   when a server is unreachable). Recorded with `status: 0`.
 *
 * A SigV4 request whose `x-amz-date` is more than 5 minutes from the server's clock gets API
 * Gateway's clock-skew answer: 403, `x-amzn-errortype: InvalidSignatureException`, a `Date` header
 * (exposed to browsers), body `{ message: 'Signature expired: … is now earlier than …' }` (or
 * `'Signature not yet current: … is still later than …'`), which Amplify's retry decider treats as
 * clock skew: it re-signs with the server's `Date` and retries (where its retry strategy allows).
 */
export interface LocalBackendFaults {
  /**
   * The user pool endpoint (the refresh proxy, `amplify.auth.userPoolEndpoint`) reads each request,
   * then resets its connection without answering, CORS preflights included: the client sees a
   * network error, as when Cognito is unreachable. Each dropped request counts in
   * `stats.userPoolDropped`; refresh calls among them also count in `stats.refreshes` (and
   * `InitiateAuth` in `stats.initiateAuth`), though they got no tokens.
   */
  userPoolDown: boolean
  /**
   * Same for the identity pool endpoint (`amplify.auth.identityPoolEndpoint`): every request is
   * dropped and counted in `stats.identityDropped`; `GetId` / `GetCredentialsForIdentity` among
   * them also count in `stats.getId` / `stats.getCredentials`.
   */
  identityDown: boolean
}

/** One request as the REST server saw it, so tests can assert on what really went over the wire. */
export interface LocalRecordedRequest {
  /** `null` when the path matched no API prefix. */
  api: LocalApiName | null
  mode: LocalAuthMode | null
  method: string
  /**
   * Epoch ms at which the request arrived. Tells a client's retries (spaced by its backoff) from a
   * browser's silent resend of a request that died on a reused keep-alive connection (same instant).
   */
  receivedAt: number
  /** Path as received, including the API prefix (e.g. `/iam/items/1`). */
  path: string
  query: Record<string, string | string[]>
  /** Lower-cased header names; values exactly as received. Holds secrets: never print it. */
  headers: Record<string, string | string[] | undefined>
  /** Status sent (its status line at least, for `/reset`); 0 when no answer was sent (`/drop`, `clientClosed`). */
  status: number
  /** True only when the API's authorization check passed (always true for `none`, false for preflights). */
  verified: boolean
  preflight: boolean
  principal?: string
  role?: 'guest' | 'authenticated'
  /** Why the request was rejected (or why it was not verified), or which fault route answered it. */
  reason?: string
  /** True when the client closed the connection before the answer was sent (`/delay/:ms`); `status` is then 0. */
  clientClosed?: boolean
}

export interface LocalBackendUrls {
  /** The refresh proxy: what Amplify's `userPoolEndpoint` points at. */
  userPool: string
  /** cognito-local directly, bypassing the proxy. */
  cognito: string
  identity: string
  /** Base of the REST server; each API lives under its own prefix. */
  rest: string
  issuer: string
  jwks: string
}

export interface LocalBackend {
  amplify: LocalAmplifyOptions
  users: LocalUser[]
  /**
   * Long-lived role credentials registered with the REST server. `authenticated`
   * belongs to the first user's identity (no username if there are no users).
   */
  credentials: { guest: LocalRoleCredentials, authenticated: LocalRoleCredentials }
  urls: LocalBackendUrls
  stats: LocalBackendStats
  /** Fault switches, flipped by tests at run time; see `LocalBackendFaults`. */
  faults: LocalBackendFaults
  requests: LocalRecordedRequest[]
  /** The USER_SRP_AUTH steps the user pool proxy played (cognito-local has no SRP; see srp.ts), oldest first. */
  srp: import('./srp').LocalSrpRecord[]
  /** Empties `requests` and `srp`. */
  clearRequests: () => void
  /** Ends cognito-local and every server, removes the temp dir. Safe to call more than once. */
  stop: () => Promise<void>
  /** With `graphql: true`: the AppSync stand-in (`url` ends in /graphql), its API key, stored todos and the requests it received. */
  graphql?: LocalGraphqlApi
  /** With `oauth: true`: the Cognito domain (`host:port`, for outputs `auth.oauth.domain`), its certificate (PEM) and the requests it received. */
  /** With `storage: true`: the bucket (outputs `storage.bucket_name` / `aws_region`), the host name it answers and the loopback port it listens on, its certificate (PEM), the stored objects and the requests it received. */
  storage?: { bucket: string, region: string, host: string, port: number, url: string, certificate: string, objects: Map<string, import('./storage').LocalStorageObject>, requests: import('./storage').LocalStorageRequest[] }
  oauth?: { domain: string, url: string, certificate: string, callbackUrls: string[], logoutUrls: string[], requests: import('./oauth').LocalOAuthRequest[] }
  /**
   * The `NUXT_PUBLIC_AMPLIFY_*` variables (`NUXT_AMPLIFY_*` for serverOnly APIs) that point a built
   * app at this backend. Default: every auth setting and the six local APIs under their own names;
   * `{ rest: { items: 'userPool' } }` points the app's API `items` at the local `userPool` API.
   */
  env: (options?: LocalEnvOptions) => Record<string, string>
}

export interface LocalGraphqlApi {
  url: string
  apiKey: string
  region: string
  todos: import('./graphql').LocalTodo[]
  requests: import('./graphql').LocalGraphqlRequest[]
}

/** `startLocalBackend({ oauth })`: the app client's registered URLs, as Gen 2's `externalProviders.callbackUrls` / `logoutUrls`. */
export interface LocalOAuthOptions {
  callbackUrls: string[]
  logoutUrls: string[]
}
