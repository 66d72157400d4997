// The browser's `iam` credentials lookup, remembered while nothing it depends on changed: the
// token storage (a fingerprint of it, read on every call: `document.cookie` or Amplify's keys in
// localStorage) is the same string, and the credentials are neither near their expiration nor
// older than Amplify's own 50-minute cache. A sign-in, sign-out or refresh, in this tab or another,
// changes the storage, so the next call looks up again; so does a lookup that changed the storage
// while it ran (what it found is kept under the fingerprint taken before it). Saves Amplify's
// per-call session lookup (token keys, two JWT decodes). Pure.
import type { AuthSession } from '@aws-amplify/core'

/** Amplify re-fetches credentials this long after it fetched them (its credentials provider's TTL). */
export const AMPLIFY_CREDENTIALS_TTL_MS = 50 * 60 * 1000
/** A remembered lookup is not used this close to its credentials' expiration. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000

export interface RememberedSession {
  (): Promise<AuthSession>
  /** Drops what is remembered (an auth event in this tab: the storage may not be the default one). */
  forget: () => void
}

export function rememberSession(lookup: () => Promise<AuthSession>, fingerprint: () => string, now: () => number = Date.now): RememberedSession {
  let last: { key: string, session: AuthSession, until: number } | undefined
  const remembered = async () => {
    const key = fingerprint()
    if (last && last.key === key && now() < last.until) return last.session
    last = undefined
    const started = now()
    const session = await lookup()
    // Kept under the fingerprint taken before the lookup: one that changed the storage is not
    // reused. No credentials or no expiration: never reused.
    const expiration = session.credentials?.expiration?.getTime() ?? Number.NEGATIVE_INFINITY
    last = { key, session, until: Math.min(expiration - EXPIRY_MARGIN_MS, started + AMPLIFY_CREDENTIALS_TTL_MS) }
    return session
  }
  return Object.assign(remembered, { forget: () => void (last = undefined) })
}
