// Public types of `nuxt-amplify-rest/local`. Kept in one file so the runtime
// modules can import them without pulling in jose / smithy at type level.

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
  /** How long to wait for cognito-local to answer, in ms. Default 15000. */
  startupTimeout?: number
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

/** Live counters; read them after an action to see which calls actually reached the backend. */
export interface LocalBackendStats {
  /** Token refreshes: `GetTokensFromRefreshToken` plus `InitiateAuth` with a refresh-token flow. */
  refreshes: number
  /** Every `InitiateAuth` call (sign-ins and legacy refreshes). */
  initiateAuth: number
  getId: number
  getCredentials: number
}

/** One request as the REST server saw it, so tests can assert on what really went over the wire. */
export interface LocalRecordedRequest {
  /** `null` when the path matched no API prefix. */
  api: LocalApiName | null
  mode: LocalAuthMode | null
  method: string
  /** Path as received, including the API prefix (e.g. `/iam/items/1`). */
  path: string
  query: Record<string, string | string[]>
  /** Lower-cased header names; values exactly as received. Holds secrets: never print it. */
  headers: Record<string, string | string[] | undefined>
  status: number
  /** True only when the API's authorization check passed (always true for `none`, false for preflights). */
  verified: boolean
  preflight: boolean
  principal?: string
  role?: 'guest' | 'authenticated'
  /** Why the request was rejected (or why it was not verified). */
  reason?: string
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
  requests: LocalRecordedRequest[]
  clearRequests: () => void
  /** Ends cognito-local and every server, removes the temp dir. Safe to call more than once. */
  stop: () => Promise<void>
}
