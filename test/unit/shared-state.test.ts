// The shared server state (sealed entries, identity credentials, the refresh share) against an
// in-memory unstorage and against a real redis-server through unstorage's redis driver (ioredis),
// as a Nitro `amplify` mount would hold them; two SharedState objects stand for two instances.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStorage, type Storage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import redisDriver from 'unstorage/drivers/redis'
import { createSealer, processSecret } from '../../src/runtime/shared/sealed'
import { identitySubject, SharedState, type SharedCredentials, type SharedStorage } from '../../src/runtime/server/shared-state'
import { mountInfo } from '../../src/runtime/server/storage-mount'
import { startRedis, type TestRedis } from '../utils/redis'

const SECRET = 'a-test-session-secret-of-enough-length-0123456789'
const ISS = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test'
const codec = { encode: (t: { token: string }) => t, decode: (v: unknown) => (v as { token?: string })?.token ? v as { token: string } : undefined }
const credentials = (who: string, expiration = Date.now() + 3_600_000): SharedCredentials =>
  ({ identityId: `eu-west-1:${who}`, accessKeyId: `AK-${who}`, secretAccessKey: `SECRET-${who}`, sessionToken: `ST-${who}`, expiration })

function logs() {
  const lines: string[] = []
  return { lines, log: { warn: (m: string) => lines.push(`warn ${m}`), info: (m: string) => lines.push(`info ${m}`) } }
}

describe('sealed entries', () => {
  it('names an entry by an HMAC (per secret and purpose, never the subject) and opens only what it sealed for that key', () => {
    const sealer = createSealer(SECRET)
    const key = sealer.key('refresh', 'the-refresh-token')
    expect(key).toMatch(/^refresh:[\w-]{43}$/)
    expect(key).not.toContain('the-refresh-token')
    expect(sealer.key('refresh', 'the-refresh-token')).toBe(key)
    expect(sealer.key('credentials', 'the-refresh-token')).not.toBe(key)
    expect(createSealer(`${SECRET}x`).key('refresh', 'the-refresh-token')).not.toBe(key)
    const sealed = sealer.seal(key, { secretAccessKey: 'SECRET-alice' })
    expect(sealed).not.toContain('SECRET')
    expect(sealer.open(key, sealed)).toEqual({ secretAccessKey: 'SECRET-alice' })
    expect(sealer.open(sealer.key('refresh', 'other'), sealed)).toBeUndefined()
    expect(createSealer(`${SECRET}x`).open(key, sealed)).toBeUndefined()
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1)
    expect(sealer.open(key, flipped)).toBeUndefined()
    expect(sealer.open(key, 'v1.')).toBeUndefined()
    expect(sealer.open(key, { not: 'a string' })).toBeUndefined()
  })

  it('refuses a short secret, naming the length it needs', () => {
    expect(() => createSealer('short')).toThrow(/at least 32 characters/)
  })

  it('takes a secret of exactly 32 characters, refuses 31 and a secret that is not a string with the same message', () => {
    const message = 'The session secret must be a string of at least 32 characters.'
    expect(() => createSealer('x'.repeat(32))).not.toThrow()
    expect(() => createSealer('x'.repeat(31))).toThrow(message)
    expect(() => createSealer(undefined as never)).toThrow(message)
  })

  it('opens the shortest values it seals (one character of JSON)', () => {
    const sealer = createSealer(SECRET)
    const key = sealer.key('refresh', 'rt')
    for (const value of [7, 0, true, null, 'x'])
      expect(sealer.open(key, sealer.seal(key, value))).toEqual(value)
  })

  it('a process secret (no secret configured, memory store) is new each time and a sealer takes it', () => {
    const [a, b] = [processSecret(), processSecret()]
    expect(a).toMatch(/^[\w-]{43}$/)
    expect(b).not.toBe(a)
    const sealer = createSealer(a)
    expect(sealer.open(sealer.key('p', 's'), sealer.seal(sealer.key('p', 's'), { v: 1 }))).toEqual({ v: 1 })
  })

  it('tells identities apart by pool, user, groups and preferred role', () => {
    const alice = identitySubject({ iss: ISS, sub: 'alice' })
    expect(alice).toBeDefined()
    expect(identitySubject({ iss: ISS, sub: 'bob' })).not.toBe(alice)
    expect(identitySubject({ iss: `${ISS}x`, sub: 'alice' })).not.toBe(alice)
    expect(identitySubject({ 'iss': ISS, 'sub': 'alice', 'cognito:groups': ['admin'] })).not.toBe(alice)
    expect(identitySubject({ 'iss': ISS, 'sub': 'alice', 'cognito:preferred_role': 'arn:r' })).not.toBe(alice)
    expect(identitySubject({ sub: 'alice' })).toBeUndefined()
  })
})

