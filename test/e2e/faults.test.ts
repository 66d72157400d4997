// Faults, from a real Chromium through the module built into the playground, against the local
// backend's fault injection: `backend.faults` (user pool / identity pool down), the REST fault
// routes (`status/:code`, `delay/:ms`, `reset`, `drop`) and the SigV4 clock-skew answer. Each case
// asserts what the caller gets and what reached the servers.
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend, LocalRecordedRequest } from '../../src/local'
import { collectConsole, launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { signInPage } from '../utils/page'

/** What a `$restApi` call gave the page: its value or the typed error's fields, and how long it took. */
interface Outcome {
  ok: boolean
  value?: Record<string, unknown>
  name?: string
  message?: string
  statusCode?: number
  body?: Record<string, unknown>
  ms: number
}

interface Opened { context: BrowserContext, page: Page, output: string[] }

interface AuthView { status: string, error: string | null, refreshAt: number | null, idToken: string | null }

const TOKEN_LIFETIME_S = 8
const MINUTE = 60_000
/** Amplify's REST retry: 3 attempts in all (core's DEFAULT_RETRY_ATTEMPTS), jittered backoff between them. */
const AMPLIFY_MAX_ATTEMPTS = 3

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
/**
 * Client attempts among requests the server saw: Amplify spaces its retries by a backoff of 200 ms or
 * more, while Chromium silently resends, at once, a request that died on a reused keep-alive
 * connection before any answer (the `/drop` fault does exactly that). Requests closer than 100 ms
 * are one attempt.
 */
function attemptsIn(records: LocalRecordedRequest[]): number {
  const times = records.map(r => r.receivedAt).sort((a, b) => a - b)
  return times.filter((time, i) => i === 0 || time - times[i - 1]! > 100).length
}
const jwtExp = (jwt: string) => Number(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).exp) * 1000

