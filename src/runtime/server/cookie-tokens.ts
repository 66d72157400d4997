// A request's session read straight from its verified token cookies, without Amplify's token store
// and orchestrator (about ten storage reads and their JWT decoding per request): the common case of
// a proxied call or a page whose tokens are valid and not yet due for refresh. Anything else (no
// session, a token the verifier refused, expired or due for refresh, a malformed value) is null,
// and the caller reads the session through Amplify's token provider, which refreshes and writes
// the new cookies as before.
import type { KeyValueStorageInterface } from '@aws-amplify/core'
import { decodeJWT, isTokenExpired } from '@aws-amplify/core/internals/utils'
import type { AuthSessionState } from '../shared/session'
import { needsRefresh, sessionFromTokens } from '../shared/session'
import { amplifyTokenKeys } from '../shared/session-cookies'

/**
 * The signed-in state from `storage` (the request's cookie storage, whose token reads pass only
 * what the server's verifier accepted), or null when Amplify's token provider has to decide.
 */
export async function sessionFromCookies(storage: KeyValueStorageInterface, clientId: string, now: () => number = Date.now): Promise<AuthSessionState | null> {
  try {
    // Amplify's own keys: the user named by the client's LastAuthUser cookie.
    const username = await storage.getItem(amplifyTokenKeys(clientId, '').lastAuthUser)
    if (!username) return null
    const keys = amplifyTokenKeys(clientId, username)
    const [accessToken, idToken] = await Promise.all([storage.getItem(keys.accessToken), storage.getItem(keys.idToken)])
    if (!accessToken || !idToken) return null
    // Verified by the storage's read: here only decoded (Amplify's decoder, as the token provider's).
    const tokens = { idToken: decodeJWT(idToken), accessToken: decodeJWT(accessToken) }
    if (Object.values(tokens).some(token => typeof token.payload !== 'object' || token.payload === null)) return null
    const state = sessionFromTokens(tokens)
    if (state.status !== 'signedIn' || needsRefresh(state, now())) return null
    // Where Amplify's token orchestrator would refresh (its own expiry rule, 5 s tolerance; no clock
    // drift on the server), it decides: a later Amplify read in this request would otherwise
    // refresh and write new cookies under a page rendered with the old tokens.
    for (const token of Object.values(tokens)) {
      if (isTokenExpired({ expiresAt: Number(token.payload.exp ?? 0) * 1000, clockDrift: 0 })) return null
    }
    return state
  }
  catch {
    return null
  }
}
