// Every REST API of the local backend as a plain HTTP client sees it: one
// accepted request and the rejections that matter per auth mode, asserted on
// status, JSON reason and the server's own request record.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair, SignJWT } from 'jose'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createPrivateKey } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import { Sha256 } from '@aws-crypto/sha256-js'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifySign, decodePayload, fetchJson, initiateAuth, sleep, tamperSignature, type Tokens } from '../utils/local-helpers'

let backend: LocalBackend
let alice: Tokens
let bob: Tokens

beforeAll(async () => {
  backend = await startLocalBackend({ apiKey: 'test-api-key-0123456789' })
  ;[alice, bob] = await Promise.all([initiateAuth(backend, backend.users[0]!), initiateAuth(backend, backend.users[1]!)])
})

afterAll(async () => {
  await backend?.stop()
})

const endpoint = (api: keyof LocalBackend['amplify']['rest']) => backend.amplify.rest[api].endpoint
const last = () => backend.requests.at(-1)!

describe('CORS and routing', () => {
  it('answers preflights without authentication, echoing origin and requested headers', async () => {
    const res = await fetch(`${endpoint('iam')}/echo`, {
      method: 'OPTIONS',
      headers: { 'origin': 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-custom-thing' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS')
    const allowed = res.headers.get('access-control-allow-headers')!.split(', ')
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'x-api-key', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-user-agent', 'content-type', 'x-custom-thing']))
    expect(last()).toMatchObject({ api: 'iam', method: 'OPTIONS', status: 204, verified: false, preflight: true })
  })

  it('puts CORS headers on answers, rejections included', async () => {
    const res = await fetch(`${endpoint('apiKey')}/echo`, { headers: { origin: 'http://127.0.0.1:5173' } })
    expect(res.status).toBe(403)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173')
    expect(res.headers.get('access-control-expose-headers')).toContain('x-amzn-errortype')
    expect(res.headers.get('x-amzn-errortype')).toBe('ForbiddenException')
    const plain = await fetch(`${endpoint('none')}/echo`)
    expect(plain.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('rejects unknown prefixes and routes with 404 JSON', async () => {
    const unknownApi = await fetchJson(`${backend.urls.rest}/nope/echo`)
    expect(unknownApi.status).toBe(404)
    expect(unknownApi.body).toMatchObject({ message: 'Not Found' })
    expect(last()).toMatchObject({ api: null, status: 404, verified: false })
    const unknownRoute = await fetchJson(`${endpoint('none')}/nope`)
    expect(unknownRoute.status).toBe(404)
    expect(last()).toMatchObject({ api: 'none', status: 404, verified: true })
  })
})

describe('none', () => {
  it('accepts everything and runs the items CRUD on the shared store', async () => {
    const list = await fetchJson(`${endpoint('none')}/items`)
    expect(list.status).toBe(200)
    expect(list.body).toEqual(expect.arrayContaining([{ id: '1', name: 'first item' }, { id: '2', name: 'second item' }]))

    const created = await fetchJson(`${endpoint('none')}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'new' }) })
    expect(created.status).toBe(201)
    const id = (created.body as unknown as { id: string }).id
    expect(created.body).toEqual({ id, name: 'new' })

    const updated = await fetchJson(`${endpoint('none')}/items/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'renamed' }) })
    expect(updated.body).toEqual({ id, name: 'renamed' })
    const patched = await fetchJson(`${endpoint('none')}/items/${id}`, { method: 'PATCH', body: JSON.stringify({ name: 'patched' }) })
    expect(patched.body).toEqual({ id, name: 'patched' })
    expect((await fetchJson(`${endpoint('none')}/items/${id}`)).body).toEqual({ id, name: 'patched' })

    expect((await fetchJson(`${endpoint('none')}/items/${id}`, { method: 'DELETE' })).body).toEqual({ deleted: id })
    expect((await fetchJson(`${endpoint('none')}/items/${id}`, { method: 'DELETE' })).status).toBe(404)
    expect((await fetchJson(`${endpoint('none')}/items/${id}`)).status).toBe(404)
    expect((await fetchJson(`${endpoint('none')}/items`, { method: 'POST', body: '{}' })).status).toBe(400)
  })

  it('answers /status/:code with that status and a JSON body', async () => {
    const res = await fetchJson(`${endpoint('none')}/status/503`)
    expect(res.status).toBe(503)
    expect(res.body).toEqual({ status: 503, message: 'Service Unavailable' })
    expect((await fetchJson(`${endpoint('none')}/status/418`)).status).toBe(418)
  })

  it('echoes the request without secrets', async () => {
    const res = await fetchJson(`${endpoint('none')}/echo?a=1&a=2&b=x%20y`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': 'secret-token', 'x-api-key': 'secret-key' },
      body: JSON.stringify({ hello: 'world' }),
    })
    expect(res.body).toEqual({
      api: 'none', mode: 'none', verified: true, principal: null, username: null, role: null, tokenUse: null, identityId: null,
      signed: false, hasAuthorization: true, hasApiKey: true, method: 'POST', path: '/echo', rawPath: '/none/echo',
      query: { a: ['1', '2'], b: 'x y' }, body: { hello: 'world' },
    })
    expect(JSON.stringify(res.body)).not.toContain('secret')
    expect(last().headers).toMatchObject({ 'authorization': 'secret-token', 'x-api-key': 'secret-key' })
  })
})

describe('apiKey', () => {
  it('accepts the right x-api-key', async () => {
    const res = await fetchJson(`${endpoint('apiKey')}/echo`, { headers: { 'x-api-key': backend.amplify.rest.apiKey.apiKey } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ api: 'apiKey', verified: true, hasApiKey: true, principal: 'apiKey' })
    expect(JSON.stringify(res.body)).not.toContain(backend.amplify.rest.apiKey.apiKey)
    expect(last()).toMatchObject({ api: 'apiKey', mode: 'apiKey', status: 200, verified: true })
  })

  it('rejects a wrong key with 403', async () => {
    const res = await fetchJson(`${endpoint('apiKey')}/echo`, { headers: { 'x-api-key': 'wrong' } })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ message: 'Forbidden', reason: 'invalid API key' })
    expect(last()).toMatchObject({ api: 'apiKey', status: 403, verified: false, reason: 'invalid API key', headers: { 'x-api-key': 'wrong' } })
  })

  it('rejects a missing key with 403', async () => {
    const res = await fetchJson(`${endpoint('apiKey')}/items`)
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ message: 'Forbidden', reason: 'missing x-api-key header' })
    expect(last()).toMatchObject({ status: 403, verified: false, reason: 'missing x-api-key header' })
  })
})

