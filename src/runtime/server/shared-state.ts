// Server state shared by requests and, with a shared driver (Redis), by every instance: an
// identity's pool credentials and the result of a token refresh. Entries live in an unstorage-like
// store under HMAC keys with AES-GCM sealed values (shared/sealed.ts). The store is an
// optimisation, never a dependency: each operation is bounded (200 ms by default); an error or a
// timeout makes the caller do what one request does alone, logs once per outage, and the store is
// tried again a second later. No Nuxt here: context.ts and credentials-cache.ts wire it.
import type { Sealer } from '../shared/sealed'
import { createSealer } from '../shared/sealed'

/** What the state needs of a store: unstorage's `Storage` (e.g. `useStorage('amplify')`) has it. */
export interface SharedStorage {
  getItem: (key: string) => Promise<unknown>
  setItem: (key: string, value: string, options?: { ttl?: number }) => Promise<void>
  removeItem: (key: string) => Promise<void>
}

export interface SharedStateOptions {
  storage: SharedStorage
  /** Derives the entry keys and the sealing key (`runtimeConfig.amplify.sessionSecret`). */
  secret: string
  /** Atomic "set if absent" with a ttl (Redis `SET NX PX`); without it a claim is written, then read back. */
  claim?: (key: string, value: string, ttlMs: number) => Promise<boolean>
  /** The store drops nothing by itself (unstorage's memory driver): this process removes entries at their ttl. */
  expireLocally?: boolean
  /** Longest wait for one store operation, ms. Default 200. */
  timeoutMs?: number
  /** After a failure, the store is left alone this long, ms. Default 1000. */
  retryAfterMs?: number
  /** Longest wait for another request's refresh, ms. Default 5000. */
  refreshWaitMs?: number
  /** How long a refresh's result is offered to others, ms. Default 30000. */
  refreshResultTtlMs?: number
  log?: { warn: (message: string) => void, info: (message: string) => void }
}

export interface SharedCredentials {
  identityId: string
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
  /** Epoch ms. */
  expiration: number
}

/** How a refresh's result is stored and read back; `decode` returns undefined for a result not fit to use. */
export interface RefreshCodec<T> {
  encode: (result: T) => unknown
  decode: (stored: unknown) => T | undefined
}

