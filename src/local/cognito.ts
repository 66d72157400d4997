// cognito-local as a child process, plus seeding it through its own JSON API.
//
// Facts about cognito-local 5.3 this file relies on (read from its lib/):
//  - It reads `./.cognito/config.json` from its working directory and keeps
//    its data in `./.cognito/db`, hence one fresh temp dir per start.
//  - Its default config sets `UserPoolDefaults.UsernameAttributes: ['email']`,
//    which makes AdminCreateUser demand an email as username and store the user
//    under its sub. The config file overrides that with `[]` so `alice` stays `alice`.
//  - The token issuer is `TokenConfig.IssuerDomain + '/' + poolId`, the domain
//    defaulting to `http://$HOST:$PORT`; the JWKS is served at
//    `/<poolId>/.well-known/jwks.json` (one RS256 key, kid `CognitoLocal`).
//  - Token lifetimes come from the app client's IdTokenValidity /
//    AccessTokenValidity in TokenValidityUnits, and it accepts the unit
//    `seconds` (real Cognito's minimum is 5 minutes), so tests can use 2 s tokens.
//  - `InitiateAuth` with REFRESH_TOKEN_AUTH works but returns no RefreshToken;
//    there is no GetTokensFromRefreshToken (see refresh-proxy.ts).

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { LocalBackendError, requestRefusal, type RequestPolicy } from './http'

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService'
const OUTPUT_LINES_KEPT = 30

/**
 * Runs inside the child before cognito-local: it exits when its stdin closes,
 * which happens whenever the parent dies — even by SIGKILL, when no `exit`
 * handler of ours gets to run.
 */
const PARENT_WATCHDOG = [
  'process.stdin.on("data", () => {})',
  'process.stdin.on("end", () => process.exit(0))',
  'process.stdin.on("error", () => process.exit(0))',
]

/**
 * Also runs before cognito-local: the servers' Host / Origin rule (http.ts `requestRefusal`, its
 * source injected as is) in front of every request cognito-local's HTTP server gets. cognito-local
 * itself answers any Host and any origin (`cors({ origin: '*' })`), admin API included.
 */
const REQUEST_GUARD = [
  `const refuse = (${requestRefusal.toString()})`,
  'const policy = JSON.parse(process.env.NUXT_AMPLIFY_REST_LOCAL_POLICY)',
  'const http = require("node:http")',
  'const emit = http.Server.prototype.emit',
  `http.Server.prototype.emit = function (event, req, res) {
    if (event === 'request') {
      const why = refuse(req.headers.host, req.headers.origin, policy)
      if (why) {
        const body = JSON.stringify({ __type: 'ForbiddenException', message: why })
        res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-errortype': 'ForbiddenException' })
        res.end(body)
        return true
      }
    }
    return emit.apply(this, arguments)
  }`,
]

const CHILD_PRELUDE = [...PARENT_WATCHDOG, ...REQUEST_GUARD, 'require(process.argv[1])'].join(';\n')

export interface CognitoLocalProcess {
  pid: number | undefined
  port: number
  url: string
  /** Resolves once cognito-local answers HTTP; rejects (with its last output lines) if it dies or times out. */
  ready: Promise<void>
  /** Kills the child and waits until it is gone. Idempotent. */
  stop: () => Promise<void>
  /** Synchronous kill for `process.on('exit')`, where nothing async runs. */
  killNow: () => void
}

/** Resolves cognito-local's start script, turning a missing package into an actionable error. */
export function resolveCognitoLocalStart(): string {
  const require = createRequire(import.meta.url)
  try {
    return join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js')
  }
  catch (error) {
    throw new LocalBackendError(
      'Local backend: the `cognito-local` package cannot be found. Install it next to nuxt-amplify-rest (npm i -D cognito-local @smithy/signature-v4 @aws-crypto/sha256-js).',
      { cause: error })
  }
}

/** Writes the config file cognito-local reads on boot; see the header comment for why each key is set. */
export async function writeCognitoConfig(workDir: string, issuerDomain: string): Promise<void> {
  const dir = join(workDir, '.cognito')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'config.json'), JSON.stringify({
    UserPoolDefaults: { UsernameAttributes: [] },
    TokenConfig: { IssuerDomain: issuerDomain },
  }, null, 2))
}

