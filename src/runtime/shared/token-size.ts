// Browsers drop a cookie whose name and value together exceed 4096 bytes (Chrome's
// kMaxCookieNamePlusValueSize, Firefox's kMaxBytesPerCookie) without telling the page. A token that
// big would leave Amplify signed in and the cookies signed out, so its writes are checked here
// first. Pure: names and values are encoded exactly as Amplify's CookieStorage (js-cookie 3) writes them.
import type { KeyValueStorageInterface } from '@aws-amplify/core'
import { encodeCookieName } from './cookies'
import { TokenTooLargeError } from './errors'

/** The most bytes of name + value a browser keeps in one cookie. */
export const MAX_COOKIE_BYTES = 4096

/** A cookie value as js-cookie 3's default converter writes it. */
export function encodeCookieValue(value: string): string {
  return encodeURIComponent(value).replace(/%(2[346BF]|3[AC-F]|40|5[BDE]|60|7[BCD])/g, decodeURIComponent)
}

/** Bytes of name + value of the cookie js-cookie writes for this key and value (both encode to ASCII). */
export function cookieBytes(name: string, value: string): number {
  return encodeCookieName(name).length + encodeCookieValue(value).length
}

/** Which token an Amplify storage key holds (`….idToken` → `idToken`), or the key itself. */
function tokenOf(key: string): string {
  return /\.(idToken|accessToken|refreshToken)$/.exec(key)?.[1] ?? key
}

/** The error for a cookie too big for a browser, or undefined when it fits. */
export function tokenCookieProblem(key: string, value: string): TokenTooLargeError | undefined {
  const bytes = cookieBytes(key, value)
  return bytes > MAX_COOKIE_BYTES ? new TokenTooLargeError(tokenOf(key), bytes, MAX_COOKIE_BYTES) : undefined
}

/**
 * Amplify's cookie storage, refusing (with TokenTooLargeError, before writing it) a cookie a browser
 * would drop. Amplify's sign-in and refresh then fail with that error instead of half-storing a session.
 */
export function sizeCheckedStorage(storage: KeyValueStorageInterface): KeyValueStorageInterface {
  return {
    setItem: async (key, value) => {
      const problem = tokenCookieProblem(key, value)
      if (problem) throw problem
      return storage.setItem(key, value)
    },
    getItem: key => storage.getItem(key),
    removeItem: key => storage.removeItem(key),
    clear: () => storage.clear(),
  }
}
