// The fixture app (the playground's pages) built with Nitro's `aws-lambda` preset, its handler
// loaded in one Node process as Lambda would load it (test/utils/lambda-harness.mjs), and invoked with API Gateway REST (v1) and HTTP
// API (v2) events carrying three users' cookies: one after another in the same warm handler and
// interleaved with Promise.all, against the local backend.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifyEnv } from '../utils/env'
import { applySetCookies, buildScaleFixture, cleanEnv, field, signedInCookies, type SignedInUser, expectOneIdentityEach } from '../utils/scale-fixture'

const TOKEN_LIFETIME_S = 12

interface LambdaResult { statusCode: number, headers?: Record<string, string>, body: string, cookies?: string[], multiValueHeaders?: Record<string, string[]> }

let requestId = 0
function v2Event(path: string, cookies: string[]) {
  const id = `req-${++requestId}`
  return {
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', cookies,
    headers: { 'host': 'app.example.test', 'accept': 'text/html', 'x-forwarded-proto': 'https' },
    requestContext: { accountId: '123456789012', apiId: 'api', domainName: 'app.example.test', requestId: id, routeKey: '$default', stage: '$default', time: new Date().toISOString(), timeEpoch: Date.now(), http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
    isBase64Encoded: false,
  }
}
function v1Event(path: string, cookies: string[]) {
  const id = `req-${++requestId}`
  const cookie = cookies.join('; ')
  return {
    resource: '/{proxy+}', path, httpMethod: 'GET',
    headers: { 'Host': 'app.example.test', 'Accept': 'text/html', 'X-Forwarded-Proto': 'https', ...(cookie ? { Cookie: cookie } : {}) },
    multiValueHeaders: { 'Host': ['app.example.test'], 'Accept': ['text/html'], 'X-Forwarded-Proto': ['https'], ...(cookie ? { Cookie: [cookie] } : {}) },
    queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: { proxy: path.slice(1) }, stageVariables: null,
    requestContext: { accountId: '123456789012', apiId: 'api', httpMethod: 'GET', path, protocol: 'HTTP/1.1', requestId: id, stage: 'prod', resourcePath: '/{proxy+}', identity: { sourceIp: '127.0.0.1', userAgent: 'test' } },
    body: null, isBase64Encoded: false,
  }
}
const lambdaContext = () => ({ awsRequestId: `ctx-${requestId}`, functionName: 'nuxt' })
const harnessScript = fileURLToPath(new URL('../utils/lambda-harness.mjs', import.meta.url))

/** The response's Set-Cookie lines where each payload version puts them. */
function setCookies(version: 1 | 2, result: LambdaResult): string[] {
  return version === 2 ? result.cookies ?? [] : result.multiValueHeaders?.['set-cookie'] ?? []
}

describe('the aws-lambda preset, invoked in-process', () => {
  let dir = ''
  let backend: LocalBackend
  let harness: ChildProcess
  let lines: AsyncIterator<string>
  let queue = Promise.resolve<unknown>(undefined)
  /** Invokes the warm handler with these events together; one batch at a time. */
  function invokeBatch(events: unknown[]): Promise<LambdaResult[]> {
    const run = queue.then(async () => {
      harness.stdin!.write(`${JSON.stringify(events.map(event => [event, lambdaContext()]))}\n`)
      const next = await lines.next()
      return JSON.parse(next.value as string) as LambdaResult[]
    })
    queue = run.catch(() => {})
    return run
  }
  let users: SignedInUser[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scale-lambda-'))
    buildScaleFixture(dir, { NITRO_PRESET: 'aws-lambda' })
    backend = await startLocalBackend({
      users: ['ana', 'ben', 'cy'].map(username => ({ username, password: `Passw0rd!${username}` })),
      tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S },
      startupTimeout: 120_000,
    })
    // As Lambda's environment would hold them, before the handler module loads.
    harness = spawn(process.execPath, [harnessScript, join(dir, '.output/server/index.mjs')], {
      env: { ...cleanEnv(), ...amplifyEnv(backend.amplify), NODE_ENV: 'production' },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    lines = createInterface({ input: harness.stdout! })[Symbol.asyncIterator]()
    const ready = await lines.next()
    expect(JSON.parse(ready.value as string)).toEqual({ ready: true })
    users = await signedInCookies(backend)
  }, 900_000)

  afterAll(async () => {
    harness?.stdin?.end()
    if (harness && harness.exitCode === null) await new Promise(resolve => harness.once('exit', resolve))
    await backend?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('≥ 200 invocations of 3 users, v1 and v2, sequential and concurrent in one warm handler: each sees only itself; refreshed cookies come back in v2 `cookies` and v1 `multiValueHeaders`', async () => {
    const leaks: string[] = []
    const identities = new Map<string, Set<string>>()
    const refreshedIn = { 1: 0, 2: 0 }
    /** Invocations n..n+count-1 together in the warm handler. */
    async function invoke(first: number, count = 1) {
      const plan = Array.from({ length: count }, (_, k) => {
        const n = first + k
        const user = users[n % users.length]!
        const version = (n % 2 ? 1 : 2) as 1 | 2 // 2 and 3 coprime: each user gets both versions
        const cookies = user.cookie.split('; ')
        return { user, version, event: version === 2 ? v2Event('/ssr', cookies) : v1Event('/ssr', cookies) }
      })
      const results = await invokeBatch(plan.map(p => p.event))
      plan.forEach(({ user, version }, k) => check(user, version, results[k]!))
    }
    function check(user: SignedInUser, version: 1 | 2, result: LambdaResult) {
      const lines = setCookies(version, result)
      if (lines.some(line => /\.idToken=[^;]+/.test(line))) refreshedIn[version]++
      // A Set-Cookie in the other field (or folded into one header) would be lost by API Gateway.
      expect(result.headers?.['set-cookie']).toBeUndefined()
      user.cookie = applySetCookies(user.cookie, lines)
      const seen = { viewer: field(result.body, 'ssr-viewer'), userPool: field(result.body, 'ssr-userpool'), role: field(result.body, 'ssr-iam-role') }
      if (result.statusCode !== 200 || seen.viewer !== user.name || seen.userPool !== user.name || seen.role !== 'authenticated')
        leaks.push(`${user.name} (v${version}) got ${result.statusCode} ${JSON.stringify(seen)}`)
      if (!identities.has(user.name)) identities.set(user.name, new Set())
      identities.get(user.name)!.add(field(result.body, 'ssr-iam-identity'))
    }
    let n = 0
    // Sequential, in one warm handler.
    for (let i = 0; i < 60; i++) await invoke(n++)
    // Past the tokens' refresh point: the next invocations refresh, in both payload versions.
    await new Promise(resolve => setTimeout(resolve, TOKEN_LIFETIME_S * 1000 * 0.8))
    for (let i = 0; i < 12; i++) await invoke(n++)
    // Interleaved: 36 invocations of the three users at once, four times.
    for (let round = 0; round < 4; round++) {
      await invoke(n, 36)
      n += 36
    }
    expect(n).toBeGreaterThanOrEqual(200)
    expect(leaks).toEqual([])
    expectOneIdentityEach(identities)
    expect(refreshedIn[1]).toBeGreaterThan(0)
    expect(refreshedIn[2]).toBeGreaterThan(0)
  })
})
