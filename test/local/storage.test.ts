// Amplify's real Storage client (aws-amplify/storage) in Node against the local S3 stand-in
// (startLocalBackend({ storage: true })): every request SigV4-verified for service s3 with the
// identity pool's credentials, and the Gen 2 access rules enforced per identity. The S3 host name is
// mapped to the server by test/utils/s3-host.mjs (no change to what Amplify sends).
import { createHash } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth'
import { downloadData, getProperties, list, remove, uploadData } from 'aws-amplify/storage'
import { signRequest } from '@aws-amplify/core/internals/aws-client-utils'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifyConfigFor } from '../utils/local-helpers'
import { mapStorageHost } from '../utils/s3-host.mjs'

let backend: LocalBackend
let unmap: () => void

beforeAll(async () => {
  backend = await startLocalBackend({ storage: true, startupTimeout: 60_000 })
  unmap = mapStorageHost(backend.storage!)
  Amplify.configure({ ...amplifyConfigFor(backend), Storage: { S3: { bucket: backend.storage!.bucket, region: backend.storage!.region } } })
})
afterEach(async () => {
  await signOut()
})
afterAll(async () => {
  unmap?.()
  await backend?.stop()
})

async function signInAs(username: string): Promise<string> {
  const user = backend.users.find(candidate => candidate.username === username)!
  await signIn({ username: user.username, password: user.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } })
  return (await fetchAuthSession()).identityId!
}
const errorOf = (promise: Promise<unknown>) => promise.then(() => 'no error', (error: Error) => `${error.name}: ${error.message}`)

describe('the local storage server with Amplify Storage', () => {
  it('a signed-in user uploads, reads, lists and removes a private file; the server saw their identity and a valid signature', async () => {
    const identityId = await signInAs('alice')
    const path = `private/${identityId}/note.txt`
    await uploadData({ path: ({ identityId }) => `private/${identityId}/note.txt`, data: 'hello from alice', options: { contentType: 'text/plain' } }).result
    expect(backend.storage!.requests.at(-1)).toMatchObject({ operation: 'PutObject', key: path, identityId, role: 'authenticated', username: 'alice', status: 200 })
    expect(backend.storage!.requests.at(-1)!.contentSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(backend.storage!.objects.get(path)?.body.toString()).toBe('hello from alice')

    const start = backend.storage!.requests.length
    const { body } = await downloadData({ path }).result
    expect(await body.text()).toBe('hello from alice')
    expect(await getProperties({ path })).toMatchObject({ path, size: 16, contentType: 'text/plain' })
    const { items } = await list({ path: ({ identityId }) => `private/${identityId}/` })
    expect(items.map(item => item.path)).toEqual([path])
    await remove({ path })
    expect(backend.storage!.objects.has(path)).toBe(false)
    const seen = backend.storage!.requests.slice(start)
    expect(new Set(seen.map(r => r.operation))).toEqual(new Set(['GetObject', 'HeadObject', 'ListObjectsV2', 'DeleteObject']))
    expect(seen.every(r => r.username === 'alice' && r.identityId === identityId && r.status < 300)).toBe(true)
  })

  it('another user is refused a private file, a guest cannot write, and both read public files', async () => {
    const aliceId = await signInAs('alice')
    await uploadData({ path: `private/${aliceId}/secret.txt`, data: 'alice only' }).result
    await uploadData({ path: 'public/hello.txt', data: 'for everyone' }).result
    await signOut()

    const bobId = await signInAs('bob')
    expect(await errorOf(downloadData({ path: `private/${aliceId}/secret.txt` }).result)).toBe('AccessDenied: Access Denied')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ operation: 'GetObject', identityId: bobId, username: 'bob', status: 403 })
    expect(await errorOf(list({ path: `private/${aliceId}/` }))).toBe('AccessDenied: Access Denied')
    expect(await errorOf(uploadData({ path: `private/${aliceId}/secret.txt`, data: 'overwritten' }).result)).toBe('AccessDenied: Access Denied')
    expect(backend.storage!.objects.get(`private/${aliceId}/secret.txt`)?.body.toString()).toBe('alice only')
    expect(await (await downloadData({ path: 'public/hello.txt' }).result).body.text()).toBe('for everyone')
    await signOut()

    const guestId = (await fetchAuthSession()).identityId!
    expect(await errorOf(uploadData({ path: 'public/guest.txt', data: 'x' }).result)).toBe('AccessDenied: Access Denied')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ operation: 'PutObject', identityId: guestId, role: 'guest', status: 403 })
    expect(await errorOf(downloadData({ path: `private/${aliceId}/secret.txt` }).result)).toBe('AccessDenied: Access Denied')
    expect((await list({ path: 'public/' })).items.map(item => item.path)).toContain('public/hello.txt')
  })

  it('refuses a request whose signature or body does not match, and unknown credentials', async () => {
    const { credentials } = await fetchAuthSession()
    const url = new URL(`https://${backend.storage!.host}/public/forged.txt?x-id=PutObject`)
    const sha256 = (body: string) => createHash('sha256').update(body).digest('hex')
    const sign = (body: string) => signRequest({ url, method: 'PUT', headers: { 'x-amz-content-sha256': sha256(body) }, body }, { credentials: credentials!, signingRegion: backend.storage!.region, signingService: 's3', uriEscapePath: false })
    const send = (headers: Record<string, string>, body: string) => {
      const { host: _host, ...rest } = headers
      return fetch(url, { method: 'PUT', headers: rest, body })
    }
    // The guest may not write: a valid signature gets AccessDenied, not a signature error.
    expect(await (await send(sign('x').headers, 'x')).text()).toContain('<Code>AccessDenied</Code>')
    const tampered = sign('x').headers
    tampered.authorization = tampered.authorization!.replace(/Signature=([0-9a-f])/, (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`)
    const refused = await send(tampered, 'x')
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ identityId: null, status: 403, reason: 'signature mismatch' })
    // A body other than the one whose hash was signed.
    expect(await (await send(sign('x').headers, 'y')).text()).toContain('<Code>SignatureDoesNotMatch</Code>')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ identityId: null, status: 403, reason: 'x-amz-content-sha256 does not match the body' })
    const stranger = signRequest({ url, method: 'PUT', headers: { 'x-amz-content-sha256': sha256('x') }, body: 'x' }, { credentials: { accessKeyId: 'ASIAUNKNOWN', secretAccessKey: 'x', sessionToken: credentials!.sessionToken! }, signingRegion: backend.storage!.region, signingService: 's3', uriEscapePath: false })
    expect(await (await send(stranger.headers, 'x')).text()).toContain('<Code>InvalidAccessKeyId</Code>')
  })
})
