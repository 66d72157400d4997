// The local backend's own defences (issue 19, LOW 7), over real HTTP against the real servers and
// the real cognito-local child: unsigned payloads refused, loopback Host only (DNS rebinding), CORS
// only for allowed origins, and no cognito-local admin API through the user pool endpoint.

import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignatureV4 } from '@smithy/signature-v4'
import { Sha256 } from '@aws-crypto/sha256-js'
import { LocalBackendError, startLocalBackend, type LocalBackend } from '../../src/local'
import { jsonCall } from '../utils/local-helpers'

const IDP = 'AWSCognitoIdentityProviderService'
let backend: LocalBackend

beforeAll(async () => {
  backend = await startLocalBackend({ users: [{ username: 'carol', password: 'Passw0rd!carol' }] })
})
afterAll(async () => {
  await backend?.stop()
})

/** The four servers a page could target: the user pool endpoint, cognito-local itself, identity pool, REST. */
const servers = () => ({
  userPool: backend.urls.userPool,
  cognito: `${backend.urls.cognito}/health`,
  identity: backend.urls.identity,
  rest: `${backend.amplify.rest.none.endpoint}/echo`,
})

/** A raw request with the Host header we choose (fetch does not let a caller set Host). */
function rawRequest(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number, headers: Record<string, unknown>, body: string }> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request({ hostname: target.hostname, port: target.port, path: target.pathname, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('SigV4: the body must be signed', () => {
  it('refuses x-amz-content-sha256: UNSIGNED-PAYLOAD, so a body changed after signing is not accepted', async () => {
    const url = new URL(`${backend.amplify.rest.iam.endpoint}/echo`)
    const signer = new SignatureV4({ service: 'execute-api', region: 'us-east-1', sha256: Sha256, credentials: backend.credentials.guest })
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname,
      headers: { 'host': url.host, 'content-type': 'application/json', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: JSON.stringify({ amount: 1 }),
    })
    const { host: _host, ...headers } = signed.headers
    expect(headers.authorization).toContain('x-amz-content-sha256')
    backend.clearRequests()
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ amount: 1_000_000 }) })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException')
    expect(backend.requests).toMatchObject([{ api: 'iam', status: 403, verified: false, reason: 'unsigned payload' }])
  })
})

describe('Host: loopback names only (DNS rebinding)', () => {
  it('every server refuses a request naming another host, and serves loopback names with any port', async () => {
    for (const [name, url] of Object.entries(servers())) {
      const port = new URL(url).port
      const rebound = await rawRequest(url, { host: `rebind.attacker.test:${port}` })
      expect(rebound.status, name).toBe(403)
      expect(JSON.parse(rebound.body).message, name).toBe('Local backend: refused a request for Host "rebind.attacker.test:'
        + `${port}": only localhost, 127.0.0.1, [::1] (any port) are served.`)
      expect(rebound.headers['access-control-allow-origin'], name).toBeUndefined()
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost']) {
        expect((await rawRequest(url, { host })).status, `${name} ${host}`).not.toBe(403)
      }
    }
  })
})