type Backend = { name: string, storages: () => Storage[], raw: (s: Storage) => Promise<string[]> }
let redis: TestRedis
const redisStorages: Storage[] = []
beforeAll(async () => {
  redis = await startRedis()
}, 30_000)
afterAll(async () => {
  for (const s of redisStorages) await s.dispose()
  await redis?.stop()
})
const memory = createStorage()
memory.mount('amplify', memoryDriver())

const backends: Backend[] = [
  { name: 'in-memory unstorage', storages: () => [memory, memory], raw: async s => Promise.all((await s.getKeys('amplify')).map(async k => `${k}=${String(await s.getItem(k))}`)) },
  {
    name: 'redis-server (unstorage redis driver)',
    storages: () => {
      const two = [0, 1].map(() => {
        const s = createStorage()
        s.mount('amplify', redisDriver({ url: redis.url }))
        mountInfo(s) // as the server does: the client's errors go to the shared state's one warning
        redisStorages.push(s)
        return s
      })
      return two
    },
    raw: async s => Promise.all((await s.getKeys('amplify')).map(async k => `${k}=${String(await s.getItem(k))}`)),
  },
]

describe.each(backends)('SharedState on $name', (backend) => {
  // A generous bound per store operation: these tests are about sharing, not about a slow store
  // (a loaded machine must not turn them into the fallback).
  const instances = (extra: Partial<ConstructorParameters<typeof SharedState>[0]> = {}) => backend.storages().map(s => new SharedState({ ...mountInfo(s), secret: SECRET, timeoutMs: 10_000, ...extra }))

  it('keeps credentials per identity, sealed under an HMAC key, for every instance, never handing one identity\'s to another', async () => {
    const [a, b] = instances()
    const alice = identitySubject({ iss: ISS, sub: `alice-${backend.name}` })!
    const bob = identitySubject({ iss: ISS, sub: `bob-${backend.name}` })!
    await a!.putCredentials(alice, credentials('alice'), 60_000)
    expect(await b!.getCredentials(alice, Date.now())).toEqual(credentials('alice', (await b!.getCredentials(alice, 0))!.expiration))
    expect(await b!.getCredentials(bob, Date.now())).toBeUndefined()
    // Close to expiry (the caller's margin) they are not offered.
    expect(await b!.getCredentials(alice, Date.now() + 3_700_000)).toBeUndefined()
    const stored = (await backend.raw(backend.storages()[0]!)).join('\n')
    expect(stored).toContain('credentials:')
    expect(stored).not.toMatch(/SECRET-alice|AK-alice|alice-/)
    // Another secret (another app on the same store) reads nothing.
    const [other] = backend.storages().map(s => new SharedState({ ...mountInfo(s), secret: `${SECRET}-other` }))
    expect(await other!.getCredentials(alice, Date.now())).toBeUndefined()
  })

  it('gives 20 concurrent callers over two instances one refresh, all with its result', async () => {
    const [a, b] = instances()
    let refreshes = 0
    const refresh = async () => {
      refreshes++
      await new Promise(resolve => setTimeout(resolve, 100))
      return { token: `new-${refreshes}` }
    }
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a! : b!).shareRefresh(`rt-${backend.name}-1`, refresh, codec)))
    expect(refreshes).toBe(1)
    expect(new Set(results.map(r => r.token))).toEqual(new Set(['new-1']))
    // Another refresh token is another refresh.
    await a!.shareRefresh(`rt-${backend.name}-2`, refresh, codec)
    expect(refreshes).toBe(2)
  })

  it('lets the others refresh themselves when the first refresh fails, and offers no result that is not fit', async () => {
    const [a, b] = instances()
    let calls = 0
    let started!: () => void
    const firstRunning = new Promise<void>(resolve => started = resolve)
    const first = a!.shareRefresh(`rt-${backend.name}-fail`, async () => {
      calls++
      started()
      await new Promise(resolve => setTimeout(resolve, 50))
      throw new Error('refresh token revoked')
    }, codec)
    first.catch(() => {})
    await firstRunning // the first caller holds the claim
    const second = b!.shareRefresh(`rt-${backend.name}-fail`, async () => {
      calls++
      return { token: 'own' }
    }, codec)
    await expect(first).rejects.toThrow('refresh token revoked')
    expect(await second).toEqual({ token: 'own' })
    expect(calls).toBe(2)
    // A stored result the codec refuses (e.g. tokens already past their refresh point) is not used.
    const refusing = { encode: codec.encode, decode: () => undefined }
    let again = 0
    await a!.shareRefresh(`rt-${backend.name}-fail`, async () => ({ token: `again-${++again}` }), refusing)
    expect(again).toBe(1)
  })
})

