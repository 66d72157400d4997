import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { AuthTokens, ConfirmSignInInput } from 'aws-amplify/auth'
import { Amplify } from 'aws-amplify'
import type { RedirectSignInInput } from '../auth-redirect'
import { Hub } from 'aws-amplify/utils'
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito'
import type { CallTokens } from '../../shared/headers'
import type { AmplifyUser, AuthSessionState, AuthStatus } from '../../shared/session'
import { needsRefresh, sessionFromTokens } from '../../shared/session'
import { AmplifyRestError, InvalidHeaderError, SessionExpiredError, TokenTooLargeError } from '../../shared/errors'
import { headerProblem } from '../../shared/headers'
import { useAmplifyOptions } from '../options'
import type { SignInResult } from '../../shared/sign-in-steps'
import { sessionRoutes } from '../session-routes'

export type { AmplifyUser, AuthStatus }

export interface SignInInput {
  username: string
  password: string
}

/** Where the store reads tokens: Amplify's browser singleton, or the server request's own context. */
export interface TokenSource {
  getTokens: (options: { forceRefresh?: boolean }) => Promise<AuthTokens | undefined>
  /** Amplify's measured drift of this clock from the user pool's (ms); the browser's can be minutes off. */
  clockDrift?: () => Promise<number>
  /** Set on the server: sign-in and sign-out happen in the browser. */
  server?: boolean
  /** On the server: the request's custom token, its one home (`setServerCustomToken` sets the same). */
  customToken?: { get: () => string | null, set: (token: string | null) => void }
  /** Removes the stored tokens without calling the user pool (a session that could not be stored whole). */
  clear?: () => Promise<void>
}

const browserSource: TokenSource = {
  getTokens: options => Amplify.getTokens(options),
  clockDrift: async () => (await cognitoUserPoolsTokenProvider.authTokenStore.loadTokens())?.clockDrift ?? 0,
  clear: () => cognitoUserPoolsTokenProvider.authTokenStore.clearTokens(),
}

interface Tokens { idToken: string | null, accessToken: string | null }
const NO_TOKENS: Tokens = Object.freeze({ idToken: null, accessToken: null })

