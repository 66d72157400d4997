// The auth state derived from Cognito tokens, the same on both sides: the browser store and each
// server request compute it with this function. Pure: takes Amplify's token objects.
export type AuthStatus = 'unknown' | 'signedIn' | 'signedOut'

export interface AmplifyUser {
  userId: string
  username: string
  email?: string
  groups: string[]
}

export interface AuthSessionState {
  status: AuthStatus
  user: AmplifyUser | null
  idToken: string | null
  accessToken: string | null
  /** Epoch ms at which the sooner of the ID and access token expires: the tokens' own `exp` (the user pool's clock). */
  expiresAt: number | null
  /** Epoch ms (the user pool's clock) from which a call refreshes the tokens before using them. */
  refreshAt: number | null
}

interface JwtLike {
  payload: Record<string, unknown>
  toString: () => string
}

/** Refresh this long before expiry, but never more than a quarter of a token's life (short-lived test tokens). */
export const REFRESH_MARGIN_MS = 60_000

export const SIGNED_OUT: AuthSessionState = Object.freeze({
  status: 'signedOut', user: null, idToken: null, accessToken: null, expiresAt: null, refreshAt: null,
}) as AuthSessionState

/**
 * Times here are the tokens' own (`exp`, `iat`: the user pool's clock), so the server and the
 * browser compute the same state from the same tokens (no hydration mismatch). A machine's clock
 * drift is applied where time is compared: `needsRefresh(state, now, clockDrift)`.
 */
export function sessionFromTokens(tokens: { idToken?: JwtLike, accessToken?: JwtLike } | undefined | null): AuthSessionState {
  const id = tokens?.idToken
  const access = tokens?.accessToken
  if (!id || !access) return { ...SIGNED_OUT }
  const idPayload = id.payload
  const accessPayload = access.payload
  const exp = Math.min(Number(idPayload.exp ?? 0), Number(accessPayload.exp ?? 0)) * 1000
  const iat = Number(accessPayload.iat ?? idPayload.iat ?? 0) * 1000
  const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, (exp - iat) / 4))
  const groups = accessPayload['cognito:groups'] ?? idPayload['cognito:groups']
  return {
    status: 'signedIn',
    user: {
      userId: String(accessPayload.sub ?? idPayload.sub ?? ''),
      username: String(accessPayload.username ?? idPayload['cognito:username'] ?? ''),
      email: typeof idPayload.email === 'string' ? idPayload.email : undefined,
      groups: Array.isArray(groups) ? groups.map(String) : [],
    },
    idToken: id.toString(),
    accessToken: access.toString(),
    expiresAt: exp,
    refreshAt: exp - margin,
  }
}

/**
 * Whether tokens of this state must be refreshed before a call uses them. `clockDrift` is Amplify's:
 * the user pool's clock minus this machine's (ms), measured at sign-in, so a clock that is behind
 * still refreshes in time.
 */
export function needsRefresh(state: Pick<AuthSessionState, 'status' | 'refreshAt'>, now = Date.now(), clockDrift = 0): boolean {
  return state.status === 'signedIn' && state.refreshAt !== null && now + clockDrift >= state.refreshAt
}

/**
 * A same-origin path to return to after sign-in, or undefined: only paths starting with one `/`
 * (no `//host`, no backslash, no scheme), so a crafted `?redirect=` cannot send users elsewhere.
 */
export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) return undefined
  // eslint-disable-next-line no-control-regex
  if (/[\\\0-\x1F\x7F]/.test(value)) return undefined
  return value
}

/**
 * Where a signed-in user on the login route is sent: the `redirect` query (same-origin paths only)
 * or home; undefined on any other route. The login middleware and the client plugin's sign-in
 * watch both ask this.
 */
export function afterSignIn(route: { path: string, query: Record<string, unknown> }, redirect: { login: string, home: string }): string | undefined {
  if (route.path !== redirect.login) return undefined
  return safeRedirect(route.query.redirect) ?? redirect.home
}
