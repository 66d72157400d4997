// The endpoint Amplify's `userPoolEndpoint` points at. It forwards the operations
// Amplify's client calls (and the pool's public keys) to cognito-local untouched,
// refuses the rest (cognito-local's admin API: AdminCreateUser, CreateUserPool, ...),
// and answers itself the one operation cognito-local lacks:
// Amplify 6.22 refreshes tokens with `GetTokensFromRefreshToken`, which this
// proxy answers by running `InitiateAuth` / `REFRESH_TOKEN_AUTH` instead.
//
// Every request (CORS preflights included) is counted, then flows through
// `intercept`, so a fault (pool "down", slow, failing refreshes) is one more
// interceptor, not a rewrite: `faults.userPoolDown` is one (see backend.ts).

import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { cognitoCall, CognitoCallError } from './cognito'
import { corsOrigin, isRecord, listen, parseJson, readBody, sendAwsError, sendJson, sendPreflight, type RequestPolicy, type StartedServer } from './http'
import type { LocalBackendStats } from './types'

const JSON_11 = 'application/x-amz-json-1.1'
/**
 * Every operation Amplify 6.22's user pool client can send: one per service client factory in
 * @aws-amplify/auth/dist/esm/foundation/factories/serviceClients/cognitoIdentityProvider (create<Op>Client).
 * The admin and pool-management operations are not among them: they take AWS credentials on the real
 * service, and cognito-local answers them to anyone.
 */
export const FORWARDED_OPERATIONS: ReadonlySet<string> = new Set([
  'AssociateSoftwareToken', 'ChangePassword', 'CompleteWebAuthnRegistration', 'ConfirmDevice', 'ConfirmForgotPassword',
  'ConfirmSignUp', 'DeleteUser', 'DeleteUserAttributes', 'DeleteWebAuthnCredential', 'ForgetDevice', 'ForgotPassword',
  'GetTokensFromRefreshToken', 'GetUser', 'GetUserAttributeVerificationCode', 'GlobalSignOut', 'InitiateAuth',
  'ListDevices', 'ListWebAuthnCredentials', 'ResendConfirmationCode', 'RespondToAuthChallenge', 'RevokeToken',
  'SetUserMFAPreference', 'SignUp', 'StartWebAuthnRegistration', 'UpdateDeviceStatus', 'UpdateUserAttributes',
  'VerifySoftwareToken', 'VerifyUserAttribute',
])
/** The pool's public documents, fetched by whoever verifies its tokens against `userPoolEndpoint`. */
const WELL_KNOWN = /^\/[\w-]+\/\.well-known\/(?:jwks\.json|openid-configuration)$/
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length'])

/** What the proxy knows about a request before deciding what to do with it. */
export interface ProxyCall {
  req: IncomingMessage
  res: ServerResponse
  /** Operation from `X-Amz-Target` (e.g. `InitiateAuth`), if any; undefined for CORS preflights. */
  operation: string | undefined
  body: Buffer
}

/**
 * Sees every request, CORS preflights (`req.method === 'OPTIONS'`) included, after it was counted
 * in the stats. Returns true when it answered (or dropped) the request itself; the proxy then does
 * nothing more.
 */
export type ProxyInterceptor = (call: ProxyCall) => boolean | Promise<boolean>

export interface RefreshProxyOptions {
  host: string
  port: number
  /** cognito-local's base URL; a getter because the proxy starts listening before the child is up. */
  cognitoUrl: () => string
  stats: LocalBackendStats
  intercept?: ProxyInterceptor
  policy: RequestPolicy
}

export function startRefreshProxy(opts: RefreshProxyOptions): Promise<StartedServer> {
  return listen(async (req, res) => {
    const isPreflight = req.method === 'OPTIONS'
    const body = await readBody(req)
    const target = req.headers['x-amz-target']
    const operation = !isPreflight && typeof target === 'string' ? target.split('.')[1] : undefined
    const call: ProxyCall = { req, res, operation, body }

    // Counted on arrival, whatever happens next: a test bounds the attempts made while the pool is down.
    if (operation === 'InitiateAuth') countInitiateAuth(body, opts.stats)
    if (operation === 'GetTokensFromRefreshToken') opts.stats.refreshes++
    if (opts.intercept && await opts.intercept(call)) return
    if (isPreflight) return sendPreflight(req, res, { methods: 'GET,HEAD,PUT,PATCH,POST,DELETE' })
    if (operation === 'GetTokensFromRefreshToken') return getTokensFromRefreshToken(call, opts.cognitoUrl())
    const publicKeys = (req.method === 'GET' || req.method === 'HEAD') && WELL_KNOWN.test(req.url ?? '')
    if (!publicKeys && !(req.method === 'POST' && operation && FORWARDED_OPERATIONS.has(operation))) {
      return sendAwsError(req, res, 400, 'UnknownOperationException',
        `The local user pool endpoint forwards only the operations Amplify's client uses; ${operation ? `${operation} is` : `${req.method} ${req.url} is`} not one of them `
        + '(admin operations: call cognito-local itself, at the backend\'s urls.cognito, from trusted code).')
    }
    return forward(call, opts.cognitoUrl())
  }, { host: opts.host, port: opts.port, what: 'user pool proxy', option: 'ports.userPool', policy: opts.policy })
}

