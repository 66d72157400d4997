// The server's check of user-pool tokens: signed test JWTs against a key set, one case per way a
// token can be wrong. The same check against the real local user pool is in test/local/server-trust.test.ts.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { CryptoKey, JWTPayload } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createUserPoolTokenVerifier, expectedIssuer, jwksUrl } from '../../src/runtime/server/token-verifier'
import type { UserPoolTokenVerifier } from '../../src/runtime/server/token-verifier'

const config = { region: 'eu-west-1', userPoolId: 'eu-west-1_pool', userPoolClientId: 'client-1' }
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool'
let poolKey: CryptoKey
let attackerKey: CryptoKey
let verify: UserPoolTokenVerifier

beforeAll(async () => {
  const pool = await generateKeyPair('RS256', { extractable: true })
  poolKey = pool.privateKey
  attackerKey = (await generateKeyPair('RS256')).privateKey
  const jwk = { ...await exportJWK(pool.publicKey), kid: 'pool-key', alg: 'RS256', use: 'sig' }
  verify = createUserPoolTokenVerifier(config, createLocalJWKSet({ keys: [jwk] }))
})

const now = () => Math.floor(Date.now() / 1000)
const idClaims = (extra: JWTPayload = {}): JWTPayload => ({ 'sub': 'alice-sub', 'aud': 'client-1', 'token_use': 'id', 'iss': ISSUER, 'iat': now() - 10, 'exp': now() + 3600, 'cognito:username': 'alice', ...extra })
const accessClaims = (extra: JWTPayload = {}): JWTPayload => ({ sub: 'alice-sub', client_id: 'client-1', token_use: 'access', iss: ISSUER, iat: now() - 10, exp: now() + 3600, username: 'alice', ...extra })
const sign = (claims: JWTPayload, key = poolKey, header: Record<string, unknown> = {}) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'pool-key', ...header }).sign(key)

describe('user-pool token check', () => {
  it('accepts the pool\'s own ID and access tokens', async () => {
    expect(await verify(await sign(idClaims()), 'id')).toMatchObject({ ok: true, expired: false, payload: { sub: 'alice-sub' } })
    expect(await verify(await sign(accessClaims()), 'access')).toMatchObject({ ok: true, expired: false })
  })

  it('accepts an expired but genuine token as expired, so it can go on to a refresh', async () => {
    const verdict = await verify(await sign(idClaims({ iat: now() - 7200, exp: now() - 5 })), 'id')
    expect(verdict).toMatchObject({ ok: true, expired: true })
  })

  it.each([
    ['another key with the pool key\'s kid', async () => sign(idClaims({ 'cognito:groups': ['admin'] }), attackerKey), /^signature/],
    ['a key id the pool does not have', async () => sign(idClaims(), poolKey, { kid: 'other' }), /no key of the user pool/],
    ['another issuer', async () => sign(idClaims({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other' })), /claim "iss"/],
    ['another app client', async () => sign(idClaims({ aud: 'client-2' })), /aud is not this app client/],
    ['an access token where an ID token belongs', async () => sign(accessClaims()), /token_use is "access"/],
    ['no sub', async () => sign(idClaims({ sub: undefined })), /no sub/],
    ['a bare payload', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(idClaims())).toString('base64url')}.`, /not allowed|invalid/],
    ['a forged signature on a real payload', async () => {
      const [header, payload] = (await sign(idClaims())).split('.')
      return `${header}.${payload}.${Buffer.from('x'.repeat(256)).toString('base64url')}`
    }, /^signature/],
    ['not a JWT', async () => 'garbage', /not a JWT/],
  ])('refuses an ID token signed or shaped wrong: %s', async (_, token, reason) => {
    const verdict = await verify(await token(), 'id')
    expect(verdict.ok).toBe(false)
    expect(!verdict.ok && verdict.reason).toMatch(reason)
    // The reason never quotes the token.
    expect(!verdict.ok && verdict.reason).not.toMatch(/eyJ/)
  })

  it('refuses an access token of another app client and an ID token where an access token belongs', async () => {
    expect(await verify(await sign(accessClaims({ client_id: 'client-2' })), 'access')).toMatchObject({ ok: false, reason: 'client_id is not this app client' })
    expect(await verify(await sign(idClaims()), 'access')).toMatchObject({ ok: false, reason: 'token_use is "id"; expected "access"' })
  })

  it('names AWS\'s issuer and key set by default, and the endpoint\'s key set for an emulator', () => {
    expect(expectedIssuer(config)).toBe(ISSUER)
    expect(jwksUrl(config)).toBe(`${ISSUER}/.well-known/jwks.json`)
    const local = { ...config, userPoolEndpoint: 'http://127.0.0.1:9000/', userPoolIssuer: 'http://127.0.0.1:9001/local_pool' }
    expect(expectedIssuer(local)).toBe('http://127.0.0.1:9001/local_pool')
    expect(jwksUrl(local)).toBe('http://127.0.0.1:9000/eu-west-1_pool/.well-known/jwks.json')
  })
})

describe('a key set that cannot be loaded', () => {
  it('fails the check (the request is a guest), and later checks fail at once without asking again', async () => {
    let asked = 0
    const server = createServer((_, res) => {
      asked++
      res.writeHead(503).end()
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const down = createUserPoolTokenVerifier({ ...config, userPoolEndpoint: `http://127.0.0.1:${port}` })
      const token = await sign(idClaims())
      const first = await down(token, 'id')
      const second = await down(token, 'id')
      expect(first).toMatchObject({ ok: false, reason: expect.stringMatching(/keys could not be loaded/) })
      expect(second).toMatchObject({ ok: false, reason: expect.stringMatching(/keys could not be loaded.*less than 30 s ago/) })
      expect(asked).toBe(1)
    }
    finally {
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  })
})