describe('userPool (ID token) and userPoolAccess (access token)', () => {
  it('accepts a valid ID token, raw or with a Bearer prefix', async () => {
    const raw = await fetchJson(`${endpoint('userPool')}/echo`, { headers: { authorization: alice.idToken } })
    expect(raw.status).toBe(200)
    expect(raw.body).toMatchObject({ api: 'userPool', mode: 'userPool', verified: true, username: 'alice', tokenUse: 'id', principal: backend.users[0]!.sub })
    expect(last()).toMatchObject({ api: 'userPool', status: 200, verified: true, principal: backend.users[0]!.sub })
    const bearer = await fetchJson(`${endpoint('userPool')}/echo`, { headers: { authorization: `Bearer ${bob.idToken}` } })
    expect(bearer.body).toMatchObject({ username: 'bob' })
  })

  it('accepts a valid access token on userPoolAccess', async () => {
    const res = await fetchJson(`${endpoint('userPoolAccess')}/echo`, { headers: { authorization: alice.accessToken } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ api: 'userPoolAccess', mode: 'userPool', username: 'alice', tokenUse: 'access' })
  })

  it('rejects a missing token with 401 Unauthorized', async () => {
    const res = await fetchJson(`${endpoint('userPool')}/echo`)
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ message: 'Unauthorized', reason: 'missing Authorization header' })
  })

  it('rejects an access token where an ID token is required, and vice versa', async () => {
    const res = await fetchJson(`${endpoint('userPool')}/echo`, { headers: { authorization: alice.accessToken } })
    expect(res.status).toBe(401)
    expect((res.body as unknown as { reason: string }).reason).toMatch(/^wrong token_use: got "access"/)
    expect(last()).toMatchObject({ api: 'userPool', status: 401, verified: false })
    const reverse = await fetchJson(`${endpoint('userPoolAccess')}/echo`, { headers: { authorization: alice.idToken } })
    expect(reverse.status).toBe(401)
    expect((reverse.body as unknown as { reason: string }).reason).toMatch(/^wrong token_use: got "id"/)
  })

  it('rejects a token from a foreign issuer signed with another key', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const claims = decodePayload(alice.idToken)
    const foreign = await new SignJWT({ ...claims, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Foreign' })
      .setProtectedHeader({ alg: 'RS256', kid: 'foreign' })
      .sign(privateKey)
    const res = await fetchJson(`${endpoint('userPool')}/echo`, { headers: { authorization: foreign } })
    expect(res.status).toBe(401)
    expect((res.body as unknown as { reason: string }).reason).toMatch(/^issuer mismatch/)
  })

  it('rejects a token claiming the right issuer but signed with another key', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT(decodePayload(alice.idToken)).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(privateKey)
    const res = await fetchJson(`${endpoint('userPool')}/echo`, { headers: { authorization: forged } })
    expect(res.status).toBe(401)
    expect((res.body as unknown as { reason: string }).reason).toMatch(/^signature invalid/)
  })

  it('rejects a token of another app client (audience)', async () => {
    // cognito-local's signing key ships in the package, so a correctly signed token for another client can be made.
    const require = createRequire(import.meta.url)
    const keyFile = join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'keys', 'cognitoLocal.private.json')
    const key = createPrivateKey(JSON.parse(readFileSync(keyFile, 'utf8')).pem)
    const claims = decodePayload(alice.idToken)
    const other = await new SignJWT({ ...claims, aud: 'some-other-client' }).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(key)
    const res = await fetchJson(`${endpoint('userPool')}/echo`, { headers: { authorization: other } })
    expect(res.status).toBe(401)
    expect((res.body as unknown as { reason: string }).reason).toMatch(/^audience mismatch/)
    const garbage = await fetchJson(`${endpoint('userPool')}/echo`, { headers: { authorization: 'not-a-jwt' } })
    expect((garbage.body as unknown as { reason: string }).reason).toBe('malformed token: not a JWT')
  })

  it('rejects expired tokens (short token validity)', async () => {
    const shortLived = await startLocalBackend({ tokenValidity: { idToken: 1, accessToken: 1 } })
    try {
      const tokens = await initiateAuth(shortLived, shortLived.users[1]!)
      const payload = decodePayload(tokens.idToken) as { exp: number, iat: number }
      expect(payload.exp - payload.iat).toBe(1)
      await sleep(2100)
      const id = await fetchJson(`${shortLived.amplify.rest.userPool.endpoint}/echo`, { headers: { authorization: tokens.idToken } })
      expect(id.status).toBe(401)
      expect(id.body).toEqual({ message: 'Unauthorized', reason: 'token expired' })
      const access = await fetchJson(`${shortLived.amplify.rest.userPoolAccess.endpoint}/echo`, { headers: { authorization: tokens.accessToken } })
      expect(access.body).toEqual({ message: 'Unauthorized', reason: 'token expired' })
      expect(shortLived.requests.at(-1)).toMatchObject({ status: 401, verified: false, reason: 'token expired' })
    }
    finally {
      await shortLived.stop()
    }
  })
})

