// More of the server's credentials cache (credentials-cache.ts): its defaults (1,000 entries, a
// minute's margin, this machine's clock), what it does not cache, the order in which it evicts,
// and the provider calls it passes through. Tokens are real-shaped Cognito ID tokens (header,
// claims, signature), decoded as Amplify decodes them; the stand-in provider hands out new
// credentials per call, as the identity pool does.
import { describe, expect, it } from 'vitest'
import { decodeJWT } from '@aws-amplify/core/internals/utils'
import { CredentialsCache, credentialsCache } from '../../src/runtime/server/credentials-cache'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
/** A Cognito-shaped ID token; `sig` stands for the signature (the cache never verifies: the server did). */
function idToken(sub: string, exp: number | undefined, sig = `sig-${sub}`): string {
  const claims = { 'sub': sub, 'cognito:username': sub, 'token_use': 'id', 'aud': 'client', 'iss': 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test', exp }
  return `${b64({ alg: 'RS256', kid: 'key-1' })}.${b64(claims)}.${Buffer.from(sig).toString('base64url')}`
}

function provider(ttlMs: number | null = 3_600_000, now = () => Date.now()) {
  let issued = 0
  let cleared = 0
  return {
    calls: () => issued,
    cleared: () => cleared,
    getCredentialsAndIdentityId: async (options: { authenticated: boolean, tokens?: { idToken?: { payload: Record<string, unknown> } } }) => {
      issued++
      const who = options.authenticated ? String(options.tokens!.idToken!.payload.sub) : 'guest'
      return { identityId: `id-of-${who}-${issued}`, credentials: { accessKeyId: `AK${issued}`, secretAccessKey: 's', sessionToken: 't', expiration: ttlMs === null ? undefined : new Date(now() + ttlMs) } }
    },
    clearCredentialsAndIdentityId: () => void cleared++,
  }
}
const session = (token: string, forceRefresh = false) => ({ authenticated: true as const, authConfig: undefined, forceRefresh, tokens: { idToken: decodeJWT(token), accessToken: decodeJWT(token) } })
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600
/** As the server wraps a request's provider once its cookie check verified the ID token. */
const trusted = { verified: () => true }

describe('CredentialsCache defaults', () => {
  it('keeps 1,000 entries and drops the oldest at the 1,001st', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const exp = inAnHour()
    const tokens = Array.from({ length: 1001 }, (_, i) => idToken(`user-${i}`, exp))
    for (const token of tokens.slice(0, 1000)) await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    expect(cache.size).toBe(1000)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(tokens[1000]!))
    expect(cache.size).toBe(1000)
    expect(inner.calls()).toBe(1001)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(tokens[1]!)) // still there
    expect(inner.calls()).toBe(1001)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(tokens[0]!)) // dropped
    expect(inner.calls()).toBe(1002)
  })

  it('fetches anew a minute before the credentials expire, by this machine\'s clock', async () => {
    const cache = new CredentialsCache()
    const token = idToken('alice', inAnHour())
    const late = provider(59_000)
    await cache.wrap(late, trusted).getCredentialsAndIdentityId(session(token))
    await cache.wrap(late, trusted).getCredentialsAndIdentityId(session(token))
    expect(late.calls()).toBe(2)
    const fresh = new CredentialsCache()
    const inTime = provider(120_000)
    await fresh.wrap(inTime, trusted).getCredentialsAndIdentityId(session(token))
    await fresh.wrap(inTime, trusted).getCredentialsAndIdentityId(session(token))
    expect(inTime.calls()).toBe(1)
  })

  it('the server has one process-wide cache', () => {
    expect(credentialsCache).toBeInstanceOf(CredentialsCache)
    expect(credentialsCache.size).toBe(0)
  })
})

