// A Cognito identity pool stand-in (what `Auth.Cognito.identityPoolEndpoint`
// points at): GetId and GetCredentialsForIdentity over JSON 1.1.
//
// Amplify's side, read from @aws-amplify/auth 6.21 / core 6.19:
//  - the Logins map key is the ID token's `iss` with the scheme stripped
//    (`issuer.replace(/(^\w+:|^)\/\//, '')`), i.e. `127.0.0.1:PORT/<poolId>`;
//  - signed out, GetId is sent with `Logins: {}`;
//  - after sign-in Amplify may still hold the guest identity id and calls
//    GetCredentialsForIdentity(guestId, Logins); like Cognito, the answer's
//    IdentityId is the user's identity, which Amplify then stores;
//  - `Credentials.Expiration` is read as epoch seconds (`new Date(Expiration * 1000)`);
//  - the region is parsed from the identity pool id (`us-east-1:<uuid>`).

import { randomUUID } from 'node:crypto'
import type { CredentialStore, StoredCredential } from './credentials'
import { dropConnection, isRecord, listen, parseJson, readBody, sendAwsError, sendJson, sendPreflight, type RequestPolicy, type StartedServer } from './http'
import type { TokenVerifier } from './jwt'
import type { LocalBackendStats } from './types'

const JSON_11 = 'application/x-amz-json-1.1'
const TARGET_PREFIX = 'AWSCognitoIdentityService'

type Identity = { kind: 'guest' } | { kind: 'authenticated', sub: string, username: string }

export interface IdentityPoolOptions {
  host: string
  port: number
  region: string
  identityPoolId: string
  /** Logins key Amplify derives from the issuer. A getter because the pool exists only after startup. */
  providerName: () => string
  verifyToken: TokenVerifier
  store: CredentialStore
  stats: LocalBackendStats
  credentialsTtl: number
  /** `faults.identityDown`: when it returns true, every request is counted and dropped unanswered. */
  isDown?: () => boolean
  /** Which Host / Origin headers are served (see http.ts). */
  policy: RequestPolicy
}

/** Identities live here so the backend can pre-create the ones behind its long-lived role credentials. */
export class IdentityRegistry {
  private readonly identities = new Map<string, Identity>()
  private readonly bySub = new Map<string, string>()

  constructor(private readonly region: string) {}

  newGuest(): string {
    const id = `${this.region}:${randomUUID()}`
    this.identities.set(id, { kind: 'guest' })
    return id
  }

  /** Stable per sub, as with Cognito: the same user always gets the same identity id. */
  forUser(sub: string, username: string, adoptGuest?: string): string {
    const existing = this.bySub.get(sub)
    if (existing) return existing
    // A guest identity that logs in for the first time becomes the user's identity.
    const id = adoptGuest ?? `${this.region}:${randomUUID()}`
    this.identities.set(id, { kind: 'authenticated', sub, username })
    this.bySub.set(sub, id)
    return id
  }

  get(id: string): Identity | undefined {
    return this.identities.get(id)
  }
}

class IdentityError extends Error {
  constructor(readonly type: string, message: string) {
    super(message)
  }
}

