// USER_SRP_AUTH in front of cognito-local, which lacks it: the user pool proxy plays Cognito's
// side of SRP for real. On `InitiateAuth` / USER_SRP_AUTH it reads the user's current password from
// cognito-local's own data file (`.cognito/db/<poolId>.json`, which cognito-local rewrites before
// answering each change), derives a salt and verifier from it and answers PASSWORD_VERIFIER
// (SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP). On `RespondToAuthChallenge` / PASSWORD_VERIFIER it
// checks the client's signature; a wrong password gets NotAuthorizedException as from Cognito, the
// right one gets what cognito-local answers USER_PASSWORD_AUTH with the verified password: tokens,
// or the next step (NEW_PASSWORD_REQUIRED, MFA). Each step is recorded in `log`.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { srpServer, verifyPasswordClaim, type SrpServerState } from '../runtime/shared/srp'
import { cognitoCall, CognitoCallError } from './cognito'
import { isRecord, parseJson, sendAwsError, sendJson } from './http'
import type { ProxyCall, ProxyInterceptor } from './refresh-proxy'

/** One SRP step the local user pool took. */
export interface LocalSrpRecord {
  step: 'USER_SRP_AUTH' | 'PASSWORD_VERIFIER'
  username: string
  outcome: 'challenge' | 'verified' | 'refused'
  reason?: string
}

export interface SrpEmulatorOptions {
  cognitoUrl: () => string
  /** The seeded pool and cognito-local's working directory; undefined while the backend starts. */
  pool: () => { userPoolId: string, workDir: string } | undefined
  log: LocalSrpRecord[]
}

interface Pending { state: SrpServerState, srpA: string, password: string, expires: number }

/** Cognito's sign-in sessions last 3 minutes. */
const STEP_MS = 3 * 60_000
const MAX_PENDING = 1000
const JSON_11 = 'application/x-amz-json-1.1'
const WRONG = 'Incorrect username or password.'
/** `Tue Dec 1 04:05:06 UTC 2026`: the TIMESTAMP format Cognito signs. */
const TIMESTAMP = /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d\d:\d\d:\d\d UTC \d{4}$/

/** The user as cognito-local stores it, found by user name or `sub` like cognito-local does. */
async function storedUser(workDir: string, userPoolId: string, username: string): Promise<{ Username: string, Password: string } | undefined> {
  const db = JSON.parse(await readFile(join(workDir, '.cognito', 'db', `${userPoolId}.json`), 'utf8')) as { Users?: Record<string, { Username: string, Password?: string, Attributes?: Array<{ Name: string, Value: string }> }> }
  const users = db.Users ?? {}
  const user = users[username] ?? Object.values(users).find(u => u.Attributes?.some(a => a.Name === 'sub' && a.Value === username))
  return user && typeof user.Password === 'string' ? { Username: user.Username, Password: user.Password } : undefined
}

export function srpEmulator(opts: SrpEmulatorOptions): ProxyInterceptor {
  const pending = new Map<string, Pending>()

  async function initiate({ req, res }: ProxyCall, input: Record<string, unknown>): Promise<void> {
    const params = isRecord(input.AuthParameters) ? input.AuthParameters : {}
    const { USERNAME: username, SRP_A: srpA } = params
    if (typeof username !== 'string' || !username || typeof srpA !== 'string' || !/^[0-9a-f]+$/i.test(srpA))
      return sendAwsError(req, res, 400, 'InvalidParameterException', 'USER_SRP_AUTH needs AuthParameters.USERNAME and AuthParameters.SRP_A (hex)')
    const pool = opts.pool()
    if (!pool) return sendAwsError(req, res, 503, 'InternalErrorException', 'the local user pool is still starting')
    const user = await storedUser(pool.workDir, pool.userPoolId, username)
    if (!user) {
      opts.log.push({ step: 'USER_SRP_AUTH', username, outcome: 'refused', reason: 'no such user' })
      return sendAwsError(req, res, 400, 'NotAuthorizedException', WRONG)
    }
    const now = Date.now()
    for (const [key, step] of pending) if (step.expires < now || pending.size >= MAX_PENDING) pending.delete(key)
    const state = srpServer(pool.userPoolId, user.Username, user.Password)
    const secretBlock = randomBytes(96).toString('base64')
    pending.set(secretBlock, { state, srpA, password: user.Password, expires: now + STEP_MS })
    opts.log.push({ step: 'USER_SRP_AUTH', username: user.Username, outcome: 'challenge' })
    sendJson(req, res, 200, {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: { SALT: state.salt, SECRET_BLOCK: secretBlock, SRP_B: state.B.toString(16), USERNAME: user.Username, USER_ID_FOR_SRP: user.Username },
    }, {}, JSON_11)
  }

  async function verify({ req, res }: ProxyCall, input: Record<string, unknown>): Promise<void> {
    const answers = isRecord(input.ChallengeResponses) ? input.ChallengeResponses : {}
    const { USERNAME: username, PASSWORD_CLAIM_SECRET_BLOCK: block, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp } = answers
    if (typeof username !== 'string' || typeof block !== 'string' || typeof signature !== 'string' || typeof timestamp !== 'string')
      return sendAwsError(req, res, 400, 'InvalidParameterException', 'PASSWORD_VERIFIER needs USERNAME, PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE and TIMESTAMP')
    if (!TIMESTAMP.test(timestamp))
      return sendAwsError(req, res, 400, 'InvalidParameterException', `TIMESTAMP must look like "Tue Dec 1 04:05:06 UTC 2026", not ${JSON.stringify(timestamp.slice(0, 40))}`)
    const step = pending.get(block)
    pending.delete(block)
    const refuse = (reason: string) => {
      opts.log.push({ step: 'PASSWORD_VERIFIER', username, outcome: 'refused', reason })
      sendAwsError(req, res, 400, 'NotAuthorizedException', WRONG)
    }
    if (!step || step.expires < Date.now()) return refuse('unknown or expired SECRET_BLOCK')
    if (step.state.userId !== username) return refuse('USERNAME is not the USER_ID_FOR_SRP of this step')
    if (!verifyPasswordClaim(step.state, step.srpA, block, timestamp, signature)) return refuse('wrong password signature')
    opts.log.push({ step: 'PASSWORD_VERIFIER', username, outcome: 'verified' })
    try {
      const out = await cognitoCall(opts.cognitoUrl(), 'InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: input.ClientId,
        AuthParameters: { USERNAME: username, PASSWORD: step.password },
        ...(isRecord(input.ClientMetadata) ? { ClientMetadata: input.ClientMetadata } : {}),
      })
      sendJson(req, res, 200, out, {}, JSON_11)
    }
    catch (error) {
      if (error instanceof CognitoCallError) return sendAwsError(req, res, error.status, error.type, error.awsMessage)
      sendAwsError(req, res, 502, 'InternalErrorException', 'cognito-local is not reachable')
    }
  }

  return async (call) => {
    if (call.operation !== 'InitiateAuth' && call.operation !== 'RespondToAuthChallenge') return false
    const input = parseJson(call.body)
    if (!isRecord(input)) return false
    if (call.operation === 'InitiateAuth' && input.AuthFlow === 'USER_SRP_AUTH') await initiate(call, input)
    else if (call.operation === 'RespondToAuthChallenge' && input.ChallengeName === 'PASSWORD_VERIFIER') await verify(call, input)
    else return false
    return true
  }
}
