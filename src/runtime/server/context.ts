// One Amplify server context per request, built from that request's cookies and kept on the h3
// event (never in module scope), so nothing about one user can reach another request. Used by the
// Nuxt app's server plugin (SSR) and by the Nitro helpers alike.
import type { H3Event } from 'h3'
import { deleteCookie, getRequestProtocol, parseCookies, setCookie } from 'h3'
import type { AuthTokens, KeyValueStorageInterface, LibraryOptions, ResourcesConfig, TokenProvider } from '@aws-amplify/core'
import {
  createAWSCredentialsAndIdentityIdProvider, createKeyValueStorageFromCookieStorageAdapter,
  createUserPoolsTokenProvider, runWithAmplifyServerContext,
} from 'aws-amplify/adapter-core'
import { del, get, head, patch, post, put } from 'aws-amplify/api/server'
import { fetchAuthSession } from 'aws-amplify/auth/server'
import type { AmplifySend, AmplifyOperation, RestMethod } from '../shared/client'
import { credentialsError } from '../shared/client'
import { NotSignedInError } from '../shared/errors'
import type { ResolvedOptions } from '../shared/options'
import type { AuthSessionState } from '../shared/session'
import { needsRefresh, SIGNED_OUT, sessionFromTokens } from '../shared/session'
import { toResourcesConfig } from '../shared/amplify-config'
import { credentialsCache } from './credentials-cache'

type ServerRest = (contextSpec: unknown, input: unknown) => AmplifyOperation
const serverRest = { GET: get, POST: post, PUT: put, PATCH: patch, DELETE: del, HEAD: head } as unknown as Record<RestMethod, ServerRest>

export interface AmplifyServerContext {
  /** This request's session: tokens read from its cookies, refreshed once if they are near expiry. */
  session: () => Promise<AuthSessionState>
  /** The request's token provider, with refreshes de-duplicated (Amplify's server provider does not). */
  tokens: TokenProvider
  /** Resolves when this request has identity-pool credentials for `iam` calls; a typed error otherwise. */
  ensureCredentials: (apiName: string) => Promise<void>
  /** Starts an Amplify REST call in a context of this request. */
  send: AmplifySend
  /** The app's custom token for `custom` APIs, for this request only. */
  customToken: string | null
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
  const resources: ResourcesConfig = toResourcesConfig(options)
  const authConfig = resources.Auth
  let auth: LibraryOptions['Auth'] | undefined
  let tokens: TokenProvider = { getTokens: async () => null }
  if (authConfig) {
    const storage = cookieStorage(event, options)
    tokens = dedupeRefreshes(createUserPoolsTokenProvider(authConfig, storage))
    auth = { tokenProvider: tokens, credentialsProvider: credentialsCache.wrap(createAWSCredentialsAndIdentityIdProvider(authConfig, storage)) }
  }

  let session: Promise<AuthSessionState> | undefined
  let credentials: Promise<boolean> | undefined
  const context: AmplifyServerContext = {
    tokens,
    customToken: null,
    session: () => session ??= readSession(tokens),
    async ensureCredentials(apiName) {
      credentials ??= runWithAmplifyServerContext(resources, { Auth: auth }, contextSpec => fetchAuthSession(contextSpec))
        .then(result => !!result.credentials)
      const present = await credentials.catch((cause: unknown) => {
        credentials = undefined
        throw credentialsError(apiName, cause)
      })
      if (!present) throw new NotSignedInError(apiName, 'iam')
    },
    send(method, input, libraryHeaders) {
      let cancel: AmplifyOperation['cancel'] | undefined
      // The context lives as long as the call: runWithAmplifyServerContext destroys it afterwards.
      // It invokes the operation synchronously, so Amplify reads the call's headers right away.
      const response = runWithAmplifyServerContext(resources, { Auth: auth, API: { REST: { headers: libraryHeaders } } }, (contextSpec) => {
        const operation = serverRest[method](contextSpec, input)
        cancel = operation.cancel
        return operation.response
      })
      return { response, cancel: message => cancel?.(message) }
    },
  }
  return context
}

async function readSession(tokens: TokenProvider): Promise<AuthSessionState> {
  try {
    let state = sessionFromTokens(await tokens.getTokens({ forceRefresh: false }) ?? undefined)
    if (needsRefresh(state)) state = sessionFromTokens(await tokens.getTokens({ forceRefresh: true }) ?? undefined)
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

/**
 * Amplify's cookie key-value storage over this request's cookies. Reads see what this request
 * wrote (a refresh during rendering); writes go back to the browser with Set-Cookie. Names are
 * encoded as the browser's js-cookie encodes them, so both sides address the same cookie.
 */
function cookieStorage(event: H3Event, options: ResolvedOptions): KeyValueStorageInterface {
  const written = new Map<string, string | null>()
  let received: Record<string, string> | undefined
  const secure = getRequestProtocol(event) === 'https'
  const { domain, maxAge, sameSite } = options.cookie
  const read = (name: string) => {
    const key = encodeCookieName(name)
    if (written.has(key)) return written.get(key) ?? undefined
    received ??= parseCookies(event)
    return received[key]
  }
  const adapter = {
    get(name: string) {
      const value = read(name)
      return value === undefined ? undefined : { name, value }
    },
    getAll() {
      received ??= parseCookies(event)
      const all = new Map(Object.entries(received))
      for (const [key, value] of written) {
        if (value === null) all.delete(key)
        else all.set(key, value)
      }
      return [...all].map(([name, value]) => ({ name: decodeURIComponent(name), value }))
    },
    set(name: string, value: string) {
      const key = encodeCookieName(name)
      written.set(key, value)
      // Readable by the browser's Amplify (not HttpOnly): it reads and refreshes the same cookies.
      setCookie(event, key, value, { path: '/', sameSite, secure, maxAge, ...(domain ? { domain } : {}) })
    },
    delete(name: string) {
      const key = encodeCookieName(name)
      written.set(key, null)
      deleteCookie(event, key, { path: '/', sameSite, secure, ...(domain ? { domain } : {}) })
    },
  } as unknown as Parameters<typeof createKeyValueStorageFromCookieStorageAdapter>[0]
  return createKeyValueStorageFromCookieStorageAdapter(adapter)
}

/** js-cookie's name encoding: percent-encode, but keep the characters it keeps. */
export function encodeCookieName(name: string): string {
  return encodeURIComponent(name).replace(/%(2[346B]|5E|60|7C)/g, decodeURIComponent)
}
