// One Amplify context per request (`createAmplifyContext`), built from that request's cookies and
// kept on the h3 event (never in module scope), so nothing about one user can reach another
// request. Used by the Nuxt app's server plugin (SSR) and by the Nitro helpers alike.
// A token cookie counts only once the server has verified it (signature, issuer, audience,
// token_use); Amplify's client-written clockDrift cookie is ignored, so expiry is the server's.
import type { H3Event } from 'h3'
import type { AmplifyContext, AuthTokens, LibraryOptions, TokenProvider } from '@aws-amplify/core'
import { createAmplifyContext } from 'aws-amplify'
import { createAWSCredentialsAndIdentityIdProvider } from 'aws-amplify/adapter-core'
import { fetchAuthSession } from 'aws-amplify/auth/server'
import type { AmplifySend, CheckedCredentials, LibraryHeaders } from '../shared/rest-types'
import type { ResolvedOptions } from '../shared/option-types'
import type { AuthSessionState } from '../shared/session'
import type { CallTokens } from '../shared/headers'
import { needsRefresh, SIGNED_OUT, sessionFromTokens } from '../shared/session'
import { toResourcesConfig } from '../shared/amplify-config'
import { checkCredentials, sendRest, signingContext } from '../shared/signing'
import { credentialsCache } from './credentials-cache'
import { cookieStorage } from './cookie-storage'
import { createUserPoolTokenVerifier, expectedIssuer } from './token-verifier'
import { verifiedTokenCache } from './verified-tokens'
import { sessionFromCookies } from './cookie-tokens'
import type { UserPoolTokenVerifier } from './token-verifier'
import { sharedState } from './shared-state-slot'
import { sharedRefreshTokenProvider } from './token-provider'
import { serverLibraryOptions } from './library-options'

export interface AmplifyServerContext {
  /** This request's session: verified tokens from its cookies, refreshed once if they are near expiry. */
  session: () => Promise<AuthSessionState>
  /** Tokens for a call now: the session's, refreshed first if they passed their refresh point meanwhile. */
  freshTokens: () => Promise<CallTokens | undefined>
  /** The request's token provider, with refreshes de-duplicated (Amplify's server provider does not). */
  tokens: TokenProvider
  /** This request's identity-pool credentials for an `iam` call; a typed error otherwise. */
  ensureCredentials: (apiName: string) => Promise<CheckedCredentials>
  /** Starts an Amplify REST call in this request's context (an `iam` call signs with the checked credentials). */
  send: AmplifySend
  /** The app's custom token for `custom` APIs, for this request only. */
  customToken: string | null
  /** The request's Amplify context, for Amplify's server APIs (`runWithAmplify`). */
  amplify: AmplifyContext
}

const KEY = '__amplifyRest'

/** The request's context, created on first use. */
export function useAmplifyServerContext(event: H3Event, options: ResolvedOptions): AmplifyServerContext {
  const cached = (event.context as Record<string, unknown>)[KEY] as AmplifyServerContext | undefined
  if (cached) return cached
  const context = createServerContext(event, options)
  ;(event.context as Record<string, unknown>)[KEY] = context
  return context
}

