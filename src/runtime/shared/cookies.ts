// The token cookies' attributes, one rule for the browser and the server. Pure.
import type { CookieSameSite, CookieSecure } from './options'

/**
 * Whether a token cookie gets `Secure`: 'auto' on HTTPS and always with `SameSite=None` (browsers
 * reject a `SameSite=None` cookie without `Secure`, so a refresh behind a proxy that does not say
 * `X-Forwarded-Proto: https` would otherwise write cookies the browser drops).
 */
export function cookieSecure(setting: CookieSecure, request: { https: boolean, sameSite: CookieSameSite }): boolean {
  if (setting === true || setting === false) return setting
  return request.https || request.sameSite === 'none'
}

/** js-cookie's name encoding, which Amplify's browser CookieStorage uses: percent-encode, but keep the characters it keeps. */
export function encodeCookieName(name: string): string {
  return encodeURIComponent(name).replace(/%(2[346B]|5E|60|7C)/g, decodeURIComponent)
}

/** Which of Amplify's Cognito storage keys a key is (`CognitoIdentityServiceProvider.<client>.<user>.idToken` → 'idToken'). */
export function tokenKeyKind(key: string): 'idToken' | 'accessToken' | 'clockDrift' | undefined {
  const last = key.slice(key.lastIndexOf('.') + 1)
  if (!key.startsWith('CognitoIdentityServiceProvider.')) return undefined
  return last === 'idToken' || last === 'accessToken' || last === 'clockDrift' ? last : undefined
}

/**
 * `document.cookie` as js-cookie 3 (Amplify's CookieStorage) reads it: split on '; ', the name
 * percent-decoded, the value unquoted and its %XX sequences decoded, the first of two equal names
 * wins, a pair that does not decode is skipped.
 */
export function parseCookieString(raw: string): Map<string, string> {
  const jar = new Map<string, string>()
  for (const pair of raw ? raw.split('; ') : []) {
    const parts = pair.split('=')
    let value = parts.slice(1).join('=')
    try {
      const name = decodeURIComponent(parts[0]!)
      if (jar.has(name)) continue
      if (value[0] === '"') value = value.slice(1, -1)
      jar.set(name, value.replace(/(%[\dA-F]{2})+/gi, decodeURIComponent))
    }
    catch {
      // js-cookie skips what it cannot decode
    }
  }
  return jar
}
