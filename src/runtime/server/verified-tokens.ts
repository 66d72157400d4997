// The server's verdicts on user-pool tokens it has verified, reused for later requests presenting
// the same token: a proxied call or a page then costs no RS256 check of its cookies each time.
// Only what this server's verifier accepted (signature against the pool's keys, issuer, audience,
// token_use) and only while the token is unexpired, for at most `maxAgeMs` (the key set's own cache
// age), so a key the pool withdraws stops counting as it would without the cache. Entries are keyed
// by an HMAC with a key that lives only in this process (no token in a key), bounded in number.
import { createHmac, randomBytes } from 'node:crypto'
import type { JWTPayload } from 'jose'
import type { UserPoolTokenVerifier } from './token-verifier'

export interface VerdictCacheOptions {
  maxEntries?: number
  maxAgeMs?: number
  now?: () => number
}

export interface VerdictCache {
  /** `verify` with its accepted, unexpired verdicts remembered; `scope` names the pool and client it checks for. */
  wrap: (verify: UserPoolTokenVerifier, scope: string) => UserPoolTokenVerifier
  readonly size: number
}

export function createVerdictCache({ maxEntries = 10_000, maxAgeMs = 600_000, now = Date.now }: VerdictCacheOptions = {}): VerdictCache {
  const secret = randomBytes(32)
  const entries = new Map<string, { payload: JWTPayload, until: number }>()
  return {
    get size() {
      return entries.size
    },
    wrap(verify, scope) {
      return async (token, use) => {
        const key = createHmac('sha256', secret).update(`${scope}\0${use}\0${token}`).digest('base64url')
        const hit = entries.get(key)
        if (hit) {
          entries.delete(key)
          if (hit.until > now()) {
            entries.set(key, hit)
            return { ok: true, payload: hit.payload, expired: false }
          }
        }
        const verdict = await verify(token, use)
        if (verdict.ok && !verdict.expired && typeof verdict.payload.exp === 'number') {
          entries.set(key, { payload: Object.freeze({ ...verdict.payload }), until: Math.min(verdict.payload.exp * 1000, now() + maxAgeMs) })
          if (entries.size > maxEntries) entries.delete(entries.keys().next().value!)
        }
        return verdict
      }
    },
  }
}

/** The process's verdicts (public facts about tokens this server verified; nothing a request wrote). */
export const verifiedTokenCache: VerdictCache = createVerdictCache()