describe('custom', () => {
  it('accepts a user\'s custom token as the raw Authorization value', async () => {
    const bobUser = backend.users[1]!
    const res = await fetchJson(`${endpoint('custom')}/echo`, { headers: { authorization: bobUser.customToken } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ api: 'custom', verified: true, principal: 'bob', username: 'bob' })
    expect(last()).toMatchObject({ api: 'custom', status: 200, verified: true, principal: 'bob' })
  })

  it('rejects a wrong token with 403', async () => {
    const res = await fetchJson(`${endpoint('custom')}/echo`, { headers: { authorization: 'custom-wrong' } })
    expect(res.status).toBe(403)
    expect(res.body).toMatchObject({ reason: 'unknown custom token' })
  })

  it('rejects a missing token with 401', async () => {
    const res = await fetchJson(`${endpoint('custom')}/echo`)
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ message: 'Unauthorized', reason: 'missing Authorization header' })
  })
})

describe('iam (SigV4)', () => {
  const iam = () => endpoint('iam')

  it.each([
    ['/echo', 'GET'],
    ['/items/1', 'GET'],
    ['/echo?a=1&b=x y', 'GET'],
    ['/echo?b=2&a=1&a=0&c=&d=%2F%3F', 'DELETE'],
    ['/echo%20spaced', 'GET'],
  ])('verifies Amplify\'s signature for %s (%s)', async (path, method) => {
    const signed = amplifySign({ url: `${iam()}${path}`, method, credentials: backend.credentials.guest })
    const res = await fetchJson(signed.url, signed.init)
    expect(last()).toMatchObject({ api: 'iam', verified: true, role: 'guest', principal: backend.credentials.guest.identityId })
    expect(res.status).toBe(path.startsWith('/echo%20') ? 404 : 200)
  })

  it('verifies a signed JSON body, and rejects the same signature with another body', async () => {
    const body = JSON.stringify({ name: 'signed item' })
    const signed = amplifySign({ url: `${iam()}/echo`, method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: backend.credentials.authenticated })
    const ok = await fetchJson(signed.url, signed.init)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ verified: true, signed: true, role: 'authenticated', username: 'alice', body: { name: 'signed item' } })

    const swapped = await fetchJson(signed.url, { ...signed.init, body: JSON.stringify({ name: 'other item' }) })
    expect(swapped.status).toBe(403)
    expect(swapped.body).toMatchObject({ message: expect.stringMatching(/^The request signature we calculated does not match/), reason: 'signature mismatch' })
  })

  it('verifies requests signed with @smithy/signature-v4 too', async () => {
    const url = new URL(`${iam()}/items?x=1`)
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: Sha256, credentials: backend.credentials.guest })
    const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: { x: '1' }, headers: { host: url.host } })
    const { host: _host, ...headers } = signed.headers
    const res = await fetchJson(url.toString(), { headers })
    expect(res.status).toBe(200)
  })

  it('rejects a tampered signature with 403', async () => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: backend.credentials.guest })
    const res = await fetchJson(signed.url, { headers: { ...signed.headers, authorization: tamperSignature(signed.headers.authorization!) } })
    expect(res.status).toBe(403)
    expect(res.body).toMatchObject({ reason: 'signature mismatch' })
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException')
    expect(last()).toMatchObject({ api: 'iam', status: 403, verified: false, reason: 'signature mismatch' })
  })

  it('rejects an unknown access key with 403', async () => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: { ...backend.credentials.guest, accessKeyId: 'ASIAUNKNOWNUNKNOWN00' } })
    const res = await fetchJson(signed.url, signed.init)
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ message: 'The security token included in the request is invalid.', reason: 'unknown access key id' })
  })

  it('rejects a session token of other credentials', async () => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: { ...backend.credentials.guest, sessionToken: backend.credentials.authenticated.sessionToken } })
    const res = await fetchJson(signed.url, signed.init)
    expect(res.status).toBe(403)
    expect(res.body).toMatchObject({ reason: 'x-amz-security-token does not belong to the access key' })
  })

  it('rejects a signature older than 5 minutes', async () => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: backend.credentials.guest, signingDate: new Date(Date.now() - 6 * 60 * 1000) })
    const res = await fetchJson(signed.url, signed.init)
    expect(res.status).toBe(403)
    expect((res.body as unknown as { message: string }).message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/)
  })

  it('rejects a wrong region in the credential scope, and a missing signature', async () => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: backend.credentials.guest, region: 'eu-west-1' })
    const res = await fetchJson(signed.url, signed.init)
    expect(res.status).toBe(403)
    expect(res.body).toMatchObject({ reason: 'credential scope region is eu-west-1, expected us-east-1' })

    const unsigned = await fetchJson(`${iam()}/echo`)
    expect(unsigned.status).toBe(403)
    expect(unsigned.body).toEqual({ message: 'Missing Authentication Token', reason: 'no Authorization header' })
  })

  it('rejects expired identity-pool credentials', async () => {
    const shortLived = await startLocalBackend({ credentialsTtl: 2, users: [] })
    try {
      const { IdentityId } = (await (await fetch(shortLived.urls.identity, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
        body: JSON.stringify({ IdentityPoolId: shortLived.amplify.auth.identityPoolId }),
      })).json()) as { IdentityId: string }
      const { Credentials } = (await (await fetch(shortLived.urls.identity, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetCredentialsForIdentity' },
        body: JSON.stringify({ IdentityId }),
      })).json()) as { Credentials: { AccessKeyId: string, SecretKey: string, SessionToken: string } }
      const credentials = { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken }
      const fresh = amplifySign({ url: `${shortLived.amplify.rest.iam.endpoint}/echo`, credentials })
      expect((await fetchJson(fresh.url, fresh.init)).status).toBe(200)
      // Expiration is whole epoch seconds, so 2 s credentials last between 1 and 2 s.
      await sleep(2100)
      const stale = amplifySign({ url: `${shortLived.amplify.rest.iam.endpoint}/echo`, credentials })
      const res = await fetchJson(stale.url, stale.init)
      expect(res.status).toBe(403)
      expect(res.body).toEqual({ message: 'The security token included in the request is expired', reason: 'credentials expired' })
    }
    finally {
      await shortLived.stop()
    }
  })
})
