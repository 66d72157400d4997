// The backend object, the refresh proxy and the identity pool at protocol
// level, and that stop() really releases everything.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { canConnect, decodePayload, initiateAuth, isProcessAlive, jsonCall, portOf, type Tokens } from '../utils/local-helpers'

const IDP = 'AWSCognitoIdentityProviderService'
const IDENTITY = 'AWSCognitoIdentityService'

let backend: LocalBackend

beforeAll(async () => {
  backend = await startLocalBackend({ users: [
    { username: 'carol', password: 'Passw0rd!carol', groups: ['admin', 'editors'] },
    { username: 'dave', password: 'Passw0rd!dave', email: 'dave@corp.test' },
  ] })
})

afterAll(async () => {
  await backend?.stop()
})

/** The header names a preflight answer allows, sorted (one local helper writes every server's). */
function allowedHeaders(res: Response): string[] {
  return (res.headers.get('access-control-allow-headers') ?? '').split(',').map(name => name.trim()).filter(Boolean).sort()
}

describe('startLocalBackend', () => {
  // Startup time is not asserted here (shared, noisy machines): it is measured and reported in notes.
  it('returns module options pointing at itself', () => {
    const { amplify, urls } = backend
    expect(amplify.auth).toEqual({
      region: 'us-east-1',
      userPoolId: expect.stringMatching(/^local_\w+$/),
      userPoolClientId: expect.any(String),
      identityPoolId: expect.stringMatching(/^us-east-1:[0-9a-f-]{36}$/),
      allowGuestAccess: true,
      userPoolEndpoint: urls.userPool,
      identityPoolEndpoint: urls.identity,
      userPoolIssuer: urls.issuer,
      authFlowType: 'USER_PASSWORD_AUTH',
    })
    expect(amplify.rest).toEqual({
      iam: { endpoint: `${urls.rest}/iam`, region: 'us-east-1', authMode: 'iam' },
      apiKey: { endpoint: `${urls.rest}/apikey`, region: 'us-east-1', authMode: 'apiKey', apiKey: expect.stringMatching(/^.{40}$/) },
      userPool: { endpoint: `${urls.rest}/userpool`, region: 'us-east-1', authMode: 'userPool', token: 'id' },
      userPoolAccess: { endpoint: `${urls.rest}/userpool-access`, region: 'us-east-1', authMode: 'userPool', token: 'access' },
      custom: { endpoint: `${urls.rest}/custom`, region: 'us-east-1', authMode: 'custom' },
      none: { endpoint: `${urls.rest}/none`, region: 'us-east-1', authMode: 'none' },
    })
    expect(amplify.defaultApi).toBe('userPool')
    for (const url of [urls.userPool, urls.cognito, urls.identity, urls.rest]) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(urls.issuer).toBe(`${urls.cognito}/${amplify.auth.userPoolId}`)
    expect(urls.jwks).toBe(`${urls.issuer}/.well-known/jwks.json`)
    expect(backend.stats).toEqual({ refreshes: 0, initiateAuth: 0, getId: 0, getCredentials: 0, userPoolDropped: 0, identityDropped: 0 })
    expect(backend.faults).toEqual({ userPoolDown: false, identityDown: false })
  })

  it('seeds the given users, with defaults for email and random custom tokens', () => {
    expect(backend.users).toEqual([
      { username: 'carol', password: 'Passw0rd!carol', email: 'carol@example.com', groups: ['admin', 'editors'], sub: expect.any(String), customToken: expect.stringMatching(/^custom-/) },
      { username: 'dave', password: 'Passw0rd!dave', email: 'dave@corp.test', groups: [], sub: expect.any(String), customToken: expect.stringMatching(/^custom-/) },
    ])
    expect(backend.users[0]!.customToken).not.toBe(backend.users[1]!.customToken)
  })

  it('serves the JWKS and issues tokens with that issuer, groups and the default 1 h validity', async () => {
    const jwks = await (await fetch(backend.urls.jwks)).json() as { keys: Array<{ kid: string }> }
    expect(jwks.keys.map(key => key.kid)).toEqual(['CognitoLocal'])
    const tokens = await initiateAuth(backend, backend.users[0]!)
    const id = decodePayload(tokens.idToken)
    expect(id).toMatchObject({ 'iss': backend.urls.issuer, 'aud': backend.amplify.auth.userPoolClientId, 'token_use': 'id', 'cognito:username': 'carol', 'email': 'carol@example.com', 'cognito:groups': ['admin', 'editors'] })
    expect((id.exp as number) - (id.iat as number)).toBe(3600)
    expect(decodePayload(tokens.accessToken)).toMatchObject({ client_id: backend.amplify.auth.userPoolClientId, token_use: 'access', username: 'carol' })
  })

  it('exposes long-lived role credentials', () => {
    const { guest, authenticated } = backend.credentials
    expect(guest.accessKeyId).toMatch(/^ASIA/)
    expect(authenticated.accessKeyId).not.toBe(guest.accessKeyId)
    expect(guest.expiration.getTime()).toBeGreaterThan(Date.now() + 30 * 24 * 3600 * 1000)
  })
})