function createServerContext(event: H3Event, options: ResolvedOptions): AmplifyServerContext {
  const resources = toResourcesConfig(options)
  const authConfig = resources.Auth
  let tokens: TokenProvider = { getTokens: async () => null }
  let credentials: () => LibraryOptions['Auth'] | undefined = () => undefined
  let fromCookies: (() => Promise<AuthSessionState | null>) | undefined
  if (authConfig) {
    const { auth: a } = options
    // Tokens this server verified during this request: only they may use cached or shared credentials.
    const verifiedTokens = new Set<string>()
    const verify = a.userPoolId ? recording(verifiedTokenCache.wrap(createUserPoolTokenVerifier(a), `${expectedIssuer(a)} ${a.userPoolClientId}`), verifiedTokens) : undefined
    const storage = cookieStorage(event, options, { verify })
    const { shared, acrossInstances } = sharedState()
    const tokenProvider = tokens = dedupeRefreshes(sharedRefreshTokenProvider(authConfig, storage, shared, verify))
    if (verify) fromCookies = () => sessionFromCookies(storage, a.userPoolClientId)
    credentials = () => ({
      tokenProvider,
      credentialsProvider: credentialsCache.wrap(createAWSCredentialsAndIdentityIdProvider(authConfig, storage), {
        verified: token => verifiedTokens.has(token),
        shared: acrossInstances ? shared : undefined,
      }),
    })
  }
  // The library headers of the call being started: Amplify reads them synchronously at its start.
  let callHeaders: LibraryHeaders | undefined
  // Amplify's own context (credentials provider, the app's `amplify:configure` hooks) only once
  // something needs it: an `iam` call, Amplify's REST client, `runWithAmplify`. A proxied call of
  // another mode, or a session read, needs only the tokens above.
  let amplify: AmplifyContext | undefined
  const amplifyContext = () => amplify ??= createAmplifyContext(resources, serverLibraryOptions(event, resources, credentials(), input => callHeaders ? callHeaders(input) : Promise.resolve({})))

  let session: Promise<AuthSessionState> | undefined
  return {
    get amplify() {
      return amplifyContext()
    },
    tokens,
    customToken: null,
    session: () => session ??= readSession(tokens, false, fromCookies),
    async freshTokens() {
      let state = await (session ??= readSession(tokens, false, fromCookies))
      if (needsRefresh(state)) state = await (session = readSession(tokens, true))
      return state.status === 'signedIn' ? { idToken: state.idToken ?? undefined, accessToken: state.accessToken ?? undefined } : undefined
    },
    ensureCredentials: apiName => checkCredentials(apiName, () => fetchAuthSession(amplifyContext())),
    send(method, input, libraryHeaders, checked) {
      callHeaders = libraryHeaders
      // An iam call signs with exactly the credentials checked for it: Amplify would otherwise look
      // them up again and, if that lookup failed, send the request unsigned.
      return sendRest(method, checked ? signingContext(resources, checked, libraryHeaders) : amplifyContext(), input)
    },
  }
}

/** The verifier, noting every token it accepted. */
function recording(verify: UserPoolTokenVerifier, accepted: Set<string>): UserPoolTokenVerifier {
  return async (token, use) => {
    const verdict = await verify(token, use)
    if (verdict.ok) accepted.add(token)
    return verdict
  }
}

/** The session: from the verified cookies when they suffice (cookie-tokens.ts), else through the token provider (refreshing). */
async function readSession(tokens: TokenProvider, forceRefresh = false, fromCookies?: () => Promise<AuthSessionState | null>): Promise<AuthSessionState> {
  try {
    const verified = forceRefresh ? null : await fromCookies?.()
    if (verified) return verified
    let state = sessionFromTokens(await tokens.getTokens({ forceRefresh }) ?? undefined)
    if (needsRefresh(state)) state = sessionFromTokens(await tokens.getTokens({ forceRefresh: true }) ?? undefined)
    // Verified tokens, expiry on this server's clock: an expired token that could not be refreshed is no session.
    if (state.expiresAt !== null && state.expiresAt <= Date.now()) return { ...SIGNED_OUT }
    return state
  }
  catch {
    // Refresh token expired or revoked: Amplify has cleared the token cookies; render signed out.
    return { ...SIGNED_OUT }
  }
}

/**
 * One read of the tokens per request, shared by every call of that request; a forced refresh is
 * shared too. Amplify's server token provider would refresh once per concurrent call.
 */
function dedupeRefreshes(inner: TokenProvider): TokenProvider {
  let pending: Promise<AuthTokens | null> | undefined
  let forced = false
  return {
    getTokens(options) {
      const force = options?.forceRefresh === true
      if (pending && (forced || !force)) return pending
      forced = force
      const current: Promise<AuthTokens | null> = inner.getTokens({ forceRefresh: force }).then(t => t ?? null)
      pending = current
      current.catch(() => {
        if (pending === current) pending = undefined
      })
      return current
    },
  }
}
