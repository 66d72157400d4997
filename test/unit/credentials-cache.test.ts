// The server's credentials cache, fed real-shaped Cognito ID tokens (RS256 JWTs with a user pool's
// claims, decoded as Amplify decodes them) and a provider stand-in that hands out new credentials
// per call (as the identity pool does), so hits and misses are visible in the results.
import { generateKeyPair, SignJWT } from 'jose'
import type { CryptoKey } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeJWT } from '@aws-amplify/core/internals/utils'
import { CredentialsCache } from '../../src/runtime/server/credentials-cache'

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test'
let signer: CryptoKey
let otherSigner: CryptoKey
beforeAll(async () => {
  signer = (await generateKeyPair('RS256')).privateKey
  otherSigner = (await generateKeyPair('RS256')).privateKey
})

/** A Cognito-shaped ID token of `sub`, expiring at `exp` (epoch seconds). */
function idToken(sub: string, exp: number, key = signer, iat = exp - 3600): Promise<string> {
  return new SignJWT({ 'sub': sub, 'cognito:username': sub, 'token_use': 'id', 'aud': 'client', 'auth_time': iat, 'iat': iat, 'exp': exp, 'iss': ISSUER })
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(key)
}

function provider(ttlMs = 3_600_000, now = () => Date.now()) {
  let issued = 0
  return {
    calls: () => issued,
    getCredentialsAndIdentityId: async (options: { authenticated: boolean, tokens?: { idToken?: { payload: Record<string, unknown> } } }) => {
      issued++
      const who = options.authenticated ? String(options.tokens!.idToken!.payload.sub) : 'guest'
      return { identityId: `id-of-${who}-${issued}`, credentials: { accessKeyId: `AK${issued}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(now() + ttlMs) } }
    },
    clearCredentialsAndIdentityId: () => {},
  }
}
const session = (token: string) => ({ authenticated: true as const, authConfig: undefined, tokens: { idToken: decodeJWT(token), accessToken: decodeJWT(token) } })
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600
/** As the server wraps a request's provider once its cookie check verified the ID token. */
const trusted = { verified: () => true }

describe('CredentialsCache', () => {
  it('serves a session its own credentials once fetched, and never another session\'s', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const [alice, bob] = [await idToken('alice', inAnHour()), await idToken('bob', inAnHour())]
    // Same header for every user: a key made of it would mix them up.
    expect(alice.split('.')[0]).toBe(bob.split('.')[0])
    const a1 = await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(alice))
    const a2 = await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(alice))
    const b = await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(bob))
    expect(a2).toBe(a1)
    expect(b!.identityId).toMatch(/^id-of-bob-/)
    expect(b!.credentials.accessKeyId).not.toBe(a1!.credentials.accessKeyId)
    expect(inner.calls()).toBe(2)
  })

  it('gives an identity\'s entry only to a token the server verified: one signed by another key never reaches it', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const exp = inAnHour()
    const genuine = await idToken('alice', exp)
    const forged = await idToken('alice', exp, otherSigner)
    expect(forged.split('.').slice(0, 2)).toEqual(genuine.split('.').slice(0, 2))
    const onlyGenuine = { verified: (token: string) => token === genuine }
    const first = await cache.wrap(inner, onlyGenuine).getCredentialsAndIdentityId(session(genuine))
    const second = await cache.wrap(inner, onlyGenuine).getCredentialsAndIdentityId(session(forged))
    expect(second).not.toBe(first)
    expect(inner.calls()).toBe(2)
    // Without a verifier's word nothing is served from (or put into) the cache.
    await cache.wrap(inner).getCredentialsAndIdentityId(session(genuine))
    expect(inner.calls()).toBe(3)
    expect(await cache.wrap(inner, onlyGenuine).getCredentialsAndIdentityId(session(genuine))).toBe(first)
  })

  it('does not cache guests', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId({ authenticated: false, authConfig: undefined })
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId({ authenticated: false, authConfig: undefined })
    expect(inner.calls()).toBe(2)
    expect(cache.size).toBe(0)
  })

  it('fetches anew near the credentials\' expiry and on forceRefresh', async () => {
    let clock = Date.now()
    const now = () => clock
    const cache = new CredentialsCache({ now, marginMs: 60_000 })
    const inner = provider(120_000, now)
    const token = await idToken('alice', Math.floor(clock / 1000) + 3600)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    clock += 30_000
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    expect(inner.calls()).toBe(1)
    clock += 31_000 // within the margin of the credentials' expiry now
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    expect(inner.calls()).toBe(2)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId({ ...session(token), forceRefresh: true })
    expect(inner.calls()).toBe(3)
  })

  it('serves an identity\'s entry to its refreshed tokens until the credentials expire, never to an expired token', async () => {
    let clock = Date.now()
    const now = () => clock
    const cache = new CredentialsCache({ now, marginMs: 60_000 })
    const inner = provider(3_600_000, now)
    const token = await idToken('alice', Math.floor(clock / 1000) + 300) // 5 min of token, 1 h of credentials
    const first = await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))
    clock += 299_000
    expect(await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))).toBe(first)
    clock += 2_000 // the token has expired: it gets nothing from the cache, nor is anything cached for it
    expect(await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))).not.toBe(first)
    expect(inner.calls()).toBe(2)
    // The same user's refreshed token (same pool, user, groups) finds the identity's entry.
    const refreshed = await idToken('alice', Math.floor(clock / 1000) + 300, signer, Math.floor(clock / 1000))
    expect(await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(refreshed))).toBe(first)
    expect(inner.calls()).toBe(2)
  })

  it('stays within its size bound, dropping the least recently used', async () => {
    const cache = new CredentialsCache({ maxEntries: 2 })
    const inner = provider()
    const t = Object.fromEntries(await Promise.all(['a', 'b', 'c'].map(async n => [n, await idToken(n, inAnHour())] as const)))
    for (const name of ['a', 'b', 'a', 'c']) await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(t[name]!))
    expect(cache.size).toBe(2)
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(t.a!))
    expect(inner.calls()).toBe(3) // a, b, c fetched; a was kept (recently used), b dropped
    await cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(t.b!))
    expect(inner.calls()).toBe(4)
  })
})

describe('CredentialsCache under concurrency', () => {
  it('lets concurrent lookups of one session share a single fetch', async () => {
    const cache = new CredentialsCache()
    const inner = provider()
    const token = await idToken('alice', inAnHour())
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.wrap(inner, trusted).getCredentialsAndIdentityId(session(token))))
    expect(inner.calls()).toBe(1)
    expect(new Set(results.map(r => r!.credentials.accessKeyId)).size).toBe(1)
  })
})
