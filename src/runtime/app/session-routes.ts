// `session: 'server'`, the store's side: sign-in, its next steps, sign-out and the session read go
// to the module's server routes (the tokens stay in HttpOnly cookies there), and come back as the
// store's state (no token) and Amplify's `{ isSignedIn, nextStep }`.
import type { AuthSessionState } from '../shared/session'
import type { SignInResult } from '../shared/sign-in-steps'
import { NetworkError } from '../shared/errors'
import { proxyFailure } from '../shared/proxy-request'
import { REQUEST_HEADER, REQUEST_HEADER_VALUE, SESSION_ROUTES } from '../shared/session-routes'

export interface SessionRoutes {
  /** The session as the server reads it from the cookies (`force`: refreshed first). */
  session: (force: boolean) => Promise<AuthSessionState>
  signIn: (input: { username: string, password: string }) => Promise<SignInResult & { session?: AuthSessionState }>
  confirmSignIn: (input: { challengeResponse: string }) => Promise<SignInResult & { session?: AuthSessionState }>
  signOut: () => Promise<void>
}

async function call<T>(route: string, method: 'GET' | 'POST', body?: unknown): Promise<T> {
  let response: Response
  try {
    response = await fetch(route, {
      method,
      credentials: 'same-origin',
      headers: { [REQUEST_HEADER]: REQUEST_HEADER_VALUE, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  }
  catch (cause) {
    throw new NetworkError(`${route}: no answer from this app's server`, { cause })
  }
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  }
  catch {
    // not JSON: kept as text for the error
  }
  if (!response.ok) throw proxyFailure({ status: response.status, headers: Object.fromEntries(response.headers), body: parsed }, 'session', route)
  return parsed as T
}

export function sessionRoutes(): SessionRoutes {
  return {
    session: force => force ? call(SESSION_ROUTES.session, 'POST', { force: true }) : call(SESSION_ROUTES.session, 'GET'),
    signIn: input => call(SESSION_ROUTES.signIn, 'POST', { username: input.username, password: input.password }),
    confirmSignIn: input => call(SESSION_ROUTES.signIn, 'POST', { challengeResponse: input.challengeResponse }),
    signOut: () => call(SESSION_ROUTES.signOut, 'POST', {}),
  }
}
