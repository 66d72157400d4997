// Verifies user-pool tokens the way an API Gateway Cognito authorizer and the
// identity pool do, and says which check failed so tests can assert on it.

import { createLocalJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose'

export type TokenUse = 'id' | 'access'

export interface UserPoolClaims extends JWTPayload {
  'sub': string
  'token_use': TokenUse
  'cognito:username'?: string
  'username'?: string
  'client_id'?: string
  'cognito:groups'?: string[]
}

export type TokenCheck
  = | { ok: true, claims: UserPoolClaims, username: string }
    | { ok: false, reason: string }

export type TokenVerifier = (token: string, use: TokenUse) => Promise<TokenCheck>

/** Loads the pool's JWKS once; cognito-local's key never rotates, so no remote set with refetching is needed. */
export async function fetchJwks(url: string): Promise<JSONWebKeySet> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
  if (!res.ok) throw new Error(`JWKS ${url} answered ${res.status}`)
  return await res.json() as JSONWebKeySet
}

export function createTokenVerifier(opts: { issuer: string, clientId: string, jwks: JSONWebKeySet }): TokenVerifier {
  const keys = createLocalJWKSet(opts.jwks)
  const fail = (reason: string): TokenCheck => ({ ok: false, reason })

  return async (token, use) => {
    let unverified: JWTPayload
    try {
      unverified = decodeJwt(token)
    }
    catch {
      return fail('malformed token: not a JWT')
    }
    // Checked before the signature so a token from another pool gets the precise reason,
    // not just "no matching key".
    if (unverified.iss !== opts.issuer) {
      return fail(`issuer mismatch: token issuer ${JSON.stringify(unverified.iss ?? null)} is not this user pool (${opts.issuer})`)
    }
    let payload: JWTPayload
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: opts.issuer, algorithms: ['RS256'] }))
    }
    catch (error) {
      if (error instanceof errors.JWTExpired) return fail('token expired')
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return fail('signature invalid: no key of the user pool matches the token')
      if (error instanceof errors.JWSSignatureVerificationFailed) return fail('signature invalid: the token was not signed by the user pool')
      if (error instanceof errors.JWTClaimValidationFailed) return fail(`claim "${error.claim}" invalid: ${error.reason}`)
      if (error instanceof errors.JOSEAlgNotAllowed) return fail('signature invalid: algorithm not allowed')
      return fail(`invalid token (${(error as { code?: string }).code ?? 'unknown error'})`)
    }
    if (payload.token_use !== use) {
      return fail(`wrong token_use: got ${JSON.stringify(payload.token_use ?? null)}, this endpoint needs an ${use} token`)
    }
    if (use === 'id') {
      const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
      if (!audience.includes(opts.clientId)) return fail('audience mismatch: aud is not this app client')
    }
    else if (payload.client_id !== opts.clientId) {
      return fail('audience mismatch: client_id is not this app client')
    }
    if (typeof payload.sub !== 'string') return fail('token has no sub')
    const claims = payload as UserPoolClaims
    return { ok: true, claims, username: claims['cognito:username'] ?? claims.username ?? claims.sub }
  }
}