const FAILED = Symbol('store failed')
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export class SharedState {
  readonly sealer: Sealer
  private readonly o: Required<Omit<SharedStateOptions, 'claim' | 'log'>> & Pick<SharedStateOptions, 'claim' | 'log'>
  private retryAt = 0
  private down = false
  private readonly localRefreshes = new Map<string, Promise<unknown>>()
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Store operations that failed or timed out (for tests and diagnostics). */
  failures = 0

  constructor(options: SharedStateOptions) {
    this.sealer = createSealer(options.secret)
    this.o = { expireLocally: false, timeoutMs: 200, retryAfterMs: 1000, refreshWaitMs: 5000, refreshResultTtlMs: 30_000, ...options }
  }

  /** Whether the last operation reached the store. */
  get available(): boolean {
    return !this.down
  }

  /** One bounded store operation; FAILED when the store errs, is slow, or is resting after an outage. */
  private async op<T>(run: () => Promise<T>): Promise<T | typeof FAILED> {
    if (this.down && Date.now() < this.retryAt) return FAILED
    let timer: ReturnType<typeof setTimeout> | undefined
    const attempt = Promise.resolve().then(run)
    attempt.catch(() => {})
    // When the timer fires, answers already received but not yet read (a busy event loop runs
    // timers before I/O) still count: the verdict waits for the I/O phase (setImmediate).
    const timeout = new Promise<typeof FAILED>((resolve) => {
      timer = setTimeout(() => setImmediate(() => resolve(FAILED)), this.o.timeoutMs)
    })
    const outcome = await Promise.race([attempt.catch(() => FAILED as typeof FAILED), timeout])
    clearTimeout(timer)
    if (outcome === FAILED) {
      this.failures++
      this.retryAt = Date.now() + this.o.retryAfterMs
      if (!this.down) this.o.log?.warn(`The shared store (storage mount "amplify") failed or took over ${this.o.timeoutMs} ms: requests go on without it (each as if alone) until it answers again.`)
      this.down = true
      return FAILED
    }
    if (this.down) this.o.log?.info('The shared store (storage mount "amplify") answers again.')
    this.down = false
    return outcome as T
  }

  private async read(key: string): Promise<unknown> {
    const raw = await this.op(() => this.o.storage.getItem(key))
    if (raw === FAILED) return FAILED
    return raw == null ? undefined : this.sealer.open(key, raw)
  }

  private async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    const sealed = this.sealer.seal(key, value)
    const done = await this.op(() => this.o.storage.setItem(key, sealed, { ttl: Math.max(1, Math.ceil(ttlMs / 1000)) }))
    if (done !== FAILED && this.o.expireLocally) this.expireLater(key, ttlMs)
  }

  private async remove(key: string): Promise<void> {
    await this.op(() => this.o.storage.removeItem(key))
  }

  private expireLater(key: string, ttlMs: number) {
    clearTimeout(this.timers.get(key))
    const timer = setTimeout(() => {
      this.timers.delete(key)
      this.o.storage.removeItem(key).catch(() => {})
    }, ttlMs)
    timer.unref?.()
    this.timers.set(key, timer)
  }

  /** Takes `key` for `ttlMs` if nobody holds it: true = ours, false = another's, undefined = store unavailable. */
  private async claim(key: string, ttlMs: number): Promise<boolean | undefined> {
    const mine = this.sealer.seal(key, { owner: Math.random().toString(36).slice(2) })
    if (this.o.claim) {
      const won = await this.op(() => this.o.claim!(key, mine, ttlMs))
      if (won !== FAILED && won && this.o.expireLocally) this.expireLater(key, ttlMs)
      return won === FAILED ? undefined : won
    }
    const held = await this.op(() => this.o.storage.getItem(key))
    if (held === FAILED) return undefined
    if (held != null) return false
    await this.write(key, this.sealer.open(key, mine), ttlMs)
    const after = await this.op(() => this.o.storage.getItem(key))
    if (after === FAILED) return undefined
    return JSON.stringify(this.sealer.open(key, after)) === JSON.stringify(this.sealer.open(key, mine))
  }

  /** The shared credentials of `identity` (see identitySubject), if stored and unexpired at `minExpiry`. */
  async getCredentials(identity: string, minExpiry: number): Promise<SharedCredentials | undefined> {
    const value = await this.read(this.sealer.key('credentials', identity))
    if (!isCredentials(value) || value.expiration <= minExpiry) return undefined
    return value
  }

  /** Stores `identity`'s credentials for `ttlMs`. */
  async putCredentials(identity: string, credentials: SharedCredentials, ttlMs: number): Promise<void> {
    if (ttlMs > 0) await this.write(this.sealer.key('credentials', identity), credentials, ttlMs)
  }

  /**
   * One refresh per refresh token across requests and instances: the first caller runs `refresh`
   * and offers its result; the others wait (at most `refreshWaitMs`) and use that result. With the
   * store unavailable, or the first caller failing, a caller refreshes itself.
   */
  shareRefresh<T>(refreshToken: string, refresh: () => Promise<T>, codec: RefreshCodec<T>): Promise<T> {
    const resultKey = this.sealer.key('refresh', refreshToken)
    const local = this.localRefreshes.get(resultKey) as Promise<T> | undefined
    if (local) return local
    const shared = this.refreshOnce(resultKey, refresh, codec).finally(() => this.localRefreshes.delete(resultKey))
    this.localRefreshes.set(resultKey, shared)
    return shared
  }

  private async refreshOnce<T>(resultKey: string, refresh: () => Promise<T>, codec: RefreshCodec<T>): Promise<T> {
    const offered = (value: unknown) => value === FAILED || value === undefined ? undefined : codec.decode(value)
    const ready = offered(await this.read(resultKey))
    if (ready !== undefined) return ready
    const lockKey = `${resultKey}:lock`
    const claimed = await this.claim(lockKey, this.o.refreshWaitMs)
    if (claimed === undefined) return refresh()
    if (claimed) {
      try {
        // The one before may have finished between our first look and our claim (it offers its
        // result before it lets go of the claim): look again.
        const meanwhile = offered(await this.read(resultKey))
        if (meanwhile !== undefined) return meanwhile
        const result = await refresh()
        await this.write(resultKey, codec.encode(result), this.o.refreshResultTtlMs)
        return result
      }
      finally {
        await this.remove(lockKey)
      }
    }
    const deadline = Date.now() + this.o.refreshWaitMs
    while (Date.now() < deadline) {
      await sleep(20)
      const value = await this.read(resultKey)
      if (value === FAILED) break
      const result = offered(value)
      if (result !== undefined) return result
      const lock = await this.op(() => this.o.storage.getItem(lockKey))
      if (lock === FAILED || lock == null) break
    }
    // The first caller failed, vanished or is too slow; a last look, then refresh alone.
    return offered(await this.read(resultKey)) ?? refresh()
  }
}

/** What one identity-pool identity is, from a verified ID token's claims: pool, user, groups (they choose the role). */
export function identitySubject(payload: Record<string, unknown>): string | undefined {
  const { iss, sub } = payload
  if (typeof iss !== 'string' || typeof sub !== 'string' || !iss || !sub) return undefined
  const groups = Array.isArray(payload['cognito:groups']) ? (payload['cognito:groups'] as unknown[]).map(String).sort() : []
  const role = typeof payload['cognito:preferred_role'] === 'string' ? payload['cognito:preferred_role'] : ''
  return JSON.stringify([iss, sub, groups, role])
}

function isCredentials(value: unknown): value is SharedCredentials {
  const v = value as SharedCredentials | undefined
  return !!v && typeof v === 'object' && typeof v.identityId === 'string' && typeof v.accessKeyId === 'string'
    && typeof v.secretAccessKey === 'string' && typeof v.expiration === 'number'
}
