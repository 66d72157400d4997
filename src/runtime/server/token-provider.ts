// Amplify's server token provider for one request, whose refresh goes through the shared state:
// concurrent requests (on any instance) presenting the same refresh token get one call to the user
// pool, and each writes the same refreshed tokens into its own cookies (same Set-Cookie). A
// refreshed token, the request's own or another's, counts only once the server verified it.
import type { KeyValueStorageInterface, TokenProvider } from '@aws-amplify/core'
import { createUserPoolsTokenProvider } from 'aws-amplify/adapter-core'
import { decodeJWT } from 'aws-amplify/adapter-core/internals'
import { DefaultTokenStore, refreshAuthTokensWithoutDedupe, TokenOrchestrator } from 'aws-amplify/auth/cognito'
import { needsRefresh, sessionFromTokens } from '../shared/session'
import type { RefreshCodec, SharedState } from './shared-state'
import type { UserPoolTokenVerifier } from './token-verifier'

type CognitoAuthConfig = Parameters<typeof createUserPoolsTokenProvider>[0]
type TokenRefresher = Parameters<TokenOrchestrator['setTokenRefresher']>[0]
type CognitoAuthTokens = Awaited<ReturnType<TokenRefresher>>
interface StoredTokens { id?: string, access: string, refresh?: string }

export function sharedRefreshTokenProvider(authConfig: CognitoAuthConfig, storage: KeyValueStorageInterface, shared: SharedState | undefined, verify: UserPoolTokenVerifier | undefined): TokenProvider {
  if (!shared) return createUserPoolsTokenProvider(authConfig, storage)
  // What createUserPoolsTokenProvider builds, with the refresher swapped. Not registered as the
  // context's write-capable orchestrator (Amplify keeps that registry internal): only sign-in,
  // sign-out and device flows look it up, and the server's context runs none of them.
  const store = new DefaultTokenStore()
  store.setAuthConfig(authConfig)
  store.setKeyValueStorage(storage)
  const orchestrator = new TokenOrchestrator()
  orchestrator.setAuthConfig(authConfig)
  orchestrator.setAuthTokenStore(store)
  orchestrator.setTokenRefresher(sharedRefresher(shared, verify))
  return { getTokens: ({ forceRefresh } = { forceRefresh: false }) => orchestrator.getTokens({ forceRefresh }) }
}

function sharedRefresher(shared: SharedState, verify: UserPoolTokenVerifier | undefined): TokenRefresher {
  return async (input) => {
    const refreshToken = input.tokens.refreshToken
    if (!refreshToken) return refreshAuthTokensWithoutDedupe(input)
    const result = await shared.shareRefresh(refreshToken, () => refreshAuthTokensWithoutDedupe(input), codec(input.username))
    if (verify) {
      const id = result.idToken ? await verify(result.idToken.toString(), 'id') : undefined
      const access = await verify(result.accessToken.toString(), 'access')
      if (!access.ok || (id && !id.ok)) throw new Error('The refreshed tokens did not pass the server\'s check.')
    }
    return result
  }
}

/** Tokens as the shared state keeps them (strings), and back; a result already due for refresh is not used. */
function codec(username: string): RefreshCodec<CognitoAuthTokens> {
  return {
    encode: (t): StoredTokens => ({ id: t.idToken?.toString(), access: t.accessToken.toString(), refresh: t.refreshToken }),
    decode(stored) {
      const s = stored as StoredTokens | undefined
      if (!s || typeof s.access !== 'string' || (s.id !== undefined && typeof s.id !== 'string')) return undefined
      try {
        const accessToken = decodeJWT(s.access)
        const idToken = s.id ? decodeJWT(s.id) : undefined
        const state = sessionFromTokens({ idToken: idToken ?? accessToken, accessToken })
        if (state.status !== 'signedIn' || needsRefresh(state)) return undefined
        const iat = Number(accessToken.payload.iat ?? 0)
        return { accessToken, idToken, refreshToken: s.refresh, username, clockDrift: iat * 1000 - Date.now() }
      }
      catch {
        return undefined
      }
    },
  }
}
