// Checks a user-pool token before the server treats it as a session, as an API Gateway Cognito
// authorizer would: RS256 signature against the pool's JWKS (fetched once per pool and cached by
// jose, re-fetched when a token names an unknown key), issuer, audience / client_id, token_use.
// Expiry is reported, not refused: an expired but genuine token goes on to Amplify's refresh.
// No Nuxt imports; the JWKS source can be injected for tests. A key set that cannot be loaded is
// not asked again for a while: token checks fail at once (guest) instead of each waiting on it.
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose'
import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import { consola } from 'consola'

export type TokenUse = 'id' | 'access'

export interface UserPoolTokenConfig {
  region: string
  userPoolId: string
  userPoolClientId: string
  /** Custom user pool endpoint (an emulator): the JWKS is read from it. */
  userPoolEndpoint?: string
  /** The tokens' `iss`; default the AWS user pool's issuer. */
  userPoolIssuer?: string
}

export type TokenVerdict
  = | { ok: true, payload: JWTPayload, expired: boolean }
    | { ok: false, reason: string }

export type UserPoolTokenVerifier = (token: string, use: TokenUse) => Promise<TokenVerdict>

export function expectedIssuer(config: UserPoolTokenConfig): string {
  return config.userPoolIssuer || `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`
}

export function jwksUrl(config: UserPoolTokenConfig): string {
  const base = config.userPoolEndpoint ? `${config.userPoolEndpoint.replace(/\/+$/, '')}/${config.userPoolId}` : expectedIssuer(config)
  return `${base}/.well-known/jwks.json`
}

/** The pool's key set could not be loaded (network, HTTP status, not a key set). */
class KeysUnavailable extends Error {}

/** One key set per JWKS URL for the whole process: keys are public, so sharing them leaks nothing. */
const keySets = new Map<string, JWTVerifyGetKey>()
/** After a failed load of a key set, token checks fail at once for this long instead of each waiting for it. */
export const KEYS_RETRY_MS = 30_000
const log = consola.withTag('nuxt-amplify-rest')

function remoteKeys(url: string): JWTVerifyGetKey {
  let keys = keySets.get(url)
  if (!keys) {
    const remote = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000 })
    let failedAt: number | undefined
    keys = async (header, token) => {
      if (failedAt !== undefined && Date.now() - failedAt < KEYS_RETRY_MS)
        throw new KeysUnavailable(`the key set failed to load less than ${KEYS_RETRY_MS / 1000} s ago`)
      try {
        const key = await remote(header, token)
        failedAt = undefined
        return key
      }
      catch (error) {
        // A key set that loaded but has no such key is the token's problem, not the pool's.
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error
        if (failedAt === undefined) log.warn(`the user pool's keys at ${url} could not be loaded (${(error as Error)?.message}); token cookies count as guests until they load (retried after ${KEYS_RETRY_MS / 1000} s)`)
        failedAt = Date.now()
        throw new KeysUnavailable((error as Error)?.message ?? String(error))
      }
    }
    keySets.set(url, keys)
  }
  return keys
}

export function createUserPoolTokenVerifier(config: UserPoolTokenConfig, keys: JWTVerifyGetKey = remoteKeys(jwksUrl(config))): UserPoolTokenVerifier {
  const issuer = expectedIssuer(config)
  const fail = (reason: string): TokenVerdict => ({ ok: false, reason })
  return async (token, use) => {
    let payload: JWTPayload
    let expired = false
    try {
      decodeProtectedHeader(token)
    }
    catch {
      return fail('not a JWT')
    }
    try {
      // The server's own clock decides expiry: no tolerance, and nothing the client sends (such as
      // Amplify's clockDrift cookie) shifts it.
      ({ payload } = await jwtVerify(token, keys, { issuer, algorithms: ['RS256'] }))
    }
    catch (error) {
      // jose checks the signature and the issuer before expiry, so an expired token here is genuine.
      if (error instanceof errors.JWTExpired) {
        payload = error.payload
        expired = true
      }
      else if (error instanceof errors.JWKSNoMatchingKey) return fail('signature: no key of the user pool matches the token')
      else if (error instanceof errors.JWSSignatureVerificationFailed) return fail('signature: not signed by the user pool')
      else if (error instanceof errors.JWTClaimValidationFailed) return fail(`claim "${error.claim}": ${error.reason}`)
      else if (error instanceof errors.JOSEAlgNotAllowed) return fail('signature: algorithm not allowed')
      else if (error instanceof KeysUnavailable || error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) return fail(`the user pool's keys could not be loaded (${(error as Error)?.message})`)
      else return fail(`invalid token (${(error as { code?: string }).code ?? 'error'})`)
    }
    if (payload.token_use !== use) return fail(`token_use is ${JSON.stringify(payload.token_use ?? null)}; expected "${use}"`)
    if (use === 'id') {
      const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
      if (!audience.includes(config.userPoolClientId)) return fail('aud is not this app client')
    }
    else if (payload.client_id !== config.userPoolClientId) {
      return fail('client_id is not this app client')
    }
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return fail('no sub or exp')
    return { ok: true, payload, expired }
  }
}
