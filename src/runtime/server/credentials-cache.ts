// Identity-pool credentials shared across server requests of the same identity, so SSR does not
// call GetCredentialsForIdentity on every request (Amplify's per-request provider does). An entry
// is keyed by a hash of the identity (pool, user, groups: see identitySubject), not of a token, so
// a refreshed token of the same user finds it; only a request whose ID token this server verified
// (signature, issuer, audience, token_use) and which has not expired may use it. An entry lives
// until the credentials' expiry (minus the margin). Bounded here (least recently used first); with
// a shared store (`SharedState`, e.g. Redis) every instance also finds the others' entries.
import { createHash } from 'node:crypto'
import type { CredentialsAndIdentityIdProvider } from '@aws-amplify/core'
import { identitySubject, type SharedState } from './shared-state'

type Result = Awaited<ReturnType<CredentialsAndIdentityIdProvider['getCredentialsAndIdentityId']>>

export interface CredentialsCacheOptions {
  /** Entries kept at most; the least recently used go first. */
  maxEntries?: number
  /** Credentials closer than this to expiry are fetched anew. */
  marginMs?: number
  now?: () => number
}

export interface WrapOptions {
  /** Whether this server verified the ID token (the request's cookie check, or a refresh's). Others go straight to Amplify. */
  verified?: (idToken: string) => boolean
  /** The store every instance shares (a shared driver only; the process's memory is this cache). */
  shared?: SharedState
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
  /** Lookups answered by the shared store. */
  sharedHits = 0

  constructor(options: CredentialsCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000
    this.marginMs = options.marginMs ?? 60_000
    this.now = options.now ?? Date.now
  }

  get size(): number {
    return this.entries.size
  }

  /** Wraps a request's provider: lookups of a verified identity go through the cache, others straight through. */
  wrap(inner: CredentialsAndIdentityIdProvider, { verified = () => false, shared }: WrapOptions = {}): CredentialsAndIdentityIdProvider {
    return {
      getCredentialsAndIdentityId: async (options) => {
        const idToken = options.authenticated ? options.tokens?.idToken : undefined
        const token = idToken?.toString()
        if (!token || !verified(token)) return inner.getCredentialsAndIdentityId(options)
        const tokenExpiresAt = Number(idToken!.payload.exp ?? 0) * 1000
        const subject = identitySubject(idToken!.payload)
        // An expired token gets nothing from the cache (nor is anything cached for it).
        if (!subject || !(tokenExpiresAt > this.now())) return inner.getCredentialsAndIdentityId(options)
        const key = cacheKey(subject)
        const cached = this.entries.get(key)
        if (cached && !options.forceRefresh && cached.expiresAt - this.marginMs > this.now()) {
          this.hits++
          this.entries.delete(key)
          this.entries.set(key, cached)
          return cached.result
        }
        const pending = this.pending.get(key)
        if (pending && !options.forceRefresh) return pending
        const lookup = this.lookup(key, subject, options.forceRefresh ? undefined : shared, () => inner.getCredentialsAndIdentityId(options), shared)
          .finally(() => {
            if (this.pending.get(key) === lookup) this.pending.delete(key)
          })
        this.pending.set(key, lookup)
        return lookup
      },
      clearCredentialsAndIdentityId: () => inner.clearCredentialsAndIdentityId(),
    }
  }

  private async lookup(key: string, subject: string, readFrom: SharedState | undefined, fetch: () => Promise<Result>, writeTo: SharedState | undefined): Promise<Result> {
    const stored = await readFrom?.getCredentials(subject, this.now() + this.marginMs)
    if (stored) {
      this.sharedHits++
      const { identityId, expiration, ...keys } = stored
      const result = { identityId, credentials: { ...keys, expiration: new Date(expiration) } }
      this.remember(key, result, expiration)
      return result
    }
    this.misses++
    const result = await fetch()
    const expiration = result?.credentials.expiration?.getTime()
    if (result && expiration) {
      this.remember(key, result, expiration)
      const { accessKeyId, secretAccessKey, sessionToken } = result.credentials
      if (result.identityId)
        void writeTo?.putCredentials(subject, { identityId: result.identityId, accessKeyId, secretAccessKey, sessionToken, expiration }, expiration - this.marginMs - this.now())
    }
    return result
  }

  private remember(key: string, result: NonNullable<Result>, expiresAt: number) {
    this.entries.delete(key)
    this.entries.set(key, { result, expiresAt })
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
  }
}

function cacheKey(subject: string): string {
  return createHash('sha256').update(subject).digest('base64url')
}

/** The process-wide cache of this server. */
export const credentialsCache = new CredentialsCache()
