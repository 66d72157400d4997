// The server's credentials cache, with a real Amplify-shaped provider stand-in that hands out new
// credentials per call (as the identity pool does) so hits and misses are visible in the results.
import { describe, expect, it } from 'vitest'
import { CredentialsCache } from '../../src/runtime/server/credentials-cache'

function provider(ttlMs = 3_600_000, now = () => Date.now()) {
  let issued = 0
  return {
    calls: () => issued,
    getCredentialsAndIdentityId: async (options: { authenticated: boolean, tokens?: { idToken?: { toString: () => string } } }) => {
      issued++
      const who = options.authenticated ? options.tokens!.idToken!.toString() : 'guest'
      return { identityId: `id-of-${who}`, credentials: { accessKeyId: `AK${issued}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(now() + ttlMs) } }
    },
    clearCredentialsAndIdentityId: () => {},
  }
}
const session = (token: string) => ({ authenticated: true as const, authConfig: undefined, tokens: { idToken: { toString: () => token, payload: {} }, accessToken: { toString: () => 'a', payload: {} } } })

describe('CredentialsCache', () => {
  it('serves a session its own credentials once fetched, and never another session\'s', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const a1 = await cache.wrap(inner).getCredentialsAndIdentityId(session('token-alice'))
    const a2 = await cache.wrap(inner).getCredentialsAndIdentityId(session('token-alice'))
    const b = await cache.wrap(inner).getCredentialsAndIdentityId(session('token-bob'))
    expect(a2).toBe(a1)
    expect(b!.identityId).toBe('id-of-token-bob')
    expect(b!.credentials.accessKeyId).not.toBe(a1!.credentials.accessKeyId)
    expect(inner.calls()).toBe(2)
  })

  it('does not cache guests', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    await cache.wrap(inner).getCredentialsAndIdentityId({ authenticated: false, authConfig: undefined })
    await cache.wrap(inner).getCredentialsAndIdentityId({ authenticated: false, authConfig: undefined })
    expect(inner.calls()).toBe(2)
    expect(cache.size).toBe(0)
  })

  it('fetches anew near expiry and on forceRefresh', async () => {
    let clock = 1_000_000
    const now = () => clock
    const cache = new CredentialsCache({ now, marginMs: 60_000 })
    const inner = provider(120_000, now)
    await cache.wrap(inner).getCredentialsAndIdentityId(session('t'))
    clock += 30_000
    await cache.wrap(inner).getCredentialsAndIdentityId(session('t'))
    expect(inner.calls()).toBe(1)
    clock += 31_000 // within the margin of expiry now
    await cache.wrap(inner).getCredentialsAndIdentityId(session('t'))
    expect(inner.calls()).toBe(2)
    await cache.wrap(inner).getCredentialsAndIdentityId({ ...session('t'), forceRefresh: true })
    expect(inner.calls()).toBe(3)
  })

  it('stays within its size bound, dropping the least recently used', async () => {
    const cache = new CredentialsCache({ maxEntries: 2 })
    const inner = provider()
    for (const t of ['a', 'b', 'a', 'c']) await cache.wrap(inner).getCredentialsAndIdentityId(session(t))
    expect(cache.size).toBe(2)
    await cache.wrap(inner).getCredentialsAndIdentityId(session('a'))
    expect(inner.calls()).toBe(3) // a, b, c fetched; a was kept (recently used), b dropped
    await cache.wrap(inner).getCredentialsAndIdentityId(session('b'))
    expect(inner.calls()).toBe(4)
  })
})

describe('CredentialsCache under concurrency', () => {
  it('lets concurrent lookups of one session share a single fetch', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.wrap(inner).getCredentialsAndIdentityId(session('same'))))
    expect(inner.calls()).toBe(1)
    expect(new Set(results.map(r => r!.credentials.accessKeyId)).size).toBe(1)
  })
})
