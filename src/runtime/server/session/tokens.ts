// The token cookies of a server sign-in and sign-out, written and removed through the same cookie
// storage the SSR context reads (names as Amplify's token store keys them, HttpOnly, size-checked),
// and the pending sign-in step's cookie.
import type { H3Event } from 'h3'
import { deleteCookie, getCookie, getRequestProtocol, parseCookies, setCookie } from 'h3'
import type { ResolvedOptions } from '../../shared/option-types'
import type { AuthSessionState } from '../../shared/session'
import { sessionFromTokens } from '../../shared/session'
import { encodeCookieName } from '../../shared/cookies'
import { amplifyTokenKeys, SIGN_IN_STEP_COOKIE, SIGN_IN_STEP_MAX_AGE, tokenCookieAttributes } from '../../shared/session-cookies'
import { SESSION_ROUTE_PREFIX } from '../../shared/session-routes'
import { cookieStorage } from '../cookie-storage'
import { decodeJWT } from 'aws-amplify/adapter-core/internals'
import type { UserPoolTokens } from './cognito'

/** Writes the tokens of a finished sign-in; returns the session they make (tokens included, for the server only). */
export async function storeTokens(event: H3Event, options: ResolvedOptions, tokens: UserPoolTokens): Promise<AuthSessionState> {
  const idToken = decodeJWT(tokens.IdToken)
  const accessToken = decodeJWT(tokens.AccessToken)
  // Amplify keys the tokens by the access token's `username` (the pool's own name for the user).
  const username = String(accessToken.payload.username ?? idToken.payload['cognito:username'] ?? '')
  const keys = amplifyTokenKeys(options.auth.userPoolClientId, username)
  const storage = cookieStorage(event, options)
  await storage.setItem(keys.lastAuthUser, username)
  await storage.setItem(keys.idToken, tokens.IdToken)
  await storage.setItem(keys.accessToken, tokens.AccessToken)
  if (tokens.RefreshToken) await storage.setItem(keys.refreshToken, tokens.RefreshToken)
  return sessionFromTokens({ idToken, accessToken })
}

/** Removes the signed-in user's token cookies; returns the refresh token they held, to revoke. */
export async function clearTokens(event: H3Event, options: ResolvedOptions): Promise<string | undefined> {
  const cookies = parseCookies(event)
  const clientId = options.auth.userPoolClientId
  const username = cookies[encodeCookieName(amplifyTokenKeys(clientId, '').lastAuthUser)]
  if (!username) return undefined
  const keys = amplifyTokenKeys(clientId, username)
  const refreshToken = cookies[encodeCookieName(keys.refreshToken)]
  const storage = cookieStorage(event, options)
  for (const key of Object.values(keys)) await storage.removeItem(key)
  return refreshToken
}

export interface PendingStep {
  /** Cognito's challenge name. */
  challenge: string
  /** Cognito's `Session` for the answer. */
  session: string
  username: string
}

const stepAttributes = (event: H3Event, options: ResolvedOptions) => ({
  ...tokenCookieAttributes(options.cookie, { https: getRequestProtocol(event, { xForwardedProto: true }) === 'https', session: 'server' }),
  path: `${SESSION_ROUTE_PREFIX}/auth`,
  sameSite: 'strict' as const,
})

/** Keeps a sign-in step for its answer (HttpOnly, only sent to the auth routes, 3 minutes like Cognito's Session). */
export function savePendingStep(event: H3Event, options: ResolvedOptions, step: PendingStep): void {
  const value = Buffer.from(JSON.stringify([step.challenge, step.session, step.username])).toString('base64url')
  setCookie(event, SIGN_IN_STEP_COOKIE, value, { ...stepAttributes(event, options), maxAge: SIGN_IN_STEP_MAX_AGE })
}

export function readPendingStep(event: H3Event): PendingStep | undefined {
  const value = getCookie(event, SIGN_IN_STEP_COOKIE)
  if (!value) return undefined
  try {
    const [challenge, session, username] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[]
    if (typeof challenge === 'string' && typeof session === 'string' && typeof username === 'string') return { challenge, session, username }
  }
  catch {
    // A cookie this server did not write: no step.
  }
  return undefined
}

export function clearPendingStep(event: H3Event, options: ResolvedOptions): void {
  if (getCookie(event, SIGN_IN_STEP_COOKIE) !== undefined) deleteCookie(event, SIGN_IN_STEP_COOKIE, stepAttributes(event, options))
}

/** What the browser gets of a session: status, user and expiry, never a token. */
export function publicSession(state: AuthSessionState): Omit<AuthSessionState, 'idToken' | 'accessToken'> & { idToken: null, accessToken: null } {
  return { status: state.status, user: state.user, idToken: null, accessToken: null, expiresAt: state.expiresAt, refreshAt: state.refreshAt }
}
