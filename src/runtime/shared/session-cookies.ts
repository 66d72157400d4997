// The token cookies: their attributes in either session mode, and the names Amplify's token store
// reads them under (so a server sign-in writes what the SSR context and a refresh read). Pure.
import type { CookieOptions, SessionMode } from './option-types'
import { cookieSecure } from './cookies'

export interface TokenCookieAttributes {
  path: '/'
  sameSite: 'lax' | 'strict' | 'none'
  secure: boolean
  /** `session: 'server'` only: JavaScript never reads the tokens then. */
  httpOnly: boolean
  domain?: string
}

/** The attributes every token cookie gets (the lifetime, `maxAge`, is added where a cookie is set). */
export function tokenCookieAttributes(cookie: Required<CookieOptions>, request: { https: boolean, session: SessionMode | undefined }): TokenCookieAttributes {
  const { domain, sameSite } = cookie
  return {
    path: '/',
    sameSite,
    secure: cookieSecure(cookie.secure, { https: request.https, sameSite }),
    httpOnly: request.session === 'server',
    ...(domain ? { domain } : {}),
  }
}

const PREFIX = 'CognitoIdentityServiceProvider'
export const TOKEN_KINDS_STORED = ['idToken', 'accessToken', 'refreshToken'] as const

/** Amplify's storage keys of a user's tokens (`CognitoIdentityServiceProvider.<client>.<user>.<kind>`) and of the last user. */
export function amplifyTokenKeys(clientId: string, username: string): { lastAuthUser: string, idToken: string, accessToken: string, refreshToken: string, clockDrift: string, signInDetails: string } {
  const user = `${PREFIX}.${clientId}.${username}`
  return {
    lastAuthUser: `${PREFIX}.${clientId}.LastAuthUser`,
    idToken: `${user}.idToken`,
    accessToken: `${user}.accessToken`,
    refreshToken: `${user}.refreshToken`,
    clockDrift: `${user}.clockDrift`,
    signInDetails: `${user}.signInDetails`,
  }
}

/** The cookie a pending sign-in step (Cognito's `Session`) waits in between the two requests. */
export const SIGN_IN_STEP_COOKIE = 'amplify-sign-in-step'
/** Cognito's sign-in `Session` lasts 3 minutes. */
export const SIGN_IN_STEP_MAX_AGE = 180
