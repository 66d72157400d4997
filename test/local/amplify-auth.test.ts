// Amplify v6 itself, in Node, against the local backend: sign-in through the
// refresh proxy into cognito-local, token refresh, guest and authenticated
// identity-pool credentials, and the real REST client signing for the iam API.
// Amplify keeps global state, so this file owns one configured instance and
// signs out after every test.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth'
import { get, post } from 'aws-amplify/api'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifyConfigFor, amplifySign, decodePayload, fetchJson } from '../utils/local-helpers'

let backend: LocalBackend

beforeAll(async () => {
  backend = await startLocalBackend()
  Amplify.configure(amplifyConfigFor(backend))
})

afterEach(async () => {
  await signOut()
})

afterAll(async () => {
  await backend?.stop()
})

async function signInAs(username: string) {
  const user = backend.users.find(candidate => candidate.username === username)!
  const result = await signIn({ username: user.username, password: user.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } })
  expect(result.isSignedIn).toBe(true)
  expect(result.nextStep.signInStep).toBe('DONE')
  return user
}

describe('Amplify against the local backend', () => {
  it('signs in with USER_PASSWORD_AUTH through the proxy and gets cognito-local tokens', async () => {
    const before = backend.stats.initiateAuth
    const alice = await signInAs('alice')
    expect(backend.stats.initiateAuth).toBe(before + 1)

    const { tokens } = await fetchAuthSession()
    const id = tokens!.idToken!.payload
    expect(id.iss).toBe(backend.urls.issuer)
    expect(id.aud).toBe(backend.amplify.auth.userPoolClientId)
    expect(id['cognito:username']).toBe('alice')
    expect(id.email).toBe('alice@example.com')
    expect(id['cognito:groups']).toEqual(['admin'])
    expect(id.sub).toBe(alice.sub)
    expect(tokens!.accessToken.payload.token_use).toBe('access')
  })

  it('refreshes tokens with forceRefresh via GetTokensFromRefreshToken mapped by the proxy', async () => {
    await signInAs('bob')
    const first = await fetchAuthSession()
    const refreshesBefore = backend.stats.refreshes

    const refreshed = await fetchAuthSession({ forceRefresh: true })
    expect(backend.stats.refreshes).toBe(refreshesBefore + 1)
    expect(refreshed.tokens!.accessToken.toString()).not.toBe(first.tokens!.accessToken.toString())
    expect(refreshed.tokens!.idToken!.toString()).not.toBe(first.tokens!.idToken!.toString())
    expect(refreshed.tokens!.idToken!.payload['cognito:username']).toBe('bob')

    // The refresh token survived the refresh (the answer carries none), so a second one works too.
    await fetchAuthSession({ forceRefresh: true })
    expect(backend.stats.refreshes).toBe(refreshesBefore + 2)
  })

  it('gives guest credentials signed out and different authenticated credentials signed in', async () => {
    const guest = await fetchAuthSession()
    expect(guest.tokens).toBeUndefined()
    expect(guest.credentials?.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(guest.credentials?.sessionToken).toBeTruthy()
    expect(guest.credentials?.expiration).toBeInstanceOf(Date)
    expect(guest.credentials!.expiration!.getTime()).toBeGreaterThan(Date.now() + 50 * 60 * 1000)
    expect(guest.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)

    const getIdBefore = backend.stats.getId
    const credsBefore = backend.stats.getCredentials
    await signInAs('alice')
    const authed = await fetchAuthSession()
    expect(authed.credentials?.accessKeyId).toMatch(/^ASIA/)
    expect(authed.credentials?.accessKeyId).not.toBe(guest.credentials?.accessKeyId)
    expect(authed.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(authed.identityId).not.toBe(guest.identityId)
    // Amplify keeps the guest identity id it holds and asks for credentials with alice's login
    // (no GetId); the identity pool answers with alice's own identity, which Amplify then keeps.
    expect(backend.stats.getId - getIdBefore).toBe(0)
    expect(backend.stats.getCredentials - credsBefore).toBe(1)
    // Same user, same identity: signing out drops the identity id, so a second sign-in cycle
    // resolves it again (one GetId with alice's login, one GetCredentialsForIdentity).
    await signOut()
    await signInAs('alice')
    const again = await fetchAuthSession()
    expect(again.identityId).toBe(authed.identityId)
    expect(again.credentials?.accessKeyId).toMatch(/^ASIA/)
    expect(backend.stats.getId - getIdBefore).toBe(1)
    expect(backend.stats.getCredentials - credsBefore).toBe(2)
  })

  it('signs REST calls to the iam API with guest credentials, and the server verifies them', async () => {
    backend.clearRequests()
    const session = await fetchAuthSession()
    const { body } = await get({ apiName: 'iam', path: '/echo', options: { queryParams: { a: '1', b: 'x y' } } }).response
    const echo = await body.json() as Record<string, unknown>
    expect(echo).toMatchObject({
      api: 'iam',
      mode: 'iam',
      verified: true,
      signed: true,
      role: 'guest',
      identityId: session.identityId,
      principal: session.identityId,
      username: null,
      path: '/echo',
      query: { a: '1', b: 'x y' },
    })
    const record = backend.requests.at(-1)!
    expect(record).toMatchObject({ api: 'iam', method: 'GET', path: '/iam/echo', status: 200, verified: true, role: 'guest' })
    expect(record.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIA\w+\/\d{8}\/us-east-1\/execute-api\/aws4_request/)
    expect(record.headers['x-amz-security-token']).toBe(session.credentials!.sessionToken)
  })

  it('signs POSTs with a JSON body as the authenticated role when signed in', async () => {
    await signInAs('alice')
    const session = await fetchAuthSession()
    const { statusCode, body } = await post({ apiName: 'iam', path: '/items', options: { body: { name: 'from amplify' } } }).response
    expect(statusCode).toBe(201)
    expect(await body.json()).toMatchObject({ name: 'from amplify' })
    expect(backend.requests.at(-1)).toMatchObject({ api: 'iam', method: 'POST', status: 201, verified: true, role: 'authenticated', principal: session.identityId })
  })

  it('credentials Amplify fetched also verify when signed by hand; a tampered copy does not', async () => {
    const { credentials } = await fetchAuthSession()
    const ok = amplifySign({ url: `${backend.amplify.rest.iam.endpoint}/items/1`, credentials: credentials! })
    expect((await fetchJson(ok.url, ok.init)).status).toBe(200)

    const bad = amplifySign({ url: `${backend.amplify.rest.iam.endpoint}/items/1`, credentials: { ...credentials!, secretAccessKey: `${credentials!.secretAccessKey}x` } })
    const rejected = await fetchJson(bad.url, bad.init)
    expect(rejected.status).toBe(403)
    expect(rejected.body).toMatchObject({ reason: 'signature mismatch' })
  })

  it('sends the ID token to a userPool API when asked to, and the server accepts it', async () => {
    await signInAs('bob')
    const { tokens } = await fetchAuthSession()
    const { body } = await get({ apiName: 'userPool', path: '/echo', options: { headers: { Authorization: tokens!.idToken!.toString() } } }).response
    const echo = await body.json() as Record<string, unknown>
    expect(echo).toMatchObject({ api: 'userPool', verified: true, username: 'bob', tokenUse: 'id', signed: false, hasAuthorization: true })
    expect(echo.principal).toBe(decodePayload(tokens!.idToken!.toString()).sub)
  })
})