function countInitiateAuth(body: Buffer, stats: LocalBackendStats): void {
  stats.initiateAuth++
  const input = parseJson(body)
  if (isRecord(input) && (input.AuthFlow === 'REFRESH_TOKEN_AUTH' || input.AuthFlow === 'REFRESH_TOKEN')) stats.refreshes++
}

/**
 * Maps GetTokensFromRefreshToken onto InitiateAuth. The answer mirrors the real
 * operation: tokens, ExpiresIn, TokenType, and no RefreshToken — Amplify then
 * keeps the refresh token it has (`AuthenticationResult.RefreshToken ?? tokens.refreshToken`),
 * which is also how Cognito behaves without refresh-token rotation.
 */
async function getTokensFromRefreshToken({ req, res, body }: ProxyCall, cognitoUrl: string): Promise<void> {
  const input = parseJson(body)
  if (!isRecord(input) || typeof input.ClientId !== 'string' || typeof input.RefreshToken !== 'string') {
    return sendAwsError(req, res, 400, 'InvalidParameterException', 'ClientId and RefreshToken are required')
  }
  try {
    const out = await cognitoCall<{ AuthenticationResult?: { AccessToken?: string, IdToken?: string } }>(cognitoUrl, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: input.ClientId,
      AuthParameters: {
        REFRESH_TOKEN: input.RefreshToken,
        ...(typeof input.DeviceKey === 'string' ? { DEVICE_KEY: input.DeviceKey } : {}),
      },
      ...(isRecord(input.ClientMetadata) ? { ClientMetadata: input.ClientMetadata } : {}),
    })
    const accessToken = out.AuthenticationResult?.AccessToken
    if (!accessToken) return sendAwsError(req, res, 500, 'InternalErrorException', 'cognito-local returned no access token')
    sendJson(req, res, 200, {
      AuthenticationResult: {
        AccessToken: accessToken,
        IdToken: out.AuthenticationResult?.IdToken,
        ExpiresIn: lifetimeOf(accessToken),
        TokenType: 'Bearer',
      },
    }, {}, JSON_11)
  }
  catch (error) {
    if (error instanceof CognitoCallError) return sendAwsError(req, res, error.status, error.type, error.awsMessage)
    return sendAwsError(req, res, 502, 'InternalErrorException', 'cognito-local is not reachable')
  }
}

function lifetimeOf(jwt: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return typeof payload.exp === 'number' && typeof payload.iat === 'number' ? payload.exp - payload.iat : undefined
  }
  catch {
    return undefined
  }
}

/** Byte-for-byte pass-through (minus hop-by-hop headers), status and headers included. */
function forward({ req, res, body }: ProxyCall, cognitoUrl: string): Promise<void> {
  const target = new URL(cognitoUrl)
  const headers: IncomingHttpHeaders = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value
  }
  headers.host = target.host
  headers['content-length'] = String(body.length)
  return new Promise((resolve) => {
    const upstream = httpRequest({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('error', () => {
        res.destroy()
        resolve()
      })
      answer.on('end', () => {
        const payload = Buffer.concat(chunks)
        const out: Record<string, string | string[]> = {}
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value
        }
        out['content-length'] = String(payload.length)
        // cognito-local answers every origin with `*`; name only the (allowed) caller's.
        out['access-control-allow-origin'] = corsOrigin(req)
        out.vary = 'Origin'
        res.writeHead(answer.statusCode ?? 502, out)
        res.end(payload)
        resolve()
      })
    })
    upstream.on('error', () => {
      sendAwsError(req, res, 502, 'InternalErrorException', 'cognito-local is not reachable')
      resolve()
    })
    upstream.end(body)
  })
}