export const useAmplifyAuthStore = defineStore('amplify-auth', () => {
  // State: what Pinia serializes into the page's payload (`__NUXT_DATA__`), so never a token.
  const status = ref<AuthStatus>('unknown')
  const user = ref<AmplifyUser | null>(null)
  /** Epoch ms at which the sooner of the ID and access token expires (the tokens' own `exp`). */
  const expiresAt = ref<number | null>(null)
  /** Epoch ms (the tokens' clock, like `expiresAt`) from which a call refreshes the tokens first. */
  const refreshAt = ref<number | null>(null)
  /** Message of the last failed sign-in or refresh, cleared by the next success. */
  const error = ref<string | null>(null)
  const isSignedIn = computed(() => status.value === 'signedIn')

  // Not state: the tokens live in this store instance only (one per app in the browser, one per
  // request on the server) and reach app code through getters, which Pinia does not serialize. The
  // browser reads its own tokens from its own cookies (Amplify's token provider) after the payload.
  const tokens = shallowRef<Tokens>(NO_TOKENS)
  const custom = shallowRef<string | null>(null)
  const idToken = computed(() => tokens.value.idToken)
  const accessToken = computed(() => tokens.value.accessToken)
  /** The app's token for `custom` APIs, set on this side (a token set during SSR stays on the server). */
  const customToken = computed(() => custom.value)

  // Not state either: where tokens come from (per store), whether they were read on this side, and
  // Amplify's clock drift (this machine's clock against the user pool's).
  let source: TokenSource = browserSource
  let tokensRead = false
  let clockDrift = 0
  let inflight: { promise: Promise<void>, forced: boolean } | null = null
  let listening = false
  // `session: 'server'` in the browser: sign-in, sign-out and the session are the server's routes.
  const remote = import.meta.client && useAmplifyOptions().session === 'server' ? sessionRoutes() : undefined

  function applyState(state: AuthSessionState) {
    status.value = state.status
    user.value = state.user
    tokens.value = state.status === 'signedIn' ? { idToken: state.idToken, accessToken: state.accessToken } : NO_TOKENS
    tokensRead = true
    expiresAt.value = state.expiresAt
    refreshAt.value = state.refreshAt
    if (state.status === 'signedIn') error.value = null
  }
  const apply = (tokens: AuthTokens | undefined) => applyState(sessionFromTokens(tokens))
  async function read(forceRefresh: boolean) {
    if (remote) return applyState(await remote.session(forceRefresh))
    const tokens = await source.getTokens({ forceRefresh })
    clockDrift = tokens && source.clockDrift ? await source.clockDrift().catch(() => 0) : 0
    applyState(sessionFromTokens(tokens))
  }

  /** A token too big for a cookie: nothing half-stored stays behind, the store turns signedOut. */
  async function dropOversized(cause: TokenTooLargeError) {
    await source.clear?.().catch(() => {})
    apply(undefined)
    error.value = cause.message
  }

  /** Reads the session, refreshing through Amplify when asked; concurrent callers share one read. */
  function load(forceRefresh = false): Promise<void> {
    if (inflight && (inflight.forced || !forceRefresh)) return inflight.promise
    const current = { forced: forceRefresh, promise: Promise.resolve() }
    current.promise = (async () => {
      try {
        await read(forceRefresh)
      }
      catch (cause) {
        if (cause instanceof TokenTooLargeError) {
          await dropOversized(cause)
          throw cause
        }
        // A transient failure (user pool unreachable, throttled): Amplify keeps the tokens, so the
        // store stays as it was with `error` set, and the next call tries again. A rejected refresh
        // token is not thrown by Amplify: it clears the tokens and the store turns signedOut above.
        error.value = (cause as Error)?.message ?? String(cause)
        throw new SessionExpiredError(`The session could not be refreshed: ${error.value}`, { cause })
      }
      finally {
        if (inflight === current) inflight = null
      }
    })()
    inflight = current
    return current.promise
  }

  /** Browser: starts following Amplify's Hub, so a sign-in, sign-out or refresh anywhere shows here. */
  function init(): Promise<void> {
    // The payload's state is the server's reading of the same cookies: no second read then.
    if (remote) return status.value === 'unknown' ? load().catch(() => {}) : Promise.resolve()
    if (!listening) {
      listening = true
      Hub.listen('auth', ({ payload }) => {
        switch (payload.event) {
          case 'signedIn':
          case 'tokenRefresh':
            load().catch(() => {})
            break
          case 'signedOut':
            apply(undefined)
            break
          case 'tokenRefresh_failure': {
            // A refresh Amplify ran by itself (e.g. before an iam call) whose tokens do not fit a cookie.
            const cause = (payload.data as { error?: unknown } | undefined)?.error
            if (cause instanceof TokenTooLargeError) dropOversized(cause).catch(() => {})
            else error.value = 'token refresh failed'
            break
          }
        }
      })
    }
    return load().catch(() => {})
  }

  /** Server: this request's tokens, read from its cookies by the server plugin. */
  function attachServerSession(serverSource: TokenSource, state: AuthSessionState) {
    source = serverSource
    custom.value = serverSource.customToken?.get() ?? null
    applyState(state)
  }

  function browserOnly(action: string) {
    if (source.server) throw new AmplifyRestError(`${action}() runs in the browser; on the server the session comes from the request's cookies`)
  }

  /** `session: 'server'`: a sign-in step's answer; its session (no token) becomes the store's state. */
  async function remoteStep(step: Promise<SignInResult & { session?: AuthSessionState }>): Promise<SignInResult> {
    try {
      const { session, ...result } = await step
      if (session) applyState(session)
      return result
    }
    catch (cause) {
      error.value = (cause as Error)?.message ?? String(cause)
      throw cause
    }
  }

  async function signIn({ username, password }: SignInInput) {
    browserOnly('signIn')
    if (remote) return remoteStep(remote.signIn({ username, password }))
    const { signIn: amplifySignIn } = await import('aws-amplify/auth')
    const { auth } = useAmplifyOptions()
    try {
      const result = await amplifySignIn({ username, password, options: { authFlowType: auth.authFlowType } })
      if (result.isSignedIn) await read(false)
      return result
    }
    catch (cause) {
      if (cause instanceof TokenTooLargeError) await dropOversized(cause)
      error.value = (cause as Error)?.message ?? String(cause)
      throw cause
    }
  }

  /** Managed login / social providers: to the Cognito domain and back (auth-redirect.ts). */
  async function signInWithRedirect(input?: RedirectSignInInput) {
    browserOnly('signInWithRedirect')
    if (remote) throw new AmplifyRestError('signInWithRedirect() is not available with session: \'server\' (sign-in goes through /api/_amplify/auth/sign-in); use signIn({ username, password }) or session: \'browser\'')
    await (await import('../auth-redirect')).redirectSignIn(input)
  }

  /** The next step of `signIn` (a new password, an MFA code…), as Amplify's `confirmSignIn`; through the server in session 'server'. */
  async function confirmSignIn(input: ConfirmSignInInput) {
    browserOnly('confirmSignIn')
    if (remote) return remoteStep(remote.confirmSignIn({ challengeResponse: input.challengeResponse }))
    const result = await (await import('../auth-redirect')).confirm(input)
    if (result.isSignedIn) await read(false)
    return result
  }

  async function signOut() {
    browserOnly('signOut')
    if (remote) {
      await remote.signOut()
      return apply(undefined)
    }
    const { signOut: amplifySignOut } = await import('aws-amplify/auth')
    await amplifySignOut()
    apply(undefined)
  }

  /** Re-reads the session; `force` refreshes the tokens even when they are still valid. */
  function refresh({ force = false }: { force?: boolean } = {}) {
    return load(force)
  }

  function setCustomToken(token: string | null) {
    if (token !== null) {
      const problem = headerProblem('Authorization', token)
      if (problem) throw new InvalidHeaderError('Authorization', `(custom token) ${problem}`)
    }
    custom.value = token
    source.customToken?.set(token)
  }

  /**
   * Tokens for a call, valid for its journey: a still-fresh token comes from the store without
   * asking Amplify; one near expiry is refreshed first through Amplify (concurrent callers share
   * one refresh).
   */
  async function getFreshTokens(): Promise<CallTokens | undefined> {
    // After hydration the state came from the server's payload; the tokens are read here.
    if (status.value === 'unknown' || !tokensRead) await load()
    if (needsRefresh({ status: status.value, refreshAt: refreshAt.value }, Date.now(), clockDrift)) {
      await load(true)
      if (status.value !== 'signedIn') throw new SessionExpiredError('The session has expired (the refresh token was rejected); sign in again')
    }
    if (status.value !== 'signedIn') return undefined
    return { idToken: idToken.value ?? undefined, accessToken: accessToken.value ?? undefined }
  }

  return {
    status, user, idToken, accessToken, expiresAt, refreshAt, customToken, error, isSignedIn,
    init, signIn, confirmSignIn, signOut, refresh, setCustomToken, getFreshTokens, attachServerSession,
    signInWithRedirect,
  }
})