describe('SharedState when the store fails', () => {
  const failing = (mode: 'throw' | 'hang'): SharedStorage & { broken: boolean } => {
    const data = new Map<string, string>()
    const store = {
      broken: true,
      getItem: async (key: string) => store.broken ? mode === 'throw' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise(() => {}) : data.get(key) ?? null,
      setItem: async (key: string, value: string) => {
        if (store.broken) return mode === 'throw' ? Promise.reject(new Error('ECONNREFUSED')) : new Promise<void>(() => {})
        data.set(key, value)
      },
      removeItem: async (key: string) => {
        data.delete(key)
      },
    }
    return store
  }

  it.each(['throw', 'hang'] as const)('a store that errs or hangs (%s): each caller refreshes as if alone, one warning per outage, and it is used again once it answers', async (mode) => {
    const store = failing(mode)
    const { lines, log } = logs()
    const state = new SharedState({ storage: store, secret: SECRET, log, retryAfterMs: 0, timeoutMs: 50 })
    let refreshes = 0
    const refresh = async () => ({ token: `t${++refreshes}` })
    expect(await state.shareRefresh('rt-a', refresh, codec)).toEqual({ token: 't1' })
    expect(await state.shareRefresh('rt-b', refresh, codec)).toEqual({ token: 't2' })
    expect(await state.getCredentials('someone', Date.now())).toBeUndefined()
    await state.putCredentials('someone', credentials('x'), 60_000)
    expect(state.available).toBe(false)
    expect(lines.filter(l => l.startsWith('warn'))).toHaveLength(1)
    expect(lines.join('\n')).not.toMatch(/rt-a|rt-b/)
    store.broken = false
    await state.putCredentials('someone', credentials('x'), 60_000)
    expect(state.available).toBe(true)
    expect(await state.getCredentials('someone', Date.now())).toMatchObject({ accessKeyId: 'AK-x' })
    expect(lines.filter(l => l.startsWith('info'))).toHaveLength(1)
  })

  it('a real redis-server stopped and restarted: no failure reaches the caller, and sharing resumes', async () => {
    const storage = createStorage()
    storage.mount('amplify', redisDriver({ url: redis.url }))
    redisStorages.push(storage)
    const { lines, log } = logs()
    // timeoutMs well above the 200 ms default: on a loaded machine a live Redis answered slower than
    // that (a second outage warning), and this test is about the store being down, not slow.
    const state = new SharedState({ ...mountInfo(storage), secret: SECRET, log, retryAfterMs: 0, timeoutMs: 3_000 })
    await state.putCredentials('carol', credentials('carol'), 60_000)
    expect(await state.getCredentials('carol', Date.now())).toMatchObject({ accessKeyId: 'AK-carol' })
    await redis.stop()
    let refreshes = 0
    const refresh = async () => ({ token: `t${++refreshes}` })
    expect(await state.getCredentials('carol', Date.now())).toBeUndefined()
    expect(await state.shareRefresh('rt-down', refresh, codec)).toEqual({ token: 't1' })
    expect(state.available).toBe(false)
    expect(lines.filter(l => l.startsWith('warn'))).toHaveLength(1)
    await redis.start()
    // ioredis reconnects on its own schedule: ask until the store answers (bounded).
    for (let i = 0; i < 200 && !(await state.putCredentials('carol', credentials('carol'), 60_000), state.available); i++)
      await new Promise(resolve => setTimeout(resolve, 100))
    expect(state.available).toBe(true)
    expect(await state.getCredentials('carol', Date.now())).toMatchObject({ accessKeyId: 'AK-carol' })
    expect(lines.filter(l => l.startsWith('info'))).toHaveLength(1)
  }, 60_000)
})
