// An S3 stand-in for Gen 2 Storage (aws-amplify/storage: uploadData, downloadData, list, remove,
// getProperties), opt-in: `startLocalBackend({ storage: true })`. One bucket, served over HTTPS under
// the name Amplify builds for it, `<bucket>.s3.<region>.amazonaws.com` (virtual-host style): Amplify's
// own test endpoint (`Storage.S3.dangerouslyConnectToHttpEndpointForTesting`) cannot be used, as
// aws-amplify 6.22 (@aws-amplify/storage 6.17) refuses its own `http://localhost:20005` with
// InvalidCustomEndpoint. So the client must resolve that name to this server (Chromium
// `--host-resolver-rules`, a Node `tls.connect` mapping) and trust its certificate (made at start).
// Every request is SigV4-verified as S3 does it (service `s3`, the path signed as sent,
// `UNSIGNED-PAYLOAD` accepted) against the credentials the local identity pool issued, and authorized
// by the identity they belong to, with the rules of the Gen 2 `defineStorage` below:
//   'public/*':               guest read; signed-in read, write, delete
//   'protected/{entity_id}/*': signed-in read; the identity itself read, write, delete
//   'private/{entity_id}/*':   the identity itself read, write, delete
// (entity rules apply to signed-in identities only, as Gen 2 grants them to the authenticated role)
// Operations: PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 (no multipart: uploadData
// sends files under 5 MiB in one PutObject).
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CredentialStore, StoredCredential } from './credentials'
import { corsOrigin, listenOnFreePort, readBody, requestRefusal, sendPreflight, type RawRequest, type RequestPolicy } from './http'
import { makeCertificate } from './oauth'
import { verifySigV4 } from './sigv4'

export type S3Operation = 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject' | 'ListObjectsV2'

/** One request as the storage server received it: the operation, who signed it, and the outcome. */
export interface LocalStorageRequest {
  operation: S3Operation | null
  /** Object key, or the list prefix. */
  key: string
  /** The identity whose credentials signed the request (null when the signature did not verify). */
  identityId: string | null
  role: 'guest' | 'authenticated' | null
  username: string | null
  /** The request's x-amz-content-sha256 (a hex digest, or UNSIGNED-PAYLOAD). */
  contentSha256?: string
  status: number
  reason?: string
}

export interface LocalStorageObject { body: Buffer, contentType: string, etag: string, lastModified: Date, uploadedBy: string }

export interface StorageServerOptions {
  host: string
  dir: string
  bucket: string
  region: string
  store: CredentialStore
  policy: RequestPolicy
  objects: Map<string, LocalStorageObject>
  requests: LocalStorageRequest[]
}

type Access = 'read' | 'write' | 'delete'

/** The Gen 2 rules above, for one key (or list prefix) and the identity that signed. */
export function storageAllows(credential: Pick<StoredCredential, 'role' | 'identityId'>, key: string, access: Access): boolean {
  const [area, owner] = key.split('/', 2)
  // `allow.entity('identity')` is granted to the signed-in role only (a guest identity owns no folder).
  const self = credential.role === 'authenticated' && owner === credential.identityId && key.startsWith(`${area}/${owner}/`)
  switch (area) {
    case 'public': return access === 'read' || credential.role === 'authenticated'
    case 'protected': return self || (access === 'read' && credential.role === 'authenticated')
    case 'private': return self
    default: return false
  }
}

/** May this identity list under `prefix`? Only within one area it may read (S3's `s3:prefix` condition). */
export function storageListAllows(credential: Pick<StoredCredential, 'role' | 'identityId'>, prefix: string): boolean {
  if (prefix === 'public/' || prefix.startsWith('public/')) return storageAllows(credential, 'public/x', 'read')
  if (prefix === 'protected/' || prefix.startsWith('protected/')) {
    return credential.role === 'authenticated'
  }
  return prefix.startsWith('private/') && storageAllows(credential, prefix.endsWith('/') ? `${prefix}x` : prefix, 'read')
}