describe('faults in the browser', async () => {
  let backend: LocalBackend
  let browser: Browser
  let home: string
  let main: Opened
  /** Clock 10 min behind, signed in at the start so that its token has really expired by its test. */
  let behind: Opened

  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    backend = await startLocalBackend({ tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S } })
    await startServer({ env: amplifyEnv(backend.amplify) })
    // test-utils' url() needs a per-test context that hooks of nested suites do not have.
    home = url('/')
    browser = await launchBrowser()
    main = await open()
    behind = await open(c => c.clock.install({ time: Date.now() - 10 * MINUTE }))
    await signIn(behind.page, 'alice')
  })
  afterEach(() => {
    backend.faults.userPoolDown = false
    backend.faults.identityDown = false
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })

  /** A fresh browser context (no cookies, no storage), prepared (e.g. its clock) before the app loads. */
  async function open(prepare?: (context: BrowserContext) => Promise<void>): Promise<Opened> {
    const context = await browser.newContext()
    if (prepare) await prepare(context)
    const page = await context.newPage()
    const output = collectConsole(page)
    await page.goto(home)
    await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
    return { context, page, output }
  }

  /** Runs `$restApi[method](path, options)` in the page; with `abortAfter`, passes a `signal` aborted after that many ms. */
  function call(page: Page, method: string, path: string, options: Record<string, unknown> = {}, abortAfter?: number): Promise<Outcome> {
    return page.evaluate(async ([method, path, options, abortAfter]) => {
      const api = (window as unknown as { $restApi: Record<string, (p: string, o: unknown) => Promise<unknown>> }).$restApi
      const callOptions: Record<string, unknown> = { ...options }
      if (typeof abortAfter === 'number') {
        const controller = new AbortController()
        setTimeout(() => controller.abort(), abortAfter)
        callOptions.signal = controller.signal
      }
      const started = performance.now()
      try {
        const value = await api[method as string]!(path as string, callOptions)
        return { ok: true, value, ms: performance.now() - started } as Outcome
      }
      catch (e) {
        const error = e as Error & { statusCode?: number, body?: Record<string, unknown> }
        return { ok: false, name: error.name, message: error.message, statusCode: error.statusCode, body: error.body, ms: performance.now() - started } as Outcome
      }
    }, [method, path, options, abortAfter] as const)
  }
  // Browsers send a CORS preflight before most calls; only the calls themselves count here.
  const sent = (api: string, path?: string): LocalRecordedRequest[] =>
    backend.requests.filter(r => r.api === api && !r.preflight && (path === undefined || r.path === path))
  const authView = (page: Page) => page.evaluate(() => {
    const auth = (window as unknown as { $amplifyAuth: AuthView }).$amplifyAuth
    return { status: auth.status, error: auth.error, refreshAt: auth.refreshAt, idToken: auth.idToken } as AuthView
  })
  const signIn = (page: Page, username: string) => signInPage(page, backend.users.find(u => u.username === username)!)
  const pageErrors = (output: string[]) => output.filter(line => line.startsWith('pageerror'))

  describe('REST server faults', () => {
    it('503: GET is retried with bounded backoff then fails with RestApiError 503; POST and PATCH are sent once', async () => {
      backend.clearRequests()
      const get = await call(main.page, 'get', 'status/503', { apiName: 'none' })
      expect(get).toMatchObject({ ok: false, name: 'RestApiError', statusCode: 503, body: { status: 503 } })
      const attempts = sent('none', '/none/status/503')
      expect(attempts.length).toBeGreaterThan(1)
      expect(attempts.length).toBeLessThanOrEqual(AMPLIFY_MAX_ATTEMPTS)
      // Backoff, not a hot loop: two waits of 2^n * 100 ms plus jitter.
      expect(get.ms).toBeGreaterThan(200 * (attempts.length - 1))

      for (const method of ['post', 'patch']) {
        backend.clearRequests()
        const once = await call(main.page, method, 'status/503', { apiName: 'none', body: { name: 'x' } })
        expect(once, method).toMatchObject({ ok: false, name: 'RestApiError', statusCode: 503 })
        expect(sent('none').map(r => r.method)).toEqual([method.toUpperCase()])
      }
    })

    it('connection reset with no answer (/drop): NetworkError, GET retried at most 3 times, POST sent once', async () => {
      backend.clearRequests()
      const get = await call(main.page, 'get', 'drop', { apiName: 'none' })
      expect(get).toMatchObject({ ok: false, name: 'NetworkError' })
      const seen = sent('none', '/none/drop')
      const attempts = attemptsIn(seen)
      expect(attempts).toBeGreaterThan(1)
      expect(attempts).toBeLessThanOrEqual(AMPLIFY_MAX_ATTEMPTS)
      // At most one silent resend by Chromium per attempt.
      expect(seen.length).toBeLessThanOrEqual(2 * attempts)
      expect(seen.every(r => r.status === 0)).toBe(true)

      backend.clearRequests()
      const post = await call(main.page, 'post', 'drop', { apiName: 'none', body: { name: 'x' } })
      expect(post).toMatchObject({ ok: false, name: 'NetworkError' })
      const posted = sent('none', '/none/drop')
      expect(attemptsIn(posted)).toBe(1)
      expect(posted.length).toBeLessThanOrEqual(2)
      expect(pageErrors(main.output)).toEqual([])
    })

    it('connection closed mid-response (/reset): a typed error of the module, sent once, nothing unhandled', async () => {
      backend.clearRequests()
      const result = await call(main.page, 'get', 'reset', { apiName: 'none' })
      expect(result.ok).toBe(false)
      // The 200 arrived, then the connection closed while the body was read: no full HTTP answer.
      expect(result.name).toBe('NetworkError')
      expect(result.message).not.toBe('')
      // Headers arrived with a 200, so Amplify does not retry: the failure is in reading the body.
      expect(sent('none', '/none/reset')).toMatchObject([{ status: 200, reason: 'connection closed mid-response (/reset)' }])
      expect(pageErrors(main.output)).toEqual([])
    })

    it('timeout: RequestTimeoutError after `timeout` ms, and the server saw the client close', async () => {
      backend.clearRequests()
      const result = await call(main.page, 'get', 'delay/5000', { apiName: 'none', timeout: 300 })
      expect(result).toMatchObject({ ok: false, name: 'RequestTimeoutError' })
      expect(result.ms).toBeGreaterThanOrEqual(290)
      // Ended by the client: before the server's answer was due (5000 ms), with room for a loaded machine.
      expect(result.ms).toBeLessThan(4500)
      await expect.poll(() => sent('none', '/none/delay/5000'), { timeout: 3000 }).toMatchObject([{ status: 0, clientClosed: true }])
    })

    it('abort: RequestAbortedError when the signal aborts, and the server saw the client close', async () => {
      backend.clearRequests()
      const result = await call(main.page, 'get', 'delay/5000', { apiName: 'none' }, 300)
      expect(result).toMatchObject({ ok: false, name: 'RequestAbortedError' })
      expect(result.ms).toBeLessThan(4500)
      await expect.poll(() => sent('none', '/none/delay/5000'), { timeout: 3000 }).toMatchObject([{ status: 0, clientClosed: true }])
      expect(pageErrors(main.output)).toEqual([])
    })
  })

  it('user pool down at refresh time: SessionExpiredError, nothing sent, one bounded refresh, store stays signedIn with error; then one refresh and success', async () => {
    const { page, output } = await open()
    await signIn(page, 'alice')
    backend.faults.userPoolDown = true
    const signedIn = await authView(page)
    // The store refreshes from refreshAt on (the last quarter of these 8 s tokens). refreshAt is in the
    // tokens' clock; this browser's clock differs by Amplify's measured drift (its clockDrift cookie).
    const drift = Number((await page.context().cookies()).find(c => c.name.endsWith('.clockDrift'))?.value ?? 0)
    await page.waitForFunction(([at, d]) => Date.now() + d >= at + 100, [signedIn.refreshAt!, drift] as const, { timeout: 15_000 })
    backend.clearRequests()
    const before = { ...backend.stats }

    const failed = await call(page, 'get', 'echo', { apiName: 'userPool' })
    expect(failed).toMatchObject({ ok: false, name: 'SessionExpiredError' })
    expect(backend.requests.filter(r => r.api === 'userPool')).toHaveLength(0)
    // One refresh by Amplify, retried by Amplify on the network error: at most its 3 attempts. In the
    // browser what reaches the pool first is the CORS preflight, so `userPoolDropped` (preflights
    // included) is the attempt count; `refreshes` only moves when a POST itself got through.
    const attempts = backend.stats.userPoolDropped - before.userPoolDropped
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(attempts).toBeLessThanOrEqual(AMPLIFY_MAX_ATTEMPTS)
    expect(backend.stats.refreshes - before.refreshes).toBeLessThanOrEqual(attempts)
    const after = await authView(page)
    expect(after.status).toBe('signedIn')
    expect(after.error).toBeTruthy()
    expect(after.idToken).toBe(signedIn.idToken)
    // No retry loop: nothing more reaches the pool once the call has failed.
    await sleep(1500)
    expect(backend.stats.userPoolDropped - before.userPoolDropped).toBe(attempts)

    backend.faults.userPoolDown = false
    const refreshesBefore = backend.stats.refreshes
    const ok = await call(page, 'get', 'echo', { apiName: 'userPool' })
    expect(ok, ok.message).toMatchObject({ ok: true, value: { verified: true, tokenUse: 'id', username: 'alice' } })
    expect(backend.stats.refreshes - refreshesBefore).toBe(1)
    expect(sent('userPool')).toHaveLength(1)
    const recovered = await authView(page)
    expect(recovered).toMatchObject({ status: 'signedIn', error: null })
    expect(recovered.idToken).not.toBe(signedIn.idToken)
    expect(pageErrors(output)).toEqual([])
    await page.context().close()
  })

  it('identity pool down in iam mode: NetworkError and no request at all to the iam API (never unsigned); then signed', async () => {
    backend.faults.identityDown = true
    // A fresh context has no cached credentials, so the call must ask the identity pool.
    const { page, output, context } = await open()
    backend.clearRequests()
    const before = { ...backend.stats }

    const failed = await call(page, 'get', 'echo', { apiName: 'iam' })
    expect(failed).toMatchObject({ ok: false, name: 'NetworkError' })
    expect(backend.requests.filter(r => r.api === 'iam')).toEqual([])
    const attempts = backend.stats.identityDropped - before.identityDropped
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(attempts).toBeLessThanOrEqual(AMPLIFY_MAX_ATTEMPTS)

    backend.faults.identityDown = false
    const ok = await call(page, 'get', 'echo', { apiName: 'iam' })
    expect(ok, ok.message).toMatchObject({ ok: true, value: { verified: true, role: 'guest', signed: true } })
    expect(sent('iam')).toHaveLength(1)
    expect(pageErrors(output)).toEqual([])
    await context.close()
  })

  describe('browser clock skew (iam, SigV4)', () => {
    it.each([
      ['ahead', 10, 'future'],
      ['behind', -10, 'past'],
    ])('clock 10 min %s: GET is rejected once with the skew answer, then re-signed and accepted', async (_, minutes, when) => {
      const { page, context } = await open(c => c.clock.install({ time: Date.now() + minutes * MINUTE }))
      backend.clearRequests()
      const result = await call(page, 'get', 'echo', { apiName: 'iam' })
      expect(result, result.message).toMatchObject({ ok: true, value: { verified: true, role: 'guest', signed: true } })
      const seen = sent('iam')
      expect(seen.map(r => r.status)).toEqual([403, 200])
      expect(seen[0]!.reason).toBe(`x-amz-date is more than 5 minutes in the ${when}`)

      // README "Known limit": POST goes out with Amplify's 'no-retry' strategy, so no skew
      // correction: sent once, rejected with the skew answer, reported as RestApiError 403.
      backend.clearRequests()
      const post = await call(page, 'post', 'echo', { apiName: 'iam', body: { name: 'x' } })
      expect(post, post.message).toMatchObject({ ok: false, name: 'RestApiError', statusCode: 403 })
      const posts = sent('iam')
      expect(posts.map(r => `${r.method} ${r.status}`)).toEqual(['POST 403'])
      expect(posts[0]!.reason).toBe(`x-amz-date is more than 5 minutes in the ${when}`)
      await context.close()
    })

    it('clock 10 min behind, signed in: an expired userPool token is refreshed before the call, and the authenticated role is corrected too', async () => {
      const { page } = behind
      // Past the token's real expiry (signed in before the other tests); by the browser's clock it has 10 more minutes.
      const { idToken } = await authView(page)
      await sleep(Math.max(0, jwtExp(idToken!) - Date.now()) + 500)
      backend.clearRequests()
      const refreshesBefore = backend.stats.refreshes
      const result = await call(page, 'get', 'echo', { apiName: 'userPool' })
      // README: "A token that is close to expiry is refreshed through Amplify before the call, so
      // the token that leaves is always valid" (Amplify itself corrects for the clock drift).
      expect(result, `${result.name}: ${result.message}`).toMatchObject({ ok: true, value: { verified: true, username: 'alice' } })
      expect(backend.stats.refreshes - refreshesBefore).toBe(1)

      backend.clearRequests()
      const iam = await call(page, 'get', 'echo', { apiName: 'iam' })
      expect(iam, iam.message).toMatchObject({ ok: true, value: { verified: true, role: 'authenticated', username: 'alice' } })
      expect(sent('iam').map(r => r.status)).toEqual([403, 200])
      expect(pageErrors(behind.output)).toEqual([])
    })
  })
})
