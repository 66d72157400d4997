// The session read straight from a request's verified token cookies (server/cookie-tokens.ts):
// real cookie storage inside an h3 server over HTTP, the server's real RS256 verifier over a local
// key set. Only a valid, verified session that is not due for refresh comes out; everything else
// is null, so the request goes on to Amplify's token provider (which refreshes).
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, defineEventHandler, toNodeListener } from 'h3'
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { CryptoKey, JWTPayload } from 'jose'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sessionFromCookies } from '../../src/runtime/server/cookie-tokens'
import { cookieStorage, PRIVATE_CACHE_CONTROL } from '../../src/runtime/server/cookie-storage'
import { createUserPoolTokenVerifier } from '../../src/runtime/server/token-verifier'
import type { UserPoolTokenVerifier } from '../../src/runtime/server/token-verifier'
import { mergeOptions } from '../../src/options'

const auth = { region: 'eu-west-1', userPoolId: 'eu-west-1_pool', userPoolClientId: 'client-1' }
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool'
const PREFIX = 'CognitoIdentityServiceProvider.client-1'
let poolKey: CryptoKey
let attackerKey: CryptoKey
let verify: UserPoolTokenVerifier
let server: Server | undefined
afterEach(() => new Promise<void>(resolve => server ? server.close(() => resolve()) : resolve()))

beforeAll(async () => {
  const pool = await generateKeyPair('RS256', { extractable: true })
  poolKey = pool.privateKey
  attackerKey = (await generateKeyPair('RS256')).privateKey
  verify = createUserPoolTokenVerifier(auth, createLocalJWKSet({ keys: [{ ...await exportJWK(pool.publicKey), kid: 'k', alg: 'RS256', use: 'sig' }] }))
})

const now = () => Math.floor(Date.now() / 1000)
const sign = (claims: JWTPayload, key = poolKey) => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(key)
const idToken = (extra: JWTPayload = {}, key?: CryptoKey) => sign({ 'sub': 'alice-sub', 'aud': 'client-1', 'token_use': 'id', 'iss': ISSUER, 'iat': now() - 10, 'exp': now() + 3600, 'cognito:username': 'alice', 'email': 'alice@example.com', ...extra }, key)
const accessToken = (extra: JWTPayload = {}, key?: CryptoKey) => sign({ sub: 'alice-sub', client_id: 'client-1', token_use: 'access', iss: ISSUER, iat: now() - 10, exp: now() + 3600, username: 'alice', ...extra }, key)
const cookieHeader = (cookies: Record<string, string>) => Object.entries(cookies).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('; ')

/** One request with these cookies; what sessionFromCookies returned, which tokens were verified, the response. */
async function read(cookies: Record<string, string>) {
  const options = mergeOptions({ auth }).options
  const verified: string[] = []
  const app = createApp()
  app.use(defineEventHandler(async (event) => {
    const storage = cookieStorage(event, options, { verify: async (token, use) => {
      verified.push(use)
      return verify(token, use)
    } })
    return { state: await sessionFromCookies(storage, auth.userPoolClientId) }
  }))
  server = createServer(toNodeListener(app))
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { cookie: cookieHeader(cookies) } })
  return { ...(await response.json() as { state: Record<string, unknown> | null }), verified: verified.sort(), response }
}

const session = async (id: Promise<string> | string, access: Promise<string> | string, user = 'alice') => ({
  [`${PREFIX}.LastAuthUser`]: user,
  [`${PREFIX}.${user}.idToken`]: await id,
  [`${PREFIX}.${user}.accessToken`]: await access,
  [`${PREFIX}.${user}.refreshToken`]: 'refresh',
})

describe('the session from verified token cookies', () => {
  it('valid tokens of the last user: the signed-in state, both tokens verified, the answer marked private', async () => {
    const cookies = await session(idToken(), accessToken())
    const { state, verified, response } = await read(cookies)
    expect(state).toMatchObject({ status: 'signedIn', user: { userId: 'alice-sub', username: 'alice', email: 'alice@example.com', groups: [] }, idToken: cookies[`${PREFIX}.alice.idToken`], accessToken: cookies[`${PREFIX}.alice.accessToken`] })
    expect(verified).toEqual(['access', 'id'])
    expect(response.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
  })

  it.each([
    ['no LastAuthUser cookie', async () => {
      const { [`${PREFIX}.LastAuthUser`]: _, ...rest } = await session(idToken(), accessToken())
      return rest
    }],
    ['an ID token signed by another key', async () => session(idToken({}, attackerKey), accessToken())],
    ['an access token signed by another key', async () => session(idToken(), accessToken({}, attackerKey))],
    ['no ID token', async () => {
      const { [`${PREFIX}.alice.idToken`]: _, ...rest } = await session(idToken(), accessToken())
      return rest
    }],
    ['an expired access token (a refresh is due)', async () => session(idToken(), accessToken({ iat: now() - 7200, exp: now() - 5 }))],
    ['tokens inside their refresh margin', async () => session(idToken({ iat: now() - 3600, exp: now() + 30 }), accessToken({ iat: now() - 3600, exp: now() + 30 }))],
    // 12 s tokens: their own refresh margin (a quarter, 3 s) has not begun, Amplify's 5 s tolerance has.
    ['short-lived tokens within Amplify\'s expiry tolerance', async () => session(idToken({ iat: now() - 8, exp: now() + 4 }), accessToken({ iat: now() - 8, exp: now() + 4 }))],
    ['tokens of another user than LastAuthUser names', async () => ({ ...await session(idToken(), accessToken()), [`${PREFIX}.LastAuthUser`]: 'bob' })],
  ])('%s: null, so Amplify\'s token provider decides', async (_, cookies) => {
    expect((await read(await cookies())).state).toBeNull()
  })
})
