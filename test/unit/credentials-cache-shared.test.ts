// The credentials cache with a store every instance shares (as a Redis `amplify` mount would be):
// two caches stand for two server instances, each with its own provider stand-in, over one
// unstorage store through SharedState. Real-shaped Cognito ID tokens, decoded as Amplify does.
import { generateKeyPair, SignJWT } from 'jose'
import type { CryptoKey } from 'jose'
import { createStorage } from 'unstorage'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { decodeJWT } from '@aws-amplify/core/internals/utils'
import { CredentialsCache } from '../../src/runtime/server/credentials-cache'
import { identitySubject, SharedState } from '../../src/runtime/server/shared-state'

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test'
const SECRET = 'a-test-session-secret-of-enough-length-0123456789'
let signer: CryptoKey
beforeAll(async () => {
  signer = (await generateKeyPair('RS256')).privateKey
})

function idToken(sub: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  return new SignJWT({ 'sub': sub, 'cognito:username': sub, 'token_use': 'id', 'aud': 'client', 'auth_time': iat, 'iat': iat, 'exp': iat + 3600, 'iss': ISSUER })
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(signer)
}

/** An identity pool stand-in: new credentials per call, valid `ttlMs`. */
function provider(name: string, { ttlMs = 3_600_000, identityId = true } = {}) {
  let issued = 0
  return {
    calls: () => issued,
    getCredentialsAndIdentityId: async (options: { tokens?: { idToken?: { payload: Record<string, unknown> } } }) => {
      issued++
      return {
        identityId: identityId ? `id-of-${String(options.tokens!.idToken!.payload.sub)}` : '',
        credentials: { accessKeyId: `AK-${name}-${issued}`, secretAccessKey: `SK-${name}-${issued}`, sessionToken: `ST-${name}-${issued}`, expiration: new Date(Date.now() + ttlMs) },
      }
    },
    clearCredentialsAndIdentityId: () => {},
  }
}
const session = (token: string, forceRefresh = false) => ({ authenticated: true as const, authConfig: undefined, forceRefresh, tokens: { idToken: decodeJWT(token), accessToken: decodeJWT(token) } })
const trusted = { verified: () => true }

/** One store, as every instance sees it; `ttls` records the ttl (seconds) of each write. */
function sharedStore() {
  const storage = createStorage()
  const ttls: number[] = []
  const store = {
    getItem: (key: string) => storage.getItem(key),
    setItem: async (key: string, value: string, options?: { ttl?: number }) => {
      ttls.push(options?.ttl ?? Number.NaN)
      await storage.setItem(key, value)
    },
    removeItem: (key: string) => storage.removeItem(key),
  }
  const instance = () => new SharedState({ storage: store, secret: SECRET, timeoutMs: 5_000 })
  return { ttls, instance }
}
const subjectOf = (token: string) => identitySubject(decodeJWT(token).payload)!

describe('CredentialsCache with a shared store', () => {
  it('an identity\'s credentials fetched by one instance serve it on another, without a call to the identity pool; never another identity', async () => {
    const { ttls, instance } = sharedStore()
    const [one, two] = [instance(), instance()]
    const [cacheOne, cacheTwo] = [new CredentialsCache(), new CredentialsCache()]
    const [poolOne, poolTwo] = [provider('one'), provider('two')]
    const [alice, bob] = [await idToken('alice'), await idToken('bob')]
    const fetched = await cacheOne.wrap(poolOne, { ...trusted, shared: one }).getCredentialsAndIdentityId(session(alice))
    await vi.waitFor(async () => expect(await two.getCredentials(subjectOf(alice), Date.now())).toBeDefined())
    // Kept in the store until a minute (the margin) before the credentials expire (unstorage's ttl is in seconds).
    const expected = (fetched!.credentials.expiration!.getTime() - 60_000 - Date.now()) / 1000
    expect(ttls).toHaveLength(1)
    expect(ttls[0]).toBeLessThanOrEqual(Math.ceil(expected))
    expect(ttls[0]).toBeGreaterThan(expected - 60)

    const served = await cacheTwo.wrap(poolTwo, { ...trusted, shared: two }).getCredentialsAndIdentityId(session(alice))
    expect(served).toEqual(fetched)
    expect(served!.credentials.expiration).toBeInstanceOf(Date)
    expect(poolTwo.calls()).toBe(0)
    expect([cacheTwo.sharedHits, cacheTwo.misses]).toEqual([1, 0])
    // Then kept by that instance too: the next lookup asks neither the store nor the pool.
    expect(await cacheTwo.wrap(poolTwo, { ...trusted, shared: two }).getCredentialsAndIdentityId(session(alice))).toEqual(fetched)
    expect([cacheTwo.hits, cacheTwo.sharedHits]).toEqual([1, 1])

    const forBob = await cacheTwo.wrap(poolTwo, { ...trusted, shared: two }).getCredentialsAndIdentityId(session(bob))
    expect(forBob!.identityId).toBe('id-of-bob')
    expect(forBob!.credentials.accessKeyId).toBe('AK-two-1')
    expect(poolTwo.calls()).toBe(1)
  })

  it('a forced refresh asks the identity pool, not the store, and the others get its new credentials', async () => {
    const { instance } = sharedStore()
    const [one, two, three] = [instance(), instance(), instance()]
    const alice = await idToken('alice')
    await new CredentialsCache().wrap(provider('one'), { ...trusted, shared: one }).getCredentialsAndIdentityId(session(alice))
    await vi.waitFor(async () => expect(await two.getCredentials(subjectOf(alice), Date.now())).toBeDefined())
    const poolTwo = provider('two')
    const refreshed = await new CredentialsCache().wrap(poolTwo, { ...trusted, shared: two }).getCredentialsAndIdentityId(session(alice, true))
    expect(poolTwo.calls()).toBe(1)
    expect(refreshed!.credentials.accessKeyId).toBe('AK-two-1')
    await vi.waitFor(async () => expect((await three.getCredentials(subjectOf(alice), Date.now()))?.accessKeyId).toBe('AK-two-1'))
    const poolThree = provider('three')
    expect((await new CredentialsCache().wrap(poolThree, { ...trusted, shared: three }).getCredentialsAndIdentityId(session(alice)))!.credentials.accessKeyId).toBe('AK-two-1')
    expect(poolThree.calls()).toBe(0)
  })

  it('credentials that expire within the margin are not taken from the store, and a result without an identity id is not offered', async () => {
    const { ttls, instance } = sharedStore()
    const [one, two] = [instance(), instance()]
    const alice = await idToken('alice')
    // In the store, but expiring in 30 s: closer than the one-minute margin.
    await one.putCredentials(subjectOf(alice), { identityId: 'id-of-alice', accessKeyId: 'AK-old', secretAccessKey: 'SK-old', expiration: Date.now() + 30_000 }, 60_000)
    const pool = provider('two', { identityId: false })
    const got = await new CredentialsCache().wrap(pool, { ...trusted, shared: two }).getCredentialsAndIdentityId(session(alice))
    expect(pool.calls()).toBe(1)
    expect(got!.credentials.accessKeyId).toBe('AK-two-1')
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(ttls).toHaveLength(1)
    expect((await one.getCredentials(subjectOf(alice), Date.now()))?.accessKeyId).toBe('AK-old')
  })
})
