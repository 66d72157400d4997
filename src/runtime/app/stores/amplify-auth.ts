import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AuthTokens } from 'aws-amplify/auth'
import { Amplify } from 'aws-amplify'
import { Hub } from 'aws-amplify/utils'
import { useRuntimeConfig } from '#imports'
import type { ResolvedOptions } from '../../shared/options'
import type { CallTokens } from '../../shared/headers'
import { InvalidHeaderError, SessionExpiredError } from '../../shared/errors'
import { headerProblem } from '../../shared/options'

export type AuthStatus = 'unknown' | 'signedIn' | 'signedOut'

export interface AmplifyUser {
  userId: string
  username: string
  email?: string
  groups: string[]
}

export interface SignInInput {
  username: string
  password: string
}

/** Refresh this long before expiry, but never more than a quarter of a token's life (short-lived test tokens). */
const REFRESH_MARGIN_MS = 60_000

export const useAmplifyAuthStore = defineStore('amplify-auth', () => {
  const status = ref<AuthStatus>('unknown')
  const user = ref<AmplifyUser | null>(null)
  const idToken = ref<string | null>(null)
  const accessToken = ref<string | null>(null)
  /** Epoch ms at which the sooner of the ID and access token expires. */
  const expiresAt = ref<number | null>(null)
  /** When to refresh: `expiresAt` less the margin. */
  const refreshAt = ref<number | null>(null)
  const customToken = ref<string | null>(null)
  /** Message of the last failed sign-in or refresh, cleared by the next success. */
  const error = ref<string | null>(null)
  const isSignedIn = computed(() => status.value === 'signedIn')

  let inflight: { promise: Promise<void>, forced: boolean } | null = null
  let listening = false

  function apply(tokens: AuthTokens | undefined) {
    const id = tokens?.idToken
    const access = tokens?.accessToken
    if (!id || !access) {
      status.value = 'signedOut'
      user.value = null
      idToken.value = null
      accessToken.value = null
      expiresAt.value = null
      refreshAt.value = null
      return
    }
    const idPayload = id.payload
    const accessPayload = access.payload
    const exp = Math.min(Number(idPayload.exp ?? 0), Number(accessPayload.exp ?? 0)) * 1000
    const iat = Number(accessPayload.iat ?? idPayload.iat ?? 0) * 1000
    const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, (exp - iat) / 4))
    idToken.value = id.toString()
    accessToken.value = access.toString()
    expiresAt.value = exp
    refreshAt.value = exp - margin
    const groups = accessPayload['cognito:groups'] ?? idPayload['cognito:groups']
    user.value = {
      userId: String(accessPayload.sub ?? idPayload.sub ?? ''),
      username: String(accessPayload.username ?? idPayload['cognito:username'] ?? ''),
      email: typeof idPayload.email === 'string' ? idPayload.email : undefined,
      groups: Array.isArray(groups) ? groups.map(String) : [],
    }
    status.value = 'signedIn'
    error.value = null
  }

  /** Reads the session from Amplify, refreshing through Amplify when asked; one at a time. */
  function load(forceRefresh = false): Promise<void> {
    if (inflight && (inflight.forced || !forceRefresh)) return inflight.promise
    const current = { forced: forceRefresh, promise: Promise.resolve() }
    current.promise = (async () => {
      try {
        apply(await Amplify.getTokens({ forceRefresh }))
      }
      catch (cause) {
        error.value = (cause as Error)?.message ?? String(cause)
        apply(undefined)
        throw new SessionExpiredError(`The session could not be refreshed: ${error.value}; sign in again`, { cause })
      }
      finally {
        if (inflight === current) inflight = null
      }
    })()
    inflight = current
    return current.promise
  }

  /** Starts following Amplify's Hub so a sign-in, sign-out or refresh anywhere shows here. */
  function init(): Promise<void> {
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
          case 'tokenRefresh_failure':
            error.value = 'token refresh failed'
            break
        }
      })
    }
    return load().catch(() => {})
  }

  async function signIn({ username, password }: SignInInput) {
    const { signIn: amplifySignIn } = await import('aws-amplify/auth')
    const { auth } = useRuntimeConfig().public.amplify as ResolvedOptions
    try {
      const result = await amplifySignIn({ username, password, options: { authFlowType: auth.authFlowType } })
      if (result.isSignedIn) apply(await Amplify.getTokens({}))
      return result
    }
    catch (cause) {
      error.value = (cause as Error)?.message ?? String(cause)
      throw cause
    }
  }

  async function signOut() {
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
    customToken.value = token
  }

  /**
   * Tokens for a call, valid for its journey: a still-fresh token comes from the store without
   * asking Amplify; one near expiry is refreshed first through Amplify (concurrent callers share
   * one refresh).
   */
  async function getFreshTokens(): Promise<CallTokens | undefined> {
    if (status.value === 'unknown') await load()
    if (status.value !== 'signedIn') return undefined
    if (refreshAt.value !== null && Date.now() >= refreshAt.value) await load(true)
    if (status.value !== 'signedIn') return undefined
    return { idToken: idToken.value ?? undefined, accessToken: accessToken.value ?? undefined }
  }

  return {
    status, user, idToken, accessToken, expiresAt, refreshAt, customToken, error, isSignedIn,
    init, signIn, signOut, refresh, setCustomToken, getFreshTokens,
  }
})
