// One authorizer per REST auth mode. Status codes and messages follow what API
// Gateway answers, plus a `reason` naming the check that failed, because
// "Unauthorized" alone doesn't tell a test (or a developer) what went wrong.

import { timingSafeEqual } from 'node:crypto'
import type { CredentialStore } from './credentials'
import type { TokenUse, TokenVerifier } from './jwt'
import { headerValue, type RawRequest } from './http'
import { verifySigV4 } from './sigv4'
import type { LocalAuthMode, LocalUser } from './types'

/** Who the caller turned out to be; becomes part of the `/echo` answer and the request record. */
export interface Principal {
  principal: string | null
  username: string | null
  role: 'guest' | 'authenticated' | null
  tokenUse: TokenUse | null
  identityId: string | null
}

export type AuthResult
  = | { ok: true, who: Principal }
    | { ok: false, status: number, errorType: string, message: string, reason: string }

export interface AuthContext {
  apiKey: string
  region: string
  store: CredentialStore
  verifyToken: TokenVerifier
  users: () => LocalUser[]
}

const ANONYMOUS: Principal = { principal: null, username: null, role: null, tokenUse: null, identityId: null }

/** Constant-time string compare, so the local key check doesn't teach a timing side channel by example. */
function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

export async function authorize(mode: LocalAuthMode, tokenUse: TokenUse | undefined, req: RawRequest, ctx: AuthContext): Promise<AuthResult> {
  switch (mode) {
    case 'none':
      return { ok: true, who: ANONYMOUS }

    case 'apiKey': {
      const key = headerValue(req.headers, 'x-api-key')
      if (!key) return { ok: false, status: 403, errorType: 'ForbiddenException', message: 'Forbidden', reason: 'missing x-api-key header' }
      if (!safeEqual(key, ctx.apiKey)) return { ok: false, status: 403, errorType: 'ForbiddenException', message: 'Forbidden', reason: 'invalid API key' }
      return { ok: true, who: { ...ANONYMOUS, principal: 'apiKey' } }
    }

    case 'userPool': {
      const use = tokenUse ?? 'id'
      const raw = headerValue(req.headers, 'authorization')
      if (!raw) return { ok: false, status: 401, errorType: 'UnauthorizedException', message: 'Unauthorized', reason: 'missing Authorization header' }
      const token = raw.replace(/^Bearer\s+/i, '')
      const check = await ctx.verifyToken(token, use)
      if (!check.ok) return { ok: false, status: 401, errorType: 'UnauthorizedException', message: 'Unauthorized', reason: check.reason }
      return { ok: true, who: { ...ANONYMOUS, principal: check.claims.sub, username: check.username, tokenUse: use } }
    }

    case 'custom': {
      const token = headerValue(req.headers, 'authorization')
      if (!token) return { ok: false, status: 401, errorType: 'UnauthorizedException', message: 'Unauthorized', reason: 'missing Authorization header' }
      const user = ctx.users().find(candidate => safeEqual(candidate.customToken, token))
      if (!user) {
        return { ok: false, status: 403, errorType: 'AccessDeniedException', message: 'User is not authorized to access this resource', reason: 'unknown custom token' }
      }
      return { ok: true, who: { ...ANONYMOUS, principal: user.username, username: user.username } }
    }

    case 'iam': {
      const check = await verifySigV4(req, { store: ctx.store, region: ctx.region })
      if (!check.ok) return { ok: false, status: 403, errorType: check.errorType, message: check.message, reason: check.reason }
      const { credential } = check
      return {
        ok: true,
        who: {
          principal: credential.identityId,
          username: credential.username ?? null,
          role: credential.role,
          tokenUse: null,
          identityId: credential.identityId,
        },
      }
    }
  }
}