export function launchCognitoLocal(opts: { startScript: string, workDir: string, host: string, port: number, url: string, timeoutMs: number, policy: RequestPolicy }): CognitoLocalProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: opts.host, PORT: String(opts.port), NO_COLOR: '1', NUXT_AMPLIFY_REST_LOCAL_POLICY: JSON.stringify(opts.policy) }
  // DEBUG makes it log every request including tokens; dev mode makes it chattier still.
  delete env.DEBUG
  delete env.COGNITO_LOCAL_DEVMODE
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD_PRELUDE, opts.startScript], {
    cwd: opts.workDir,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  })

  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    // eslint-disable-next-line no-control-regex
    for (const line of chunk.toString('utf8').replace(/\u001B\[[0-9;]*m/g, '').split('\n')) {
      if (line.trim()) lines.push(line.trimEnd())
    }
    lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES_KEPT))
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  child.stdin?.on('error', () => {})

  let exited = false
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true
      resolve()
    })
    // spawn failure (e.g. execPath gone): there will be no 'exit'.
    child.once('error', () => {
      exited = true
      resolve()
    })
  })
  const outputTail = () => lines.length ? `\n--- last output of cognito-local ---\n${lines.join('\n')}` : ''

  const ready = (async () => {
    const deadline = Date.now() + opts.timeoutMs
    let spawnError: Error | undefined
    child.once('error', (error) => {
      spawnError = error
    })
    while (Date.now() < deadline) {
      if (exited) {
        const inUse = lines.some(line => line.includes('EADDRINUSE'))
        const exit = `exit code ${child.exitCode ?? child.signalCode ?? 'unknown'}${spawnError ? `, ${spawnError.message}` : ''}`
        const message = inUse
          ? `Local backend: cognito-local cannot listen on ${opts.host}:${opts.port} because the port is already in use. `
          + 'Stop whatever uses it, or leave `ports.cognito` unset to get a free port.'
          : `Local backend: cognito-local exited during startup (${exit}). `
            + `Check that cognito-local@5 is installed and runs with ${process.execPath}.${outputTail()}`
        throw new LocalBackendError(message, { childPid: child.pid })
      }
      try {
        const res = await fetch(`${opts.url}/health`, { signal: AbortSignal.timeout(1000) })
        await res.body?.cancel()
        if (res.ok) return
      }
      catch {
        // Not listening yet.
      }
      await new Promise(resolve => setTimeout(resolve, 25))
    }
    throw new LocalBackendError(
      `Local backend: cognito-local did not answer on ${opts.url} within ${opts.timeoutMs} ms. `
      + `Raise \`startupTimeout\` on a slow machine, or check the output below.${outputTail()}`,
      { childPid: child.pid })
  })()
  // The orchestrator may never await `ready` if something else fails first.
  ready.catch(() => {})

  const killNow = () => {
    if (!exited && child.exitCode === null) child.kill('SIGKILL')
  }
  let stopping: Promise<void> | undefined
  const stop = () => stopping ??= (async () => {
    if (exited) return
    child.kill('SIGTERM')
    const timer = setTimeout(killNow, 2000)
    await exitedPromise
    clearTimeout(timer)
    child.stdout?.destroy()
    child.stderr?.destroy()
    child.stdin?.destroy()
  })()

  return { pid: child.pid, port: opts.port, url: opts.url, ready, stop, killNow }
}

/** Error answer of a cognito-local JSON call; keeps `__type` so callers can pass it on verbatim. */
export class CognitoCallError extends Error {
  override name = 'CognitoCallError'
  constructor(readonly operation: string, readonly status: number, readonly type: string, readonly awsMessage: string) {
    super(`cognito-local ${operation} failed (${status} ${type}): ${awsMessage}`)
  }
}

/** One JSON 1.1 call, the protocol cognito-local (and Cognito) speak. */
export async function cognitoCall<T = Record<string, unknown>>(url: string, operation: string, input: unknown): Promise<T> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `${TARGET_PREFIX}.${operation}`,
    },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  let body: Record<string, unknown> = {}
  try {
    body = text ? JSON.parse(text) : {}
  }
  catch {
    // Leave body empty; the status says enough.
  }
  if (!res.ok) {
    throw new CognitoCallError(operation, res.status, String(body.__type ?? 'UnknownError'), String(body.message ?? text.slice(0, 200)))
  }
  return body as T
}

export interface SeedUser { username: string, password: string, email: string, groups: string[], newPasswordRequired?: boolean }

export interface SeedResult {
  userPoolId: string
  clientId: string
  subs: Map<string, string>
}

/**
 * Creates pool, app client, groups and confirmed users. Sequential on purpose:
 * cognito-local persists each write by rewriting a JSON file, and parallel
 * writes to the same file race.
 */
export async function seedCognito(url: string, opts: { users: SeedUser[], idTokenSeconds: number, accessTokenSeconds: number }): Promise<SeedResult> {
  const pool = await cognitoCall<{ UserPool: { Id: string } }>(url, 'CreateUserPool', { PoolName: 'nuxt-amplify-rest-local' })
  const userPoolId = pool.UserPool.Id
  const client = await cognitoCall<{ UserPoolClient: { ClientId: string } }>(url, 'CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: 'nuxt-amplify-rest-local',
    GenerateSecret: false,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    IdTokenValidity: opts.idTokenSeconds,
    AccessTokenValidity: opts.accessTokenSeconds,
    RefreshTokenValidity: 30,
    TokenValidityUnits: { IdToken: 'seconds', AccessToken: 'seconds', RefreshToken: 'days' },
  })
  const clientId = client.UserPoolClient.ClientId

  for (const group of new Set(opts.users.flatMap(user => user.groups))) {
    await cognitoCall(url, 'CreateGroup', { UserPoolId: userPoolId, GroupName: group })
  }
  const subs = new Map<string, string>()
  for (const user of opts.users) subs.set(user.username, await createSeedUser(url, userPoolId, user))
  return { userPoolId, clientId, subs }
}

/** One confirmed user (unless `newPasswordRequired`) in its groups, which must exist; returns its sub. */
export async function createSeedUser(url: string, userPoolId: string, user: SeedUser): Promise<string> {
  const created = await cognitoCall<{ User: { Attributes?: Array<{ Name: string, Value: string }> } }>(url, 'AdminCreateUser', {
    UserPoolId: userPoolId,
    Username: user.username,
    TemporaryPassword: user.password,
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: user.email },
      { Name: 'email_verified', Value: 'true' },
    ],
  })
  const sub = created.User.Attributes?.find(attribute => attribute.Name === 'sub')?.Value
  if (!sub) throw new Error(`cognito-local created ${user.username} without a sub`)
  // Permanent password = CONFIRMED, so sign-in doesn't stop at NEW_PASSWORD_REQUIRED (unless asked to).
  if (!user.newPasswordRequired) await cognitoCall(url, 'AdminSetUserPassword', { UserPoolId: userPoolId, Username: user.username, Password: user.password, Permanent: true })
  for (const group of user.groups) {
    await cognitoCall(url, 'AdminAddUserToGroup', { UserPoolId: userPoolId, Username: user.username, GroupName: group })
  }
  return sub
}
