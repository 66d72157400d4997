// Sending an Amplify REST call in the one-call signing context (signing.ts), to an HTTP server this
// test opens on 127.0.0.1: each method arrives as itself, an `iam` call carries a SigV4 signature
// made with exactly the checked credentials; and the credentials check before it.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuthSession, ResourcesConfig } from '@aws-amplify/core'
import { checkCredentials, sendRest, signingContext } from '../../src/runtime/shared/signing'
import { AmplifyRestError } from '../../src/runtime/shared/errors'
import type { CheckedCredentials, LibraryHeaders, RestMethod } from '../../src/runtime/shared/rest-types'

interface Received { method: string, url: string, authorization?: string, token?: string, custom?: string }
const received: Received[] = []
const server = createServer((req, res) => {
  received.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, token: req.headers['x-amz-security-token'] as string | undefined, custom: req.headers['x-custom'] as string | undefined })
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(req.method === 'HEAD' ? undefined : '{"ok":true}')
  })
})
let resources: ResourcesConfig

beforeAll(async () => {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  resources = { API: { REST: { items: { endpoint: `http://127.0.0.1:${port}/prod`, region: 'eu-west-1' } } } }
})
afterAll(() => new Promise<void>(resolve => server.close(() => resolve())))

const checked: CheckedCredentials = {
  credentials: { accessKeyId: 'AKIACHECKED', secretAccessKey: 'secret', sessionToken: 'session-token', expiration: new Date(Date.now() + 3_600_000) },
  identityId: 'eu-west-1:alice',
}
const headers: LibraryHeaders = async () => ({ 'x-custom': 'from-library-headers' })

describe('sendRest', () => {
  it('sends each method as itself, signed with the checked credentials and with the library headers', async () => {
    const methods: RestMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']
    for (const method of methods) {
      const context = signingContext(resources, checked, headers)
      const operation = sendRest(method, context, { apiName: 'items', path: '/things/1', options: { defaultAuthMode: 'iam', retryStrategy: { strategy: 'no-retry' } } })
      const response = await operation.response
      expect(response.statusCode).toBe(200)
    }
    expect(received.map(r => r.method)).toEqual(methods)
    for (const request of received) {
      expect(request.url).toBe('/prod/things/1')
      expect(request.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIACHECKED\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /)
      expect(request.token).toBe('session-token')
      expect(request.custom).toBe('from-library-headers')
    }
  })
})

describe('checkCredentials', () => {
  const session = (over: Partial<AuthSession>): AuthSession => ({ tokens: undefined, ...over })

  it('resolves to the credentials and identity of the lookup', async () => {
    await expect(checkCredentials('items', async () => session({ credentials: checked.credentials, identityId: 'eu-west-1:alice' })))
      .resolves.toEqual({ credentials: checked.credentials, identityId: 'eu-west-1:alice' })
  })

  it('no credentials (a signed-out user without guest access) is NotSignedInError for iam', async () => {
    const error = await checkCredentials('items', async () => session({})).catch((e: Error) => e)
    expect(error).toMatchObject({ name: 'NotSignedInError', apiName: 'items' })
    expect((error as Error).message).toContain('uses authMode "iam" and there are no credentials')
  })

  it('a failed lookup becomes a typed error that says nothing was sent', async () => {
    const unreachable = await checkCredentials('items', () => Promise.reject(Object.assign(new Error('fetch failed'), { name: 'NetworkError' }))).catch((e: Error) => e)
    expect(unreachable).toMatchObject({ name: 'NetworkError', message: 'items: the identity pool could not be reached for credentials; nothing was sent' })
    const refused = await checkCredentials('items', () => Promise.reject(Object.assign(new Error('Token expired'), { name: 'NotAuthorizedException' }))).catch((e: Error) => e)
    expect(refused).toMatchObject({ name: 'SessionExpiredError' })
    const own = new AmplifyRestError('already typed')
    await expect(checkCredentials('items', () => Promise.reject(own))).rejects.toBe(own)
  })
})

describe('signingContext reuse', () => {
  const fresh = (): CheckedCredentials => ({ credentials: { ...checked.credentials }, identityId: 'eu-west-1:alice' })

  it('another config (another server request) gets its own context for the same credentials', () => {
    const creds = fresh()
    const first = signingContext(resources, creds, headers)
    expect(signingContext({ ...resources }, creds, headers)).not.toBe(first)
  })

  it('another identity with the same credentials object gets its own context', () => {
    const creds = fresh()
    const first = signingContext(resources, creds, headers)
    expect(signingContext(resources, { ...creds, identityId: 'eu-west-1:bob' }, headers)).not.toBe(first)
  })
})
