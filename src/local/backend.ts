// Wires the pieces together: cognito-local (child), the refresh proxy, the
// identity pool and the REST server, started in parallel and torn down as one.

import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { randomBytes, randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { launchCognitoLocal, resolveCognitoLocalStart, seedCognito, writeCognitoConfig, type CognitoLocalProcess } from './cognito'
import { openPersistDir, reuseCognito, savePersistState, type PersistedState } from './persist'
import { CredentialStore, type StoredCredential } from './credentials'
import { dropConnection, freePort, listen, LocalBackendError, urlHost, type RequestPolicy, type StartedServer } from './http'
import { IdentityRegistry, startIdentityPool } from './identity'
import { createTokenVerifier, fetchJwks, type TokenVerifier } from './jwt'
import { startRefreshProxy, type ProxyInterceptor } from './refresh-proxy'
import { srpEmulator, type LocalSrpRecord } from './srp'
import { ItemStore, startRestServer } from './rest-server'
import { startGraphqlServer, type LocalGraphqlRequest, type LocalTodo } from './graphql'
import { startOAuthServer, type LocalOAuthRequest, type OAuthTokens } from './oauth'
import { startStorageServer, type LocalStorageObject, type LocalStorageRequest } from './storage'
import { localEnv } from './env'
import type {
  LocalAmplifyOptions, LocalBackend, LocalBackendFaults, LocalBackendOptions, LocalBackendStats, LocalRecordedRequest,
  LocalRoleCredentials, LocalUser, LocalUserInput,
} from './types'

const DEFAULT_USERS: LocalUserInput[] = [
  { username: 'alice', password: 'Passw0rd!alice', email: 'alice@example.com', groups: ['admin'] },
  { username: 'bob', password: 'Passw0rd!bob', email: 'bob@example.com' },
]
/** Role credentials exposed on the backend object must outlive any dev session. */
const ROLE_CREDENTIALS_TTL = 365 * 24 * 3600
const COGNITO_PORT_ATTEMPTS = 3

/**
 * Synchronous last-resort cleanups, run from one shared `process.on('exit')`
 * listener (one per backend would trip the max-listeners warning in suites
 * that start many). A SIGKILLed parent runs none of this; the child's stdin
 * watchdog (cognito.ts) covers that case.
 */
const exitHooks = new Set<() => void>()
function runExitHooks(): void {
  for (const hook of exitHooks) {
    try {
      hook()
    }
    catch {
      // Exiting anyway.
    }
  }
}
function addExitHook(hook: () => void): () => void {
  if (exitHooks.size === 0) process.on('exit', runExitHooks)
  exitHooks.add(hook)
  return () => {
    exitHooks.delete(hook)
    if (exitHooks.size === 0) process.off('exit', runExitHooks)
  }
}

interface Config {
  host: string
  ports: { userPool: number, cognito: number | undefined, identity: number, rest: number }
  users: Array<Required<LocalUserInput>>
  idTokenSeconds: number
  accessTokenSeconds: number
  credentialsTtl: number
  apiKey: string
  region: string
  startupTimeout: number
  policy: RequestPolicy
  persist: string | undefined
  oauth: { callbackUrls: string[], logoutUrls: string[] } | undefined
}

const DEFAULT_OAUTH_URLS = ['http://localhost:3000/', 'http://127.0.0.1:3000/']

function oauthUrls(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) invalid(`oauth.${name} must be a non-empty array of URLs like "http://localhost:3000/"`)
  return value.map((entry, index) => {
    let url: URL | undefined
    try {
      url = new URL(String(entry))
    }
    catch {
      // reported below
    }
    if (typeof entry !== 'string' || !url || !['http:', 'https:'].includes(url.protocol)) invalid(`oauth.${name}[${index}]: ${JSON.stringify(entry)} is not an http(s) URL; expected e.g. "http://localhost:3000/"`)
    return entry
  })
}

function invalid(message: string): never {
  throw new LocalBackendError(`Local backend: invalid options: ${message}`)
}

function checkPort(name: string, port: number | undefined): void {
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) invalid(`ports.${name} must be an integer from 0 to 65535 (got ${String(port)})`)
}

function checkSeconds(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) invalid(`${name} must be a whole number of seconds >= 1 (got ${String(value)})`)
}

