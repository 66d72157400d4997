// Amplify's key-value storage over one request's cookies. Reads see what this request wrote (a
// refresh during rendering); writes go back to the browser with Set-Cookie. Names are encoded as
// the browser's js-cookie encodes them, so both sides address the same cookie.
// What is trusted: a token cookie only after `verify` accepted it; the clockDrift cookie never (the
// browser writes it, and it would move expiry). A response that read a session cookie or wrote one
// is personalised: it is marked private for caches (`cacheControl` option).
import type { H3Event } from 'h3'
import { deleteCookie, getRequestProtocol, getResponseHeader, parseCookies, setCookie, setResponseHeader } from 'h3'
import type { KeyValueStorageInterface } from '@aws-amplify/core'
import { createKeyValueStorageFromCookieStorageAdapter } from 'aws-amplify/adapter-core'
import { consola } from 'consola'
import type { ResolvedOptions } from '../shared/options'
import { cookieSecure, encodeCookieName, tokenKeyKind } from '../shared/cookies'
import type { UserPoolTokenVerifier } from './token-verifier'

export const PRIVATE_CACHE_CONTROL = 'private, no-cache, no-store, max-age=0, must-revalidate'
const log = consola.withTag('nuxt-amplify-rest')

export interface CookieStorageHooks {
  /** Checks a token cookie; without it (no user pool configured) token cookies are ignored. */
  verify?: UserPoolTokenVerifier
  /** Hears of an ID token that this request replaced with a new one (a refresh). */
  replacedIdToken?: (idToken: string) => void
}

export function cookieStorage(event: H3Event, options: ResolvedOptions, hooks: CookieStorageHooks = {}): KeyValueStorageInterface {
  const written = new Map<string, string | null>()
  let received: Record<string, string> | undefined
  const { domain, maxAge, sameSite } = options.cookie
  const secure = cookieSecure(options.cookie.secure, { https: getRequestProtocol(event, { xForwardedProto: true }) === 'https', sameSite })
  const attributes = { path: '/', sameSite, secure, ...(domain ? { domain } : {}) }
  const personalised = () => {
    if (options.cacheControl && !event.node.res.headersSent && getResponseHeader(event, 'cache-control') === undefined)
      setResponseHeader(event, 'cache-control', PRIVATE_CACHE_CONTROL)
  }
  const read = (key: string) => {
    if (written.has(key)) return written.get(key) ?? undefined
    received ??= parseCookies(event)
    const value = received[key]
    if (value !== undefined) personalised()
    return value
  }
  const adapter = {
    get(name: string) {
      const value = read(encodeCookieName(name))
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
      if (tokenKeyKind(name) === 'idToken') {
        // The request's own cookie: Amplify deletes a key before it sets it.
        const old = (received ??= parseCookies(event))[key]
        if (old && old !== value) hooks.replacedIdToken?.(old)
      }
      written.set(key, value)
      personalised()
      // Readable by the browser's Amplify (not HttpOnly): it reads and refreshes the same cookies.
      setCookie(event, key, value, { ...attributes, maxAge })
    },
    delete(name: string) {
      const key = encodeCookieName(name)
      written.set(key, null)
      personalised()
      deleteCookie(event, key, attributes)
    },
  } as unknown as Parameters<typeof createKeyValueStorageFromCookieStorageAdapter>[0]

  const validator = {
    getItem: async (key: string, value: string): Promise<boolean> => {
      const kind = tokenKeyKind(key)
      if (!kind) return true
      if (kind === 'clockDrift' || !hooks.verify) return false
      const verdict = await hooks.verify(value, kind === 'idToken' ? 'id' : 'access')
      if (!verdict.ok) log.debug(`${kind} cookie refused (${verdict.reason}); the request is a guest`)
      return verdict.ok
    },
  }
  return createKeyValueStorageFromCookieStorageAdapter(adapter, validator)
}