const xmlEscape = (text: string) => text.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`)
/** S3's `encoding-type=url`: keys percent-encoded (slashes kept), as Amplify's list decodes them. */
const urlEncodeKey = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/')

export async function startStorageServer(opts: StorageServerOptions): Promise<{ url: string, port: number, host: string, certificate: string, close: () => Promise<void> }> {
  const host = `${opts.bucket}.s3.${opts.region}.amazonaws.com`
  const { key: tlsKey, cert } = await makeCertificate(opts.dir, opts.host, { file: 'storage', what: 'The storage server (storage: true)', dnsNames: [host] })
  const exposed = 'etag, content-length, content-type, last-modified, x-amz-request-id, x-amz-version-id, x-amz-meta-*, accept-ranges'

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
    const payload = typeof body === 'string' ? Buffer.from(body) : body
    res.writeHead(status, {
      'access-control-allow-origin': corsOrigin(req),
      'access-control-expose-headers': exposed,
      'vary': 'Origin',
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      ...(payload.length || !headers['content-length'] ? { 'content-length': String(payload.length) } : {}),
      ...headers,
    })
    res.end(req.method === 'HEAD' ? undefined : payload)
  }
  const error = (req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string) =>
    send(req, res, status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`, { 'content-type': 'application/xml' })

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2)
    const query = new URLSearchParams(rawQuery)
    if (req.method === 'OPTIONS') return sendPreflight(req, res, { methods: 'GET,HEAD,PUT,DELETE', exposeHeaders: exposed })
    const key = decodeURIComponent(rawPath.slice(1))
    const operation: S3Operation | null = !key
      ? (req.method === 'GET' && query.get('list-type') === '2' ? 'ListObjectsV2' : null)
      : ({ PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as Record<string, S3Operation>)[req.method ?? ''] ?? null
    const body = await readBody(req, 6 * 1024 * 1024)
    const raw: RawRequest = { method: req.method ?? 'GET', rawPath, rawQuery, headers: req.headers, body }
    const subject = operation === 'ListObjectsV2' ? query.get('prefix') ?? '' : key
    const contentSha256 = typeof req.headers['x-amz-content-sha256'] === 'string' ? req.headers['x-amz-content-sha256'] : undefined
    const record = (status: number, credential: StoredCredential | undefined, reason?: string) => opts.requests.push({
      operation,
      key: subject,
      identityId: credential?.identityId ?? null,
      role: credential?.role ?? null,
      username: credential?.username ?? null,
      ...(contentSha256 === undefined ? {} : { contentSha256 }),
      status,
      ...(reason === undefined ? {} : { reason }),
    })
    const check = await verifySigV4(raw, { store: opts.store, region: opts.region, service: 's3', s3: true })
    if (!check.ok) {
      record(403, undefined, check.reason)
      const code = check.errorType === 'UnrecognizedClientException' ? 'InvalidAccessKeyId' : check.errorType === 'ExpiredTokenException' ? 'ExpiredToken' : 'SignatureDoesNotMatch'
      return error(req, res, 403, code, check.message)
    }
    const credential = check.credential
    if (!operation) {
      record(501, credential, `${req.method} ${rawPath}?${rawQuery} is not served`)
      return error(req, res, 501, 'NotImplemented', 'The local storage server serves PutObject, GetObject, HeadObject, DeleteObject and ListObjectsV2 only.')
    }
    const access: Access = operation === 'PutObject' ? 'write' : operation === 'DeleteObject' ? 'delete' : 'read'
    const allowed = operation === 'ListObjectsV2' ? storageListAllows(credential, subject) : storageAllows(credential, key, access)
    if (!allowed) {
      record(403, credential, `${credential.role} identity may not ${operation === 'ListObjectsV2' ? 'list' : access} ${subject || '(no prefix)'}`)
      return error(req, res, 403, 'AccessDenied', 'Access Denied')
    }
    const stored = opts.objects.get(key)
    switch (operation) {
      case 'PutObject': {
        const md5 = req.headers['content-md5']
        if (typeof md5 === 'string' && md5 !== createHash('md5').update(body).digest('base64')) {
          record(400, credential, 'Content-MD5 does not match the body')
          return error(req, res, 400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.')
        }
        const etag = `"${createHash('md5').update(body).digest('hex')}"`
        opts.objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), etag, lastModified: new Date(), uploadedBy: credential.identityId })
        record(200, credential)
        return send(req, res, 200, '', { etag })
      }
      case 'GetObject':
      case 'HeadObject':
        if (!stored) {
          record(404, credential, 'no such key')
          return error(req, res, 404, 'NoSuchKey', 'The specified key does not exist.')
        }
        record(200, credential)
        return send(req, res, 200, stored.body, { 'content-type': stored.contentType, 'etag': stored.etag, 'last-modified': stored.lastModified.toUTCString(), 'content-length': String(stored.body.length), 'accept-ranges': 'bytes' })
      case 'DeleteObject':
        opts.objects.delete(key)
        record(204, credential)
        return send(req, res, 204, '')
      case 'ListObjectsV2': {
        const encode = query.get('encoding-type') === 'url' ? urlEncodeKey : (text: string) => text
        const max = Math.min(Number(query.get('max-keys') ?? 1000) || 1000, 1000)
        const after = query.get('continuation-token') ?? query.get('start-after') ?? ''
        const keys = [...opts.objects.keys()].filter(k => k.startsWith(subject) && k > after).sort()
        const page = keys.slice(0, max)
        const truncated = keys.length > page.length
        const contents = page.map((k) => {
          const object = opts.objects.get(k)!
          return `<Contents><Key>${xmlEscape(encode(k))}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
        }).join('')
        record(200, credential)
        return send(req, res, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${opts.bucket}</Name><Prefix>${xmlEscape(encode(subject))}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${xmlEscape(page.at(-1)!)}</NextContinuationToken>` : ''}${query.get('encoding-type') === 'url' ? '<EncodingType>url</EncodingType>' : ''}${contents}</ListBucketResult>`, { 'content-type': 'application/xml' })
      }
    }
  }

  const server: Server = createServer({ key: tlsKey, cert }, (req, res) => {
    // Only the bucket's own name: a page whose name was rebound to 127.0.0.1 is refused (as http.ts does for loopback).
    const named = String(req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '') === host
    const refusal = named ? requestRefusal('localhost', req.headers.origin, opts.policy) : `Local backend: the storage server answers requests for Host ${host} only`
    if (refusal) {
      res.writeHead(403, { 'content-type': 'text/plain' })
      return res.end(refusal)
    }
    handle(req, res).catch(() => {
      if (!res.headersSent) error(req, res, 500, 'InternalError', 'Internal error in the local storage server')
      else res.destroy()
    })
  })
  const port = await listenOnFreePort(server, opts.host, 'the storage server')
  return {
    port,
    host,
    url: `https://${host}`,
    certificate: cert.toString('utf8'),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