function normalize(options: LocalBackendOptions): Config {
  const ports = options.ports ?? {}
  for (const name of ['userPool', 'cognito', 'identity', 'rest'] as const) checkPort(name, ports[name])
  checkSeconds('tokenValidity.idToken', options.tokenValidity?.idToken)
  checkSeconds('tokenValidity.accessToken', options.tokenValidity?.accessToken)
  checkSeconds('credentialsTtl', options.credentialsTtl)
  if (options.apiKey !== undefined && (typeof options.apiKey !== 'string' || !options.apiKey)) invalid('apiKey must be a non-empty string')
  if (options.persist !== undefined && (typeof options.persist !== 'string' || !options.persist)) invalid(`persist must be a directory path (got ${JSON.stringify(options.persist)})`)
  const region = options.region ?? 'us-east-1'
  // The identity pool id is `<region>:<uuid>` and Amplify splits on the colon.
  if (!/^[a-z0-9-]+$/.test(region)) invalid(`region must look like us-east-1 (got ${JSON.stringify(region)})`)

  const users = (options.users ?? DEFAULT_USERS).map((user, index) => {
    if (!user || typeof user.username !== 'string' || !user.username) invalid(`users[${index}].username must be a non-empty string`)
    if (typeof user.password !== 'string' || !user.password) invalid(`users[${index}].password must be a non-empty string`)
    return { username: user.username, password: user.password, email: user.email ?? `${user.username}@example.com`, groups: [...(user.groups ?? [])], newPasswordRequired: user.newPasswordRequired === true }
  })
  const corsOrigins = options.corsOrigins
  if (corsOrigins !== undefined) {
    if (!Array.isArray(corsOrigins)) invalid('corsOrigins must be an array of origins like "http://localhost:3000"')
    for (const origin of corsOrigins) {
      let parsed: string | undefined
      try {
        parsed = new URL(String(origin)).origin
      }
      catch {
        // reported below
      }
      if (typeof origin !== 'string' || parsed !== origin) invalid(`corsOrigins: ${JSON.stringify(origin)} is not an origin; expected scheme://host[:port] with nothing after it, e.g. "http://localhost:3000"`)
    }
  }
  const names = users.map(user => user.username)
  const duplicate = names.find((name, index) => names.indexOf(name) !== index)
  if (duplicate) invalid(`users contains "${duplicate}" twice`)

  const host = options.host ?? '127.0.0.1'
  const bound = urlHost(host).toLowerCase()
  return {
    host,
    ports: { userPool: ports.userPool ?? 0, cognito: ports.cognito || undefined, identity: ports.identity ?? 0, rest: ports.rest ?? 0 },
    users,
    idTokenSeconds: options.tokenValidity?.idToken ?? 3600,
    accessTokenSeconds: options.tokenValidity?.accessToken ?? 3600,
    credentialsTtl: options.credentialsTtl ?? 3600,
    apiKey: options.apiKey ?? randomBytes(30).toString('base64url').slice(0, 40),
    region,
    startupTimeout: options.startupTimeout ?? 60_000,
    policy: {
      // A wildcard bind address is no name a client uses: loopback names only then.
      hosts: ['localhost', '127.0.0.1', '[::1]', '0.0.0.0', '[::]'].includes(bound) ? [] : [bound],
      origins: corsOrigins ? [...corsOrigins] : null,
    },
    persist: options.persist,
    oauth: !options.oauth
      ? undefined
      : options.oauth === true
        ? { callbackUrls: [...DEFAULT_OAUTH_URLS], logoutUrls: [...DEFAULT_OAUTH_URLS] }
        : { callbackUrls: oauthUrls('callbackUrls', options.oauth.callbackUrls), logoutUrls: oauthUrls('logoutUrls', options.oauth.logoutUrls) },
  }
}

function publicCredentials(credential: StoredCredential): LocalRoleCredentials {
  return {
    accessKeyId: credential.accessKeyId,
    secretAccessKey: credential.secretAccessKey,
    sessionToken: credential.sessionToken,
    identityId: credential.identityId,
    expiration: credential.expiration,
  }
}