export function startIdentityPool(opts: IdentityPoolOptions, registry: IdentityRegistry): Promise<StartedServer> {
  /** Returns the verified user of a Logins map, `undefined` for an empty map, or throws NotAuthorized. */
  const loginUser = async (logins: unknown): Promise<{ sub: string, username: string } | undefined> => {
    if (logins === undefined || logins === null) return undefined
    if (!isRecord(logins)) throw new IdentityError('InvalidParameterException', 'Logins must be a map of provider name to token')
    const entries = Object.entries(logins)
    if (entries.length === 0) return undefined
    const providerName = opts.providerName()
    const [key, token] = entries.find(([name]) => name === providerName) ?? entries[0]!
    if (key !== providerName) {
      throw new IdentityError('NotAuthorizedException', `Invalid login token. Logins key "${key}" is not this pool's provider "${providerName}"`)
    }
    if (typeof token !== 'string') throw new IdentityError('NotAuthorizedException', 'Invalid login token. Not a string')
    const check = await opts.verifyToken(token, 'id')
    if (!check.ok) throw new IdentityError('NotAuthorizedException', `Invalid login token. ${check.reason}`)
    return { sub: check.claims.sub, username: check.username }
  }

  const getId = async (input: Record<string, unknown>) => {
    opts.stats.getId++
    if (input.IdentityPoolId !== opts.identityPoolId) {
      throw new IdentityError('ResourceNotFoundException', `IdentityPool '${String(input.IdentityPoolId)}' not found.`)
    }
    const user = await loginUser(input.Logins)
    return { IdentityId: user ? registry.forUser(user.sub, user.username) : registry.newGuest() }
  }

  const getCredentials = async (input: Record<string, unknown>) => {
    opts.stats.getCredentials++
    const identityId = input.IdentityId
    const identity = typeof identityId === 'string' ? registry.get(identityId) : undefined
    if (typeof identityId !== 'string' || !identity) {
      throw new IdentityError('ResourceNotFoundException', `Identity '${String(identityId)}' not found.`)
    }
    const user = await loginUser(input.Logins)
    let credential: StoredCredential
    if (!user) {
      if (identity.kind !== 'guest') {
        throw new IdentityError('NotAuthorizedException', 'Logins are required for an authenticated identity; unauthenticated access is not allowed for it.')
      }
      credential = opts.store.issue({ role: 'guest', identityId, ttlSeconds: opts.credentialsTtl })
    }
    else {
      if (identity.kind === 'authenticated' && identity.sub !== user.sub) {
        throw new IdentityError('NotAuthorizedException', 'Invalid login token. The token belongs to another user than this identity.')
      }
      const userIdentity = registry.forUser(user.sub, user.username, identity.kind === 'guest' ? identityId : undefined)
      credential = opts.store.issue({ role: 'authenticated', identityId: userIdentity, username: user.username, ttlSeconds: opts.credentialsTtl })
    }
    return {
      IdentityId: credential.identityId,
      Credentials: {
        AccessKeyId: credential.accessKeyId,
        SecretKey: credential.secretAccessKey,
        SessionToken: credential.sessionToken,
        Expiration: credential.expiration.getTime() / 1000,
      },
    }
  }

  return listen(async (req, res) => {
    if (opts.isDown?.()) {
      await readBody(req)
      const target = req.headers['x-amz-target']
      if (req.method === 'POST' && target === `${TARGET_PREFIX}.GetId`) opts.stats.getId++
      if (req.method === 'POST' && target === `${TARGET_PREFIX}.GetCredentialsForIdentity`) opts.stats.getCredentials++
      opts.stats.identityDropped++
      return dropConnection(req)
    }
    if (req.method === 'OPTIONS') return sendPreflight(req, res, { methods: 'POST, OPTIONS', headers: ['content-type', 'x-amz-target', 'x-amz-user-agent'] })
    if (req.method !== 'POST') return sendAwsError(req, res, 405, 'UnknownOperationException', 'Only POST is supported')
    const body = await readBody(req)
    const target = req.headers['x-amz-target']
    const [prefix, operation] = typeof target === 'string' ? target.split('.') : []
    const input = parseJson(body)
    if (!isRecord(input)) return sendAwsError(req, res, 400, 'SerializationException', 'Body is not a JSON object')
    try {
      let output: unknown
      if (prefix === TARGET_PREFIX && operation === 'GetId') output = await getId(input)
      else if (prefix === TARGET_PREFIX && operation === 'GetCredentialsForIdentity') output = await getCredentials(input)
      else return sendAwsError(req, res, 400, 'UnknownOperationException', `Unsupported X-Amz-Target ${String(target)}`)
      sendJson(req, res, 200, output, { 'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype' }, JSON_11)
    }
    catch (error) {
      if (error instanceof IdentityError) return sendAwsError(req, res, 400, error.type, error.message)
      throw error
    }
  }, { host: opts.host, port: opts.port, what: 'identity pool endpoint', option: 'ports.identity', policy: opts.policy })
}