describe('CORS: allowed origins only', () => {
  it('by default loopback http origins are served and echoed; any other origin is refused with no CORS header', async () => {
    for (const [name, url] of Object.entries(servers())) {
      const host = new URL(url).host
      const ok = await rawRequest(url, { host, origin: 'http://localhost:3000' })
      expect(ok.status, name).not.toBe(403)
      // cognito-local's own answer says `*`; only origins that passed the rule ever get it.
      expect(ok.headers['access-control-allow-origin'], name).toBe(name === 'cognito' ? '*' : 'http://localhost:3000')
      for (const origin of ['https://evil.test', 'http://localhost.evil.test:3000', 'null', 'https://localhost:3000']) {
        for (const method of ['GET', 'OPTIONS']) {
          const refused = await rawRequest(url, { host, origin, 'access-control-request-method': 'POST' }, method)
          expect(refused.status, `${name} ${method} ${origin}`).toBe(403)
          expect(refused.headers['access-control-allow-origin'], `${name} ${origin}`).toBeUndefined()
          expect(JSON.parse(refused.body).message).toContain(`refused a request from origin ${JSON.stringify(origin)}`)
        }
      }
    }
  })

  it('a refused origin never reaches the REST API (nothing recorded, no item created)', async () => {
    backend.clearRequests()
    const res = await fetch(`${backend.amplify.rest.none.endpoint}/items`, {
      method: 'POST', headers: { 'origin': 'https://evil.test', 'content-type': 'text/plain' }, body: '{"name":"csrf"}',
    })
    expect(res.status).toBe(403)
    expect(backend.requests).toEqual([])
  })

  it('startLocalBackend({ corsOrigins }) allows exactly those origins, and rejects a value that is not an origin', async () => {
    const custom = await startLocalBackend({ users: [], corsOrigins: ['https://app.example.test:8443'] })
    try {
      for (const url of [custom.urls.userPool, `${custom.urls.cognito}/health`, custom.urls.identity, `${custom.amplify.rest.none.endpoint}/echo`]) {
        const host = new URL(url).host
        const ok = await rawRequest(url, { host, origin: 'https://app.example.test:8443' }, 'OPTIONS')
        expect(ok.status, url).not.toBe(403)
        expect(ok.headers['access-control-allow-origin'], url).toBe(url.startsWith(custom.urls.cognito) ? '*' : 'https://app.example.test:8443')
        expect((await rawRequest(url, { host, origin: 'http://localhost:3000' })).status, url).toBe(403)
      }
    }
    finally {
      await custom.stop()
    }
    const error = await startLocalBackend({ corsOrigins: ['http://localhost:3000/'] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LocalBackendError)
    expect((error as Error).message).toBe('Local backend: invalid options: corsOrigins: "http://localhost:3000/" is not an origin; '
      + 'expected scheme://host[:port] with nothing after it, e.g. "http://localhost:3000"')
  })
})

describe('user pool endpoint: no admin API', () => {
  it('does not forward cognito-local\'s admin operations; Amplify\'s own operations and the JWKS still pass', async () => {
    const userPoolId = backend.amplify.auth.userPoolId
    const created = await jsonCall(backend.urls.userPool, `${IDP}.AdminCreateUser`, {
      UserPoolId: userPoolId, Username: 'mallory', TemporaryPassword: 'Passw0rd!mallory', MessageAction: 'SUPPRESS',
    })
    expect(created.status).toBe(400)
    expect(created.body.__type).toBe('UnknownOperationException')
    expect(created.body.message).toContain('AdminCreateUser is not one of them')
    for (const operation of ['AdminSetUserPassword', 'ListUsers', 'CreateUserPool', 'DeleteUserPool', 'AdminAddUserToGroup']) {
      expect((await jsonCall(backend.urls.userPool, `${IDP}.${operation}`, { UserPoolId: userPoolId })).status, operation).toBe(400)
    }
    // Not created: cognito-local itself (trusted code may call it directly) does not know mallory.
    const lookup = await jsonCall(backend.urls.cognito, `${IDP}.AdminGetUser`, { UserPoolId: userPoolId, Username: 'mallory' })
    expect(lookup.body.__type).toBe('UserNotFoundException')

    const signIn = await jsonCall(backend.urls.userPool, `${IDP}.InitiateAuth`, {
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: backend.amplify.auth.userPoolClientId, AuthParameters: { USERNAME: 'carol', PASSWORD: 'Passw0rd!carol' },
    })
    expect(signIn.status).toBe(200)
    const accessToken = (signIn.body.AuthenticationResult as { AccessToken: string }).AccessToken
    expect((await jsonCall(backend.urls.userPool, `${IDP}.GetUser`, { AccessToken: accessToken })).body.Username).toBe('carol')
    const jwks = await fetch(`${backend.urls.userPool}/${userPoolId}/.well-known/jwks.json`)
    expect(jwks.status).toBe(200)
    expect(((await jwks.json()) as { keys: unknown[] }).keys.length).toBe(1)
  })
})