export async function start(options: LocalBackendOptions = {}): Promise<LocalBackend> {
  const cfg = normalize(options)
  const startScript = resolveCognitoLocalStart()

  const stats: LocalBackendStats = { refreshes: 0, initiateAuth: 0, getId: 0, getCredentials: 0, userPoolDropped: 0, identityDropped: 0 }
  // Sealed: `faults.userpoolDown = true` (a typo) throws instead of injecting nothing.
  const faults: LocalBackendFaults = Object.seal({ userPoolDown: false, identityDown: false })
  const userPoolDown: ProxyInterceptor = ({ req }) => {
    if (!faults.userPoolDown) return false
    stats.userPoolDropped++
    dropConnection(req)
    return true
  }
  const requests: LocalRecordedRequest[] = []
  // USER_SRP_AUTH, which cognito-local lacks (srp.ts); its pool is known once seeded.
  const srpLog: LocalSrpRecord[] = []
  let srpPool: { userPoolId: string, workDir: string } | undefined
  const srp = srpEmulator({ cognitoUrl: () => cognito!.url, pool: () => srpPool, log: srpLog })
  const store = new CredentialStore()
  const registry = new IdentityRegistry(cfg.region)
  let identityPoolId = `${cfg.region}:${randomUUID()}`
  let persisted: PersistedState | undefined
  const users: LocalUser[] = []

  // Late-bound: servers start listening while cognito-local is still booting.
  let cognito: CognitoLocalProcess | undefined
  let issuer = ''
  let verifier: TokenVerifier | undefined
  const verifyToken: TokenVerifier = (token, use) => verifier ? verifier(token, use) : Promise.resolve({ ok: false, reason: 'backend is still starting' })

  const cleanups: Array<() => unknown> = []
  let workDir: string | undefined
  let lockFile: string | undefined
  const onParentExit = () => {
    cognito?.killNow()
    // A persisted directory stays; only its lock goes.
    if (lockFile) rmSync(lockFile, { force: true })
    else if (workDir) rmSync(workDir, { recursive: true, force: true })
  }
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup()
      }
      catch {
        // Best effort: one failing close must not keep the others open.
      }
    }
  }

  let phase = 'creating a temp dir'
  let listening: Array<Promise<StartedServer>> = []
  let launching: Promise<unknown> = Promise.resolve()
  let aborted = false
  try {
    if (cfg.persist) {
      phase = 'opening the persist directory'
      const opened = await openPersistDir(cfg.persist)
      workDir = opened.dir
      lockFile = join(opened.dir, 'backend.lock')
      cleanups.push(opened.release)
      persisted = opened.state
      if (persisted) {
        // Its id names the region; another region gets a new one.
        if (persisted.identityPoolId.startsWith(`${cfg.region}:`)) identityPoolId = persisted.identityPoolId
        if (options.apiKey === undefined) cfg.apiKey = persisted.apiKey
      }
    }
    else {
      workDir = await mkdtemp(join(tmpdir(), 'nuxt-amplify-rest-local-'))
      const temp = workDir
      cleanups.push(() => rm(temp, { recursive: true, force: true }))
    }
    const dir = workDir
    cleanups.push(addExitHook(onParentExit))
    cleanups.push(() => cognito?.stop())

    // The child is spawned before the servers listen: it is the slow part, and
    // a server failing to listen must then prove it gets killed, not merely never started.
    phase = 'starting cognito-local'
    let spawned: () => void = () => {}
    const firstSpawn = new Promise<void>((resolve) => {
      spawned = resolve
    })
    const launch = async () => {
      for (let attempt = 1; ; attempt++) {
        let port: number
        if (cfg.ports.cognito === undefined) {
          port = await freePort(cfg.host)
        }
        else {
          // Checked here so a busy fixed port gets a precise error instead of a crashed child.
          port = cfg.ports.cognito
          const probe = await listen(() => {}, { host: cfg.host, port, what: 'cognito-local server', option: 'ports.cognito' })
          await probe.close()
        }
        const url = `http://${urlHost(cfg.host)}:${port}`
        await writeCognitoConfig(dir, url)
        // Startup may have failed elsewhere meanwhile; spawning now would leak the child.
        if (aborted) throw new Error('startup aborted')
        cognito = launchCognitoLocal({ startScript, workDir: dir, host: cfg.host, port, url, timeoutMs: cfg.startupTimeout, policy: cfg.policy })
        spawned()
        try {
          await cognito.ready
          return cognito
        }
        catch (error) {
          // A free port can be taken between probing and the child binding it; try another.
          const raced = cfg.ports.cognito === undefined && /already in use/.test((error as Error).message)
          if (!raced || attempt >= COGNITO_PORT_ATTEMPTS) throw error
          await cognito.stop()
        }
      }
    }
    const launched = launch()
    launching = launched.catch(() => {})
    await Promise.race([firstSpawn, launched])

    phase = 'starting the local servers'
    const track = (promise: Promise<StartedServer>) => promise.then((server) => {
      cleanups.push(server.close)
      return server
    })
    listening = [
      track(startRefreshProxy({ host: cfg.host, port: cfg.ports.userPool, cognitoUrl: () => cognito!.url, stats, intercept: async call => userPoolDown(call) || srp(call), policy: cfg.policy })),
      track(startIdentityPool({
        host: cfg.host,
        port: cfg.ports.identity,
        region: cfg.region,
        identityPoolId,
        providerName: () => issuer.replace(/^\w+:\/\//, ''),
        verifyToken,
        store,
        stats,
        credentialsTtl: cfg.credentialsTtl,
        isDown: () => faults.identityDown,
        policy: cfg.policy,
      }, registry)),
      track(startRestServer({
        host: cfg.host,
        port: cfg.ports.rest,
        auth: { apiKey: cfg.apiKey, region: cfg.region, store, verifyToken, users: () => users },
        items: new ItemStore(),
        requests,
        policy: cfg.policy,
      })),
    ]
    const firstServerFailure = new Promise<never>((_, reject) => {
      for (const promise of listening) promise.catch(reject)
    })
    const child = await Promise.race([launched, firstServerFailure])
    const [proxy, identity, rest] = await Promise.all(listening) as [StartedServer, StartedServer, StartedServer]
    const graphqlTodos: LocalTodo[] = []
    const graphqlRequests: LocalGraphqlRequest[] = []
    const graphql = options.graphql !== true
      ? undefined
      : await track(startGraphqlServer({ host: cfg.host, port: 0, auth: { apiKey: cfg.apiKey, region: cfg.region, store, verifyToken, users: () => users }, policy: cfg.policy, todos: graphqlTodos, requests: graphqlRequests }))

    phase = 'seeding cognito-local'
    const seeded = (persisted && await reuseCognito(child.url, persisted, cfg.users)) || await seedCognito(child.url, {
      users: cfg.users,
      idTokenSeconds: cfg.idTokenSeconds,
      accessTokenSeconds: cfg.accessTokenSeconds,
    })
    issuer = `${child.url}/${seeded.userPoolId}`
    srpPool = { userPoolId: seeded.userPoolId, workDir: dir }
    const jwksUrl = `${issuer}/.well-known/jwks.json`

    phase = 'loading the user pool JWKS'
    verifier = createTokenVerifier({ issuer, clientId: seeded.clientId, jwks: await fetchJwks(jwksUrl) })

    for (const user of cfg.users) {
      const { newPasswordRequired: _, ...seededUser } = user
      users.push({ ...seededUser, sub: seeded.subs.get(user.username)!, customToken: persisted?.customTokens[user.username] ?? `custom-${randomBytes(24).toString('base64url')}` })
    }
    if (cfg.persist) {
      phase = 'writing the persist directory'
      await savePersistState(dir, {
        version: 1,
        userPoolId: seeded.userPoolId,
        clientId: seeded.clientId,
        identityPoolId,
        apiKey: cfg.apiKey,
        customTokens: { ...persisted?.customTokens, ...Object.fromEntries(users.map(user => [user.username, user.customToken])) },
      })
    }
    const oauthRequests: LocalOAuthRequest[] = []
    const oauth = !cfg.oauth
      ? undefined
      : await startOAuthServer({
          host: cfg.host,
          callbackUrls: cfg.oauth.callbackUrls,
          logoutUrls: cfg.oauth.logoutUrls,
          dir,
          clientId: () => seeded.clientId,
          signIn: async (username, password): Promise<OAuthTokens | undefined> => {
            const answer = await fetch(child.url, {
              method: 'POST',
              headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
              body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: seeded.clientId, AuthParameters: { USERNAME: username, PASSWORD: password } }),
            })
            const result = answer.ok ? (await answer.json() as { AuthenticationResult?: { IdToken: string, AccessToken: string, RefreshToken: string, ExpiresIn: number } }).AuthenticationResult : undefined
            return result && { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken, expiresIn: result.ExpiresIn }
          },
          socialUsers: () => users,
          policy: cfg.policy,
          requests: oauthRequests,
        }).then((server) => {
          cleanups.push(server.close)
          return server
        })
    const storageObjects = new Map<string, LocalStorageObject>()
    const storageRequests: LocalStorageRequest[] = []
    const bucket = 'local-bucket'
    const storage = options.storage !== true
      ? undefined
      : await startStorageServer({ host: cfg.host, dir, bucket, region: cfg.region, store, policy: cfg.policy, objects: storageObjects, requests: storageRequests }).then((server) => {
          cleanups.push(server.close)
          return server
        })
    const guest = store.issue({ role: 'guest', identityId: registry.newGuest(), ttlSeconds: ROLE_CREDENTIALS_TTL })
    const first = users[0]
    const authenticated = store.issue({
      role: 'authenticated',
      identityId: first ? registry.forUser(first.sub, first.username) : registry.newGuest(),
      ...(first ? { username: first.username } : {}),
      ttlSeconds: ROLE_CREDENTIALS_TTL,
    })

    const api = (prefix: string) => `${rest.url}${prefix}`
    const region = cfg.region
    const amplify: LocalAmplifyOptions = {
      auth: {
        region,
        userPoolId: seeded.userPoolId,
        userPoolClientId: seeded.clientId,
        identityPoolId,
        allowGuestAccess: true,
        userPoolEndpoint: proxy.url,
        identityPoolEndpoint: identity.url,
        // cognito-local names its own URL as the tokens' issuer; the server checks it.
        userPoolIssuer: issuer,
        authFlowType: 'USER_PASSWORD_AUTH',
      },
      rest: {
        iam: { endpoint: api('/iam'), region, authMode: 'iam' },
        apiKey: { endpoint: api('/apikey'), region, authMode: 'apiKey', apiKey: cfg.apiKey },
        userPool: { endpoint: api('/userpool'), region, authMode: 'userPool', token: 'id' },
        userPoolAccess: { endpoint: api('/userpool-access'), region, authMode: 'userPool', token: 'access' },
        custom: { endpoint: api('/custom'), region, authMode: 'custom' },
        none: { endpoint: api('/none'), region, authMode: 'none' },
      },
      defaultApi: 'userPool',
    }

    let stopping: Promise<void> | undefined
    return {
      amplify,
      users,
      credentials: { guest: publicCredentials(guest), authenticated: publicCredentials(authenticated) },
      urls: { userPool: proxy.url, cognito: child.url, identity: identity.url, rest: rest.url, issuer, jwks: jwksUrl },
      stats,
      faults,
      requests,
      srp: srpLog,
      clearRequests: () => {
        requests.length = 0
        srpLog.length = 0
      },
      stop: () => stopping ??= runCleanups(),
      ...(graphql ? { graphql: { url: `${graphql.url}/graphql`, apiKey: cfg.apiKey, region, todos: graphqlTodos, requests: graphqlRequests } } : {}),
      ...(oauth && cfg.oauth ? { oauth: { domain: oauth.url.replace(/^https:\/\//, ''), url: oauth.url, certificate: oauth.certificate, ...cfg.oauth, requests: oauthRequests } } : {}),
      ...(storage ? { storage: { bucket, region, host: storage.host, port: storage.port, url: storage.url, certificate: storage.certificate, objects: storageObjects, requests: storageRequests } } : {}),
      env: options => localEnv(amplify, options),
    }
  }
  catch (error) {
    aborted = true
    await Promise.allSettled(listening)
    const childPid = cognito?.pid
    await cognito?.stop()
    await launching
    await runCleanups()
    if (error instanceof LocalBackendError) {
      if (error.childPid === undefined && childPid !== undefined) error.childPid = childPid
      throw error
    }
    throw new LocalBackendError(`Local backend: startup failed while ${phase}: ${(error as Error)?.message ?? String(error)}`, { cause: error, childPid })
  }
}
