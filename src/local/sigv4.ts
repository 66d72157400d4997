// SigV4 verification for the `iam` API, done the way API Gateway does it:
// look the key up, check token, expiry and clock skew, then sign the request
// again from exactly the headers the client said it signed and compare.
//
// Canonical path and query: Amplify's signer double-encodes `URL.pathname`
// and sorts the decoded `URL.searchParams`, re-escaping them; smithy's
// SignatureV4 (default `uriEscapePath: true`) does the same given the raw path
// and the decoded query, so the raw request target is handed over unchanged.
// (smithy also drops empty path segments (`//`) and escapes `!'()*` in the
// path where Amplify does not; paths using those will not verify.)

import { createHash, timingSafeEqual } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import type { CredentialStore, StoredCredential } from './credentials'
import { headerValue, type RawRequest } from './http'

const ALGORITHM = 'AWS4-HMAC-SHA256'
const MAX_SKEW_MS = 5 * 60 * 1000
const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. '
  + 'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'

export type SigV4Check
  = | { ok: true, credential: StoredCredential }
    | { ok: false, message: string, errorType: string, reason: string }

const reject = (errorType: string, message: string, reason: string): SigV4Check => ({ ok: false, errorType, message, reason })

/** `20240102T030405Z` → Date, or undefined when it isn't that shape. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[]
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!))
  return Number.isNaN(date.getTime()) ? undefined : date
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** Decoded query in smithy's shape: repeated keys become arrays. */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const existing = query[key]
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return query
}

/**
 * `s3: true` checks the way S3 does (the local storage server): the path is signed as sent (no second
 * encoding, Amplify's `uriEscapePath: false`), and `x-amz-content-sha256: UNSIGNED-PAYLOAD` is accepted
 * (Amplify sends it for Blob/File bodies; the signature then covers that header, not the body).
 */