describe('CredentialsCache: what is not cached', () => {
  it('a token without exp, or expiring this very moment, goes straight to the provider', async () => {
    const clock = 1_900_000_000_000
    const cache = new CredentialsCache({ now: () => clock })
    const inner = provider(3_600_000, () => clock)
    for (const token of [idToken('no-exp', undefined), idToken('now', clock / 1000)]) {
      await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
      await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    }
    expect(inner.calls()).toBe(4)
    expect(cache.size).toBe(0)
    const later = idToken('later', clock / 1000 + 1)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(later))
    expect(cache.size).toBe(1)
  })

  it('credentials without an expiration, or no result at all, are not kept', async () => {
    const cache = new CredentialsCache()
    const inner = provider(null)
    const token = idToken('alice', inAnHour())
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    expect(inner.calls()).toBe(2)
    const nothing = { getCredentialsAndIdentityId: async () => undefined, clearCredentialsAndIdentityId: () => {} }
    await expect(cache.wrap(nothing, trusted).getCredentialsAndIdentityId(session(token))).resolves.toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('an authenticated lookup without tokens goes straight to the provider', async () => {
    const cache = new CredentialsCache()
    let calls = 0
    const inner = { getCredentialsAndIdentityId: async () => ({ identityId: `id-${++calls}`, credentials: { accessKeyId: 'AK', secretAccessKey: 's', expiration: new Date(Date.now() + 3_600_000) } }), clearCredentialsAndIdentityId: () => {} }
    await expect(cache.wrap(inner, trusted).getCredentialsAndIdentityId({ authenticated: true, authConfig: undefined } as never)).resolves.toMatchObject({ identityId: 'id-1' })
    expect(calls).toBe(1)
    expect(cache.size).toBe(0)
  })

  it('serves an entry until exactly the margin before its expiry, not at it', async () => {
    let clock = 1_900_000_000_000
    const cache = new CredentialsCache({ now: () => clock, marginMs: 60_000 })
    const inner = provider(120_000, () => clock)
    const token = idToken('alice', clock / 1000 + 3600)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    clock += 59_999
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    expect(inner.calls()).toBe(1)
    clock += 1 // expiresAt - margin === now
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    expect(inner.calls()).toBe(2)
  })

  it('an unauthenticated lookup that carries tokens is still a guest lookup', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const token = idToken('alice', inAnHour())
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId({ ...session(token), authenticated: false } as never)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId({ ...session(token), authenticated: false } as never)
    expect(inner.calls()).toBe(2)
    expect(cache.size).toBe(0)
  })
})

describe('CredentialsCache: order, counters and pass-through', () => {
  it('a refreshed entry counts as recently used', async () => {
    const cache = new CredentialsCache({ maxEntries: 2 })
    const inner = provider()
    const [a, b, c] = ['a', 'b', 'c'].map(n => idToken(n, inAnHour()))
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(a!))
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(b!))
    const refreshed = await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(a!, true))
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(c!)) // drops b, the least recently used
    expect(inner.calls()).toBe(4)
    expect(await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(a!))).toBe(refreshed)
    expect(inner.calls()).toBe(4)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(b!))
    expect(inner.calls()).toBe(5)
  })

  it('counts hits and misses', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const token = idToken('alice', inAnHour())
    expect([cache.hits, cache.misses]).toEqual([0, 0])
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    expect([cache.hits, cache.misses]).toEqual([2, 1])
  })

  it('a forced refresh does not wait for a lookup under way, and its result is what is kept', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const token = idToken('alice', inAnHour())
    const first = cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    const forced = cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token, true))
    const [one, two] = await Promise.all([first, forced])
    expect(two).not.toBe(one)
    expect(inner.calls()).toBe(2)
    expect(await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))).toBe(two)
  })

  it('a lookup that ends while a forced refresh is under way leaves the refresh shared', async () => {
    const cache = new CredentialsCache()
    const held: ((withExpiry: boolean) => void)[] = []
    let calls = 0
    const inner = {
      getCredentialsAndIdentityId: () => new Promise<{ identityId: string, credentials: { accessKeyId: string, secretAccessKey: string, expiration?: Date } }>((resolve) => {
        const n = ++calls
        held.push(withExpiry => resolve({ identityId: `id-${n}`, credentials: { accessKeyId: `AK${n}`, secretAccessKey: 's', expiration: withExpiry ? new Date(Date.now() + 3_600_000) : undefined } }))
      }),
      clearCredentialsAndIdentityId: () => {},
    }
    const token = idToken('alice', inAnHour())
    const first = cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    const forced = cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token, true))
    await new Promise(resolve => setImmediate(resolve)) // both lookups reached the provider (the cache reads its store first)
    expect(calls).toBe(2)
    held[0]!(false) // the first ends without anything to cache
    await first
    const third = cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    await new Promise(resolve => setImmediate(resolve))
    expect(calls).toBe(2) // the third shares the refresh under way
    for (const release of held.slice(1)) release(true)
    expect(await third).toBe(await forced)
  })

  it('a lookup that failed is not shared with the next one', async () => {
    const cache = new CredentialsCache()
    let fail = true
    const inner = provider()
    const flaky = { ...inner, getCredentialsAndIdentityId: async (o: Parameters<typeof inner.getCredentialsAndIdentityId>[0]) => {
      if (fail) throw new Error('identity pool down')
      return inner.getCredentialsAndIdentityId(o)
    } }
    const token = idToken('alice', inAnHour())
    await expect(cache.wrap(flaky, trusted).getCredentialsAndIdentityId(session(token))).rejects.toThrow('identity pool down')
    fail = false
    await expect(cache.wrap(flaky, trusted).getCredentialsAndIdentityId(session(token))).resolves.toMatchObject({ identityId: 'id-of-alice-1' })
  })

  it('passes clearCredentialsAndIdentityId to the request\'s provider', () => {
    const inner = provider()
    new CredentialsCache().wrap(inner, trusted).clearCredentialsAndIdentityId()
    expect(inner.cleared()).toBe(1)
  })
})
