// Identity-pool credentials shared across server requests of the same signed-in session, so SSR
// does not call GetCredentialsForIdentity on every request (Amplify's per-request provider does).
// An entry is keyed by a hash of the ID token the credentials were obtained with: only a request
// presenting that exact token (same user, same session) can get them. The tokens reaching it were
// verified by the server (see cookie-storage.ts). An entry lives until the sooner of the
// credentials' expiry and the ID token's own `exp` (this server's clock), and goes when a refresh
// replaces its token. Bounded (least recently used first).
import { createHash } from 'node:crypto'
import type { CredentialsAndIdentityIdProvider } from '@aws-amplify/core'

type Result = Awaited<ReturnType<CredentialsAndIdentityIdProvider['getCredentialsAndIdentityId']>>

export interface CredentialsCacheOptions {
  /** Entries kept at most; the least recently used go first. */
  maxEntries?: number
  /** Credentials closer than this to expiry are fetched anew. */
  marginMs?: number
  now?: () => number
}

export class CredentialsCache {
  private readonly entries = new Map<string, { result: NonNullable<Result>, expiresAt: number }>()
  /** Lookups under way, so concurrent requests of one session share a single fetch. */
  private readonly pending = new Map<string, Promise<Result>>()
  private readonly maxEntries: number
  private readonly marginMs: number
  private readonly now: () => number
  hits = 0
  misses = 0

  constructor(options: CredentialsCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000
    this.marginMs = options.marginMs ?? 60_000
    this.now = options.now ?? Date.now
  }

  get size(): number {
    return this.entries.size
  }

  /** Wraps a request's provider: authenticated lookups go through the cache, guests straight through. */
  wrap(inner: CredentialsAndIdentityIdProvider): CredentialsAndIdentityIdProvider {
    return {
      getCredentialsAndIdentityId: async (options) => {
        const idToken = options.authenticated ? options.tokens?.idToken : undefined
        const token = idToken?.toString()
        if (!token) return inner.getCredentialsAndIdentityId(options)
        const tokenExpiresAt = Number(idToken!.payload.exp ?? 0) * 1000
        // An expired token gets nothing from the cache (nor is anything cached for it).
        if (!(tokenExpiresAt > this.now())) return inner.getCredentialsAndIdentityId(options)
        const key = cacheKey(token)
        const cached = this.entries.get(key)
        if (cached && !options.forceRefresh && cached.expiresAt - this.marginMs > this.now()) {
          this.hits++
          this.entries.delete(key)
          this.entries.set(key, cached)
          return cached.result
        }
        const shared = this.pending.get(key)
        if (shared && !options.forceRefresh) return shared
        this.misses++
        const lookup = inner.getCredentialsAndIdentityId(options).then((result) => {
          const expiration = result?.credentials.expiration?.getTime()
          if (result && expiration) {
            this.entries.delete(key)
            this.entries.set(key, { result, expiresAt: Math.min(expiration, tokenExpiresAt + this.marginMs) })
            while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
          }
          return result
        }).finally(() => {
          if (this.pending.get(key) === lookup) this.pending.delete(key)
        })
        this.pending.set(key, lookup)
        return lookup
      },
      clearCredentialsAndIdentityId: () => inner.clearCredentialsAndIdentityId(),
    }
  }

  /** Drops the entry of an ID token that a refresh replaced. */
  forget(idToken: string): void {
    this.entries.delete(cacheKey(idToken))
  }
}

function cacheKey(idToken: string): string {
  return createHash('sha256').update(idToken).digest('base64url')
}

/** The process-wide cache of this server. */
export const credentialsCache = new CredentialsCache()