export async function verifySigV4(request: RawRequest, opts: { store: CredentialStore, region: string, now?: Date, service?: string, s3?: boolean }): Promise<SigV4Check> {
  const now = opts.now ?? new Date()
  const authorization = headerValue(request.headers, 'authorization')
  if (!authorization) return reject('MissingAuthenticationTokenException', 'Missing Authentication Token', 'no Authorization header')
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    return reject('IncompleteSignatureException', `Authorization header requires '${ALGORITHM}' signature`, 'Authorization is not an AWS4-HMAC-SHA256 signature')
  }

  const fields: Record<string, string> = {}
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  const { Credential: credentialField, SignedHeaders: signedHeadersField, Signature: signature } = fields
  if (!credentialField || !signedHeadersField || !signature) {
    return reject('IncompleteSignatureException', 'Authorization header requires \'Credential\', \'SignedHeaders\' and \'Signature\' parameters.', 'incomplete Authorization header')
  }
  const scope = credentialField.split('/')
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    return reject('IncompleteSignatureException', 'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term', 'malformed credential scope')
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService] = scope as [string, string, string, string]

  const credential = opts.store.get(accessKeyId)
  if (!credential) return reject('UnrecognizedClientException', 'The security token included in the request is invalid.', 'unknown access key id')
  const sessionToken = headerValue(request.headers, 'x-amz-security-token')
  if (sessionToken !== credential.sessionToken) {
    return reject('UnrecognizedClientException', 'The security token included in the request is invalid.',
      sessionToken ? 'x-amz-security-token does not belong to the access key' : 'no x-amz-security-token header')
  }
  if (credential.expiration.getTime() <= now.getTime()) {
    return reject('ExpiredTokenException', 'The security token included in the request is expired', 'credentials expired')
  }

  const amzDateHeader = headerValue(request.headers, 'x-amz-date')
  const signingDate = amzDateHeader ? parseAmzDate(amzDateHeader) : undefined
  if (!amzDateHeader || !signingDate) {
    return reject('IncompleteSignatureException', 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.', 'missing or malformed x-amz-date')
  }
  const skew = signingDate.getTime() - now.getTime()
  if (skew < -MAX_SKEW_MS) {
    return reject('InvalidSignatureException',
      `Signature expired: ${amzDateHeader} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_SKEW_MS))} (${formatAmzDate(now)} - 5 min.)`,
      'x-amz-date is more than 5 minutes in the past')
  }
  if (skew > MAX_SKEW_MS) {
    return reject('InvalidSignatureException',
      `Signature not yet current: ${amzDateHeader} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_SKEW_MS))} (${formatAmzDate(now)} + 5 min.)`,
      'x-amz-date is more than 5 minutes in the future')
  }
  if (scopeDate !== amzDateHeader.slice(0, 8)) {
    return reject('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDateHeader.slice(0, 8)}'`, 'credential scope date differs from x-amz-date')
  }
  const service = opts.service ?? 'execute-api'
  if (scopeService !== service) {
    return reject('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`, `credential scope service is ${scopeService}`)
  }
  if (scopeRegion !== opts.region) {
    return reject('InvalidSignatureException', `Credential should be scoped to a valid region, not '${scopeRegion}'.`, `credential scope region is ${scopeRegion}, expected ${opts.region}`)
  }

  const signedHeaders = signedHeadersField.split(';').map(name => name.trim().toLowerCase()).filter(Boolean)
  if (!signedHeaders.includes('host')) {
    return reject('IncompleteSignatureException', '\'Host\' or \':authority\' must be a \'SignedHeader\' in the AWS Authorization.', 'host header not signed')
  }
  const headers: Record<string, string> = {}
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name)
    if (value === undefined) return reject('InvalidSignatureException', SIGNATURE_MISMATCH, `signed header "${name}" is missing from the request`)
    headers[name] = value
  }
  // A signed content hash stands in for the body in the signature, so it must match the body.
  // `UNSIGNED-PAYLOAD` would leave the body out of the signature (anyone on the way could change it):
  // refused, as the body of an API call must be covered by its signature.
  const contentHash = headers['x-amz-content-sha256']
  if (headerValue(request.headers, 'x-amz-content-sha256') === 'UNSIGNED-PAYLOAD' && !opts.s3) {
    return reject('InvalidSignatureException', 'x-amz-content-sha256: UNSIGNED-PAYLOAD is not accepted: sign the request body (its SHA-256 hex digest).', 'unsigned payload')
  }
  if (opts.s3 && !contentHash) {
    return reject('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 'x-amz-content-sha256 not signed')
  }
  if (contentHash && contentHash !== 'UNSIGNED-PAYLOAD' && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return reject('InvalidSignatureException', SIGNATURE_MISMATCH, 'x-amz-content-sha256 does not match the body')
  }

  const signer = new SignatureV4({
    service: scopeService,
    region: scopeRegion,
    sha256: Sha256,
    // Only what the client sent: a session token or content hash it didn't sign must not be added.
    applyChecksum: false,
    uriEscapePath: !opts.s3,
    credentials: {
      accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      ...(signedHeaders.includes('x-amz-security-token') ? { sessionToken: credential.sessionToken } : {}),
    },
  })
  const signed = await signer.sign({
    method: request.method.toUpperCase(),
    protocol: 'http:',
    hostname: headers.host ?? 'localhost',
    path: request.rawPath || '/',
    query: parseQuery(request.rawQuery),
    headers,
    body: request.body.length ? request.body : undefined,
  }, {
    signingDate,
    signingRegion: scopeRegion,
    signingService: scopeService,
    // Makes smithy sign headers it would skip by default (user-agent, ...) when the client signed them.
    signableHeaders: new Set(signedHeaders),
  })
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? ''
  const given = Buffer.from(signature, 'utf8')
  const computed = Buffer.from(expected, 'utf8')
  if (given.length !== computed.length || !timingSafeEqual(given, computed)) {
    return reject('InvalidSignatureException', SIGNATURE_MISMATCH, 'signature mismatch')
  }
  return { ok: true, credential }
}
