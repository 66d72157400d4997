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
import type { ResolvedOptions } from '../shared/option-types'
import { encodeCookieName, tokenKeyKind } from '../shared/cookies'
import { tokenCookieAttributes } from '../shared/session-cookies'
import { tokenCookieProblem } from '../shared/token-size'
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
  /** The request's own cookies, parsed once. */
  const incoming = () => received ??= parseCookies(event)
  const { maxAge } = options.cookie
  // HttpOnly with `session: 'server'`: then only the server reads and refreshes them.
  const attributes = tokenCookieAttributes(options.cookie, { https: getRequestProtocol(event, { xForwardedProto: true }) === 'https', session: options.session })
  const personalised = () => {
    if (options.cacheControl && !event.node.res.headersSent && getResponseHeader(event, 'cache-control') === undefined)
      setResponseHeader(event, 'cache-control', PRIVATE_CACHE_CONTROL)
  }
  const read = (key: string) => {
    if (written.has(key)) return written.get(key) ?? undefined
    const value = incoming()[key]
    if (value !== undefined) personalised()
    return value
  }
  const adapter = {
    get(name: string) {
      const value = read(encodeCookieName(name))
      return value === undefined ? undefined : { name, value }
    },
    getAll() {
      const all = new Map(Object.entries(incoming()))
      for (const [key, value] of written) {
        if (value === null) all.delete(key)
        else all.set(key, value)
      }
      return [...all].map(([name, value]) => ({ name: decodeURIComponent(name), value }))
    },
    set(name: string, value: string) {
      const tooLarge = tokenCookieProblem(name, value)
      if (tooLarge) {
        // A browser would drop this cookie and keep the old ones (signed in for nothing, refreshing
        // on every request): sign this user out instead, and fail the refresh with the reason.
        log.warn(tooLarge.message)
        signOutUser(name)
        throw tooLarge
      }
      const key = encodeCookieName(name)
      if (tokenKeyKind(name) === 'idToken') {
        // The request's own cookie: Amplify deletes a key before it sets it.
        const old = incoming()[key]
        if (old && old !== value) hooks.replacedIdToken?.(old)
      }
      written.set(key, value)
      personalised()
      // With session 'browser' readable by the browser's Amplify (not HttpOnly): it reads and refreshes the same cookies.
      setCookie(event, key, value, { ...attributes, maxAge })
    },
    delete(name: string) {
      const key = encodeCookieName(name)
      written.set(key, null)
      personalised()
      deleteCookie(event, key, attributes)
    },
  } as unknown as Parameters<typeof createKeyValueStorageFromCookieStorageAdapter>[0]
  /** Deletes the cookies of the user a storage key belongs to (`<prefix>.<client>.<user>.*`, and the client's LastAuthUser). */
  function signOutUser(name: string) {
    const userPrefix = encodeCookieName(name.slice(0, name.lastIndexOf('.') + 1))
    const lastAuthUser = encodeCookieName(`${name.split('.').slice(0, 2).join('.')}.LastAuthUser`)
    const names = new Set([...Object.keys(incoming()), ...written.keys()])
    for (const key of names) {
      if (key !== lastAuthUser && !key.startsWith(userPrefix)) continue
      written.set(key, null)
      deleteCookie(event, key, attributes)
    }
    personalised()
  }

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
