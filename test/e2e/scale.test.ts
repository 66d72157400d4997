// Several instances: the fixture app (the playground's pages) built with `nitro.storage.amplify`
// on a real redis-server, run as two real `node .output/server/index.mjs` processes sharing it,
// and built with the default (memory) storage as one instance; against the local backend, whose
// counters say what reached the user pool and the identity pool.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifyEnv } from '../utils/env'
import { freePort } from '../utils/processes'
import { startRedis, type TestRedis } from '../utils/redis'
import { applySetCookies, buildScaleFixture, parseRendered as parse, signedInCookies, type SignedInUser as User } from '../utils/scale-fixture'

const TOKEN_LIFETIME_S = 30
const USERS = 100
const SECRET = 'scale-test-session-secret-0123456789-abcdefghij'

interface Server { url: string, output: () => string, stop: () => Promise<void> }
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>

async function startServer(outputDir: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  let output = ''
  const child: ChildProcess = spawn(process.execPath, [join(outputDir, '.output/server/index.mjs')], {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', NITRO_HOST: '127.0.0.1', PORT: String(port), NITRO_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => output += d.toString())
  child.stderr!.on('data', (d: Buffer) => output += d.toString())
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`)
    if (await fetch(`${url}/api/session`).then(() => true, () => false)) break
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return
      const gone = new Promise(resolve => child.once('exit', resolve))
      child.kill('SIGTERM')
      await gone
    },
  }
}

describe('several server instances', () => {
  let redis: TestRedis
  let backend: LocalBackend
  let redisBuild = ''
  let memoryBuild = ''
  const servers: Server[] = []
  let users: User[] = []
  let env: Record<string, string> = {}

  beforeAll(async () => {
    redis = await startRedis()
    redisBuild = mkdtempSync(join(tmpdir(), 'scale-redis-'))
    memoryBuild = mkdtempSync(join(tmpdir(), 'scale-memory-'))
    buildScaleFixture(redisBuild, { SCALE_REDIS_URL: redis.url })
    buildScaleFixture(memoryBuild)
    backend = await startLocalBackend({
      users: Array.from({ length: USERS }, (_, i) => ({ username: `user${String(i).padStart(3, '0')}`, password: `Passw0rd!user${i}` })),
      tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S },
    })
    env = amplifyEnv(backend.amplify)
    users = await signIn(backend.users)
  }, 900_000)

  afterAll(async () => {
    for (const server of servers) await server.stop()
    await backend?.stop()
    await redis?.stop()
    for (const dir of [redisBuild, memoryBuild]) if (dir) rmSync(dir, { recursive: true, force: true })
  })

  /** Each user signed in (fresh tokens), as cookies a browser holding Amplify's session sends. */
  const signIn = (list: LocalBackend['users']) => signedInCookies(backend, list)

  async function start(dir: string, extra: Record<string, string> = {}) {
    const server = await startServer(dir, { ...env, ...extra })
    servers.push(server)
    return server
  }

  /**
   * `total` SSR renders of /ssr (iam and userPool calls on the server), the users taking turns,
   * `concurrency` in flight, spread over `instances`; each user's cookies updated from Set-Cookie.
   * Returns the failures (status not 200) and leaks (a page showing anything but its user).
   */
  async function load(instances: Server[], total: number, concurrency: number, onProgress?: (done: number) => Promise<void> | void) {
    let next = 0
    let done = 0
    const failures: string[] = []
    const leaks: string[] = []
    const identityOf = new Map<string, Set<string>>()
    async function worker() {
      while (next < total) {
        const n = next++
        const user = users[n % users.length]!
        // A user's successive requests go to one instance, then the next: never always the same one.
        const server = instances[Math.floor(n / users.length) % instances.length]!
        const response = await fetch(`${server.url}/ssr`, { headers: { cookie: user.cookie } })
        user.cookie = applySetCookies(user.cookie, response.headers.getSetCookie())
        const rendered = parse(await response.text())
        if (response.status !== 200) failures.push(`${user.name}: ${response.status}`)
        else if (rendered.viewer !== user.name || rendered.userPool !== user.name || rendered.iamRole !== 'authenticated')
          leaks.push(`${user.name} saw ${JSON.stringify(rendered)}`)
        if (!identityOf.has(user.name)) identityOf.set(user.name, new Set())
        identityOf.get(user.name)!.add(rendered.iamIdentity)
        done++
        await onProgress?.(done)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    // One iam identity per user, never another user's.
    const owners = new Map<string, string>()
    for (const [name, ids] of identityOf) {
      if (ids.size !== 1) leaks.push(`${name} had identities ${[...ids].join(', ')}`)
      for (const id of ids) {
        if (owners.has(id) && owners.get(id) !== name) leaks.push(`${id} seen by ${owners.get(id)} and ${name}`)
        owners.set(id, name)
      }
    }
    return { failures, leaks }
  }

  it('refuses to start a shared driver without a session secret, naming the variable', async () => {
    const server = await start(redisBuild)
    const response = await fetch(`${server.url}/ssr`)
    expect(response.status).toBe(500)
    expect(await response.text()).toContain('NUXT_AMPLIFY_SESSION_SECRET')
    expect(server.output()).toMatch(/sessionSecret \(NUXT_AMPLIFY_SESSION_SECRET\): missing\. The storage mount "amplify" uses the shared driver "redis"/)
    await server.stop()
  })

  it('2 instances + Redis, 1000 SSR iam requests of 100 users: one GetCredentialsForIdentity per user across instances, 0 leaks', async () => {
    const a = await start(redisBuild, { NUXT_AMPLIFY_SESSION_SECRET: SECRET })
    const b = await start(redisBuild, { NUXT_AMPLIFY_SESSION_SECRET: SECRET })
    const before = backend.stats.getCredentials
    const { failures, leaks } = await load([a, b], 1000, 20)
    expect(failures).toEqual([])
    expect(leaks).toEqual([])
    expect(backend.stats.getCredentials - before).toBeLessThanOrEqual(USERS)
    expect(backend.stats.getCredentials - before).toBeGreaterThan(0)
    // The store holds sealed entries under HMAC keys: no user name, no token, no key material.
    const stored = await redisDump()
    expect(stored.keys.some(k => k.startsWith('credentials:'))).toBe(true)
    expectNoSecrets(stored.text)
    await a.stop()
    await b.stop()
  }, 900_000)

  it('20 concurrent requests of one user with stale cookies over 2 instances: 1 refresh at the user pool, every response carries the same refreshed cookies of that user', async () => {
    const a = await start(redisBuild, { NUXT_AMPLIFY_SESSION_SECRET: SECRET })
    const b = await start(redisBuild, { NUXT_AMPLIFY_SESSION_SECRET: SECRET })
    const [user] = await signIn([backend.users[7]!])
    // Past the tokens' refresh point (a quarter of their lifetime before expiry).
    await new Promise(resolve => setTimeout(resolve, TOKEN_LIFETIME_S * 1000 * 0.8))
    const refreshesBefore = backend.stats.refreshes
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      fetch(`${(i % 2 ? a : b).url}/ssr`, { headers: { cookie: user!.cookie } }).then(async r => ({ status: r.status, setCookie: r.headers.getSetCookie(), rendered: parse(await r.text()) }))))
    expect(backend.stats.refreshes - refreshesBefore).toBe(1)
    const idTokens = new Set<string>()
    for (const response of responses) {
      expect(response.status).toBe(200)
      expect(response.rendered.viewer).toBe(user!.name)
      const idToken = response.setCookie.map(line => /\.idToken=([^;]+)/.exec(line)?.[1]).find(Boolean)
      expect(idToken, 'a refreshed ID token cookie').toBeDefined()
      expect(response.setCookie.some(line => /\.accessToken=[^;]+/.test(line))).toBe(true)
      idTokens.add(idToken!)
    }
    expect(idTokens.size).toBe(1)
    const [refreshed] = idTokens
    expect(claims(refreshed!)['cognito:username']).toBe(user!.name)
    expect(user!.cookie).not.toContain(refreshed!)
    await a.stop()
    await b.stop()
  }, 300_000)

  it('the default in-memory storage on one instance: at most one credentials lookup per user', async () => {
    const server = await start(memoryBuild)
    const before = backend.stats.getCredentials
    const { failures, leaks } = await load([server], 1000, 20)
    expect(failures).toEqual([])
    expect(leaks).toEqual([])
    expect(backend.stats.getCredentials - before).toBeLessThanOrEqual(USERS)
    await server.stop()
  }, 900_000)

  it('Redis stopped mid-run and restarted: 0 failed requests, 0 leaks, one warning per instance, shared again after', async () => {
    const a = await start(redisBuild, { NUXT_AMPLIFY_SESSION_SECRET: SECRET })
    const b = await start(redisBuild, { NUXT_AMPLIFY_SESSION_SECRET: SECRET })
    let stopped = false
    let restarted = false
    const { failures, leaks } = await load([a, b], 600, 20, async (done) => {
      if (done >= 150 && !stopped) {
        stopped = true
        await redis.stop()
      }
      else if (done >= 400 && stopped && !restarted) {
        restarted = true
        await redis.start()
      }
    })
    expect(stopped && restarted).toBe(true)
    expect(failures).toEqual([])
    expect(leaks).toEqual([])
    // After the restart (an empty Redis), the instances use the store again: the credentials they
    // fetch and the refreshes they make (tokens refresh every few seconds here) land in it.
    const deadline = Date.now() + 90_000
    let stored = await redisDump()
    while (!stored.keys.length && Date.now() < deadline) {
      const more = await load([a, b], 200, 10)
      expect(more.failures).toEqual([])
      expect(more.leaks).toEqual([])
      stored = await redisDump()
    }
    expect(stored.keys.filter(k => /^(?:credentials|refresh):/.test(k)).length).toBeGreaterThan(0)
    expectNoSecrets(stored.text)
    for (const server of [a, b]) {
      expect(server.output().match(/shared store \(storage mount "amplify"\) failed/g)?.length ?? 0).toBeLessThanOrEqual(1)
      expectNoSecrets(server.output())
    }
    expect([a, b].some(s => /shared store \(storage mount "amplify"\) failed/.test(s.output()))).toBe(true)
    await a.stop()
    await b.stop()
  }, 900_000)

  /** No user name, no token (nor a JWT's signature part) in `text`. */
  function expectNoSecrets(text: string) {
    for (const user of users) {
      expect(text).not.toContain(`${user.name}.`)
      expect(text).not.toContain(`"${user.name}"`)
      for (const [, token] of user.cookie.matchAll(/\.(?:idToken|accessToken|refreshToken)=([^;]+)/g)) {
        expect(text).not.toContain(token!)
        if (token!.split('.').length === 3) expect(text).not.toContain(token!.split('.')[2]!)
      }
    }
  }

  /** Every key and value in Redis, read with a plain client. */
  async function redisDump(): Promise<{ keys: string[], text: string }> {
    const { default: Redis } = await import('ioredis')
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await client.connect()
      const keys = await client.keys('*')
      const values = keys.length ? await client.mget(...keys) : []
      return { keys, text: keys.map((k, i) => `${k}=${values[i]}`).join('\n') }
    }
    finally {
      client.disconnect()
    }
  }
})