describe('refresh proxy', () => {
  let tokens: Tokens

  beforeAll(async () => {
    tokens = await initiateAuth(backend, backend.users[1]!)
  })

  it('passes requests through to cognito-local unchanged, errors included', async () => {
    const before = backend.stats.initiateAuth
    const wrong = await jsonCall(backend.urls.userPool, `${IDP}.InitiateAuth`, {
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: backend.amplify.auth.userPoolClientId, AuthParameters: { USERNAME: 'dave', PASSWORD: 'nope' },
    })
    const direct = await jsonCall(backend.urls.cognito, `${IDP}.InitiateAuth`, {
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: backend.amplify.auth.userPoolClientId, AuthParameters: { USERNAME: 'dave', PASSWORD: 'nope' },
    })
    expect(wrong.status).toBe(direct.status)
    expect(wrong.body).toEqual(direct.body)
    expect(wrong.headers.get('access-control-allow-origin')).toBe('*')
    expect(backend.stats.initiateAuth).toBe(before + 1)
  })

  it('answers GetTokensFromRefreshToken like Cognito, via InitiateAuth REFRESH_TOKEN_AUTH', async () => {
    const before = backend.stats.refreshes
    const res = await jsonCall(backend.urls.userPool, `${IDP}.GetTokensFromRefreshToken`, {
      ClientId: backend.amplify.auth.userPoolClientId, RefreshToken: tokens.refreshToken,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1')
    const result = (res.body as { AuthenticationResult: Record<string, unknown> }).AuthenticationResult
    expect(Object.keys(result).sort()).toEqual(['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType'])
    expect(result).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' })
    expect(result.AccessToken).not.toBe(tokens.accessToken)
    expect(decodePayload(result.IdToken as string)['cognito:username']).toBe('dave')
    expect(backend.stats.refreshes).toBe(before + 1)
  })

  it('passes cognito-local\'s error through for a bad refresh token', async () => {
    const res = await jsonCall(backend.urls.userPool, `${IDP}.GetTokensFromRefreshToken`, {
      ClientId: backend.amplify.auth.userPoolClientId, RefreshToken: 'not-a-refresh-token',
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException')
    expect(res.body).toMatchObject({ __type: 'NotAuthorizedException' })
  })

  it('answers CORS preflights', async () => {
    const res = await fetch(backend.urls.userPool, {
      method: 'OPTIONS',
      headers: { 'origin': 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(allowedHeaders(res)).toEqual(['content-type', 'x-amz-target', 'x-amz-user-agent'])
  })
})

describe('identity pool', () => {
  let tokens: Tokens
  const providerKey = () => backend.urls.issuer.replace(/^http:\/\//, '')

  beforeAll(async () => {
    tokens = await initiateAuth(backend, backend.users[1]!)
  })

  const call = (operation: string, input: unknown) => jsonCall(backend.urls.identity, `${IDENTITY}.${operation}`, input, { origin: 'http://localhost:3000' })

  it('gives a new guest identity per GetId without logins, and guest credentials for it', async () => {
    const first = await call('GetId', { IdentityPoolId: backend.amplify.auth.identityPoolId, Logins: {} })
    const second = await call('GetId', { IdentityPoolId: backend.amplify.auth.identityPoolId })
    expect(first.status).toBe(200)
    expect(first.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    const id = first.body.IdentityId as string
    expect(id).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(second.body.IdentityId).not.toBe(id)

    const creds = await call('GetCredentialsForIdentity', { IdentityId: id })
    expect(creds.status).toBe(200)
    const c = creds.body.Credentials as { AccessKeyId: string, SecretKey: string, SessionToken: string, Expiration: number }
    expect(creds.body.IdentityId).toBe(id)
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(c.SecretKey).toHaveLength(40)
    expect(c.SessionToken.length).toBeGreaterThan(100)
    // Epoch seconds, as Amplify's deserializer multiplies by 1000.
    expect(c.Expiration).toBeGreaterThan(Date.now() / 1000 + 3500)
    expect(c.Expiration).toBeLessThan(Date.now() / 1000 + 3700)
  })

  it('gives a user the same identity every time, and credentials only with that user\'s ID token', async () => {
    const logins = { [providerKey()]: tokens.idToken }
    const a = await call('GetId', { IdentityPoolId: backend.amplify.auth.identityPoolId, Logins: logins })
    const b = await call('GetId', { IdentityPoolId: backend.amplify.auth.identityPoolId, Logins: logins })
    expect(a.body.IdentityId).toBe(b.body.IdentityId)

    const ok = await call('GetCredentialsForIdentity', { IdentityId: a.body.IdentityId, Logins: logins })
    expect(ok.status).toBe(200)

    const noLogins = await call('GetCredentialsForIdentity', { IdentityId: a.body.IdentityId })
    expect(noLogins.status).toBe(400)
    expect(noLogins.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException')
    expect(noLogins.body.__type).toBe('NotAuthorizedException')

    const other = await initiateAuth(backend, backend.users[0]!)
    const otherUser = await call('GetCredentialsForIdentity', { IdentityId: a.body.IdentityId, Logins: { [providerKey()]: other.idToken } })
    expect(otherUser.status).toBe(400)
    expect(otherUser.body.__type).toBe('NotAuthorizedException')
  })

  it('rejects access tokens, wrong provider keys and unknown pools or identities', async () => {
    const pool = backend.amplify.auth.identityPoolId
    const access = await call('GetId', { IdentityPoolId: pool, Logins: { [providerKey()]: tokens.accessToken } })
    expect(access.status).toBe(400)
    expect(access.body).toMatchObject({ __type: 'NotAuthorizedException', message: expect.stringContaining('token_use') })

    const wrongKey = await call('GetId', { IdentityPoolId: pool, Logins: { [backend.urls.issuer]: tokens.idToken } })
    expect(wrongKey.body).toMatchObject({ __type: 'NotAuthorizedException', message: expect.stringContaining('provider') })

    expect((await call('GetId', { IdentityPoolId: 'us-east-1:nope' })).body.__type).toBe('ResourceNotFoundException')
    expect((await call('GetCredentialsForIdentity', { IdentityId: 'us-east-1:nope' })).body.__type).toBe('ResourceNotFoundException')
  })

  it('answers CORS preflights echoing origin and requested headers', async () => {
    const res = await fetch(backend.urls.identity, {
      method: 'OPTIONS',
      headers: { 'origin': 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent,cache-control' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(allowedHeaders(res)).toEqual(['cache-control', 'content-type', 'x-amz-target', 'x-amz-user-agent'])
  })

  it('counts the calls', () => {
    expect(backend.stats.getId).toBeGreaterThanOrEqual(5)
    expect(backend.stats.getCredentials).toBeGreaterThanOrEqual(4)
  })
})

describe('stop()', () => {
  it('releases every port, ends cognito-local and is idempotent', async () => {
    const other = await startLocalBackend({ users: [] })
    const ports = [other.urls.userPool, other.urls.cognito, other.urls.identity, other.urls.rest].map(portOf)
    for (const port of ports) expect(await canConnect(port)).toBe(true)

    await Promise.all([other.stop(), other.stop()])
    await other.stop()
    for (const port of ports) expect(await canConnect(port)).toBe(false)
  })

  it.runIf(process.platform === 'linux')('leaves no cognito-local process behind', async () => {
    const { execFileSync } = await import('node:child_process')
    const { readFileSync } = await import('node:fs')
    const other = await startLocalBackend({ users: [] })
    const cognitoPort = portOf(other.urls.cognito)
    // The child's pid is not part of the API; find it by the port it was given.
    const pids = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .split('\n').filter(line => line.includes('cognito-local')).map(line => Number(line.trim().split(/\s+/)[0]))
    const ours = pids.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`PORT=${cognitoPort}\0`)
      }
      catch {
        return false
      }
    })
    expect(ours).toHaveLength(1)
    await other.stop()
    expect(isProcessAlive(ours[0]!)).toBe(false)
  })
})
