// `session: 'server'`: the playground built in that mode, a real Chromium, the local backend. The
// browser signs in through the server's routes, holds no token (HttpOnly cookies only), and every
// auth mode reaches the local API through the same-origin proxy, verified by the API's verifiers.
import { readdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setup, startServer, url, useTestContext } from '@nuxt/test-utils/e2e'
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend, LocalRecordedRequest, LocalUser } from '../../src/local'
import { launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { waitForApp } from '../utils/page'
import { enableTotp, totp } from '../utils/totp'

interface Outcome {
  ok: boolean
  value?: Record<string, unknown> & { body?: Record<string, unknown> }
  name?: string
  message?: string
  statusCode?: number
  code?: string
  body?: Record<string, unknown>
}

const TOKEN_LIFETIME_S = 12
const PROXY_MAX_BYTES = 4 * 1024 * 1024
/** The key the app is built with: in this mode it must reach no client chunk and no page. */
const BUILD_KEY = 'build-time-key-5d1f0c9a7e3b'
const CAROL = { username: 'carol', password: 'Temp0rary!carol', newPasswordRequired: true }

describe('session: server', async () => {
  let backend: LocalBackend
  let browser: Browser
  let base = ''

  await setup({
    rootDir: fileURLToPath(new URL('../../playground', import.meta.url)),
    nuxtConfig: { amplify: { session: 'server', proxyMaxBytes: PROXY_MAX_BYTES, rest: { apiKey: { apiKey: BUILD_KEY } } } },
    build: true,
    server: false,
    browser: false,
    setupTimeout: 600_000, serverStartTimeout: 240_000,
  })

  beforeAll(async () => {
    backend = await startLocalBackend({
      tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S },
      users: [
        { username: 'alice', password: 'Passw0rd!alice', groups: ['admin'] },
        { username: 'bob', password: 'Passw0rd!bob' },
        CAROL,
      ],
    })
    // The API key is private config in this mode: NUXT_AMPLIFY_*, not NUXT_PUBLIC_AMPLIFY_*.
    const env = amplifyEnv(backend.amplify)
    delete env.NUXT_PUBLIC_AMPLIFY_REST_API_KEY_API_KEY
    env.NUXT_AMPLIFY_REST_API_KEY_API_KEY = backend.amplify.rest.apiKey!.apiKey!
    await startServer({ env })
    base = url('/')
    browser = await launchBrowser()
  }, 900_000)
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })
  beforeEach(() => backend.clearRequests())

  const at = (path: string) => new URL(path, base).href
  const user = (name: string): LocalUser => backend.users.find(u => u.username === name)!
  const sent = (api: string): LocalRecordedRequest[] => backend.requests.filter(r => r.api === api && !r.preflight)
  const tokenCookies = (cookies: Cookie[]) => cookies.filter(c => c.name.startsWith('CognitoIdentityServiceProvider.') && /\.(?:idToken|accessToken|refreshToken)$/.test(c.name))

  async function openPage(context?: BrowserContext): Promise<Page> {
    const page = await (context ?? await browser.newContext()).newPage()
    await page.goto(at('/'))
    await waitForApp(page)
    return page
  }
  function call(page: Page, method: string, path: string, options: Record<string, unknown> = {}): Promise<Outcome> {
    return page.evaluate(async ([method, path, options]) => {
      const api = (window as unknown as { $restApi: Record<string, (p: string, o: unknown) => Promise<unknown>> }).$restApi
      try {
        return { ok: true, value: await api[method as string]!(path as string, options) } as Outcome
      }
      catch (e) {
        const error = e as Error & { statusCode?: number, body?: Record<string, unknown>, code?: string }
        return { ok: false, name: error.name, message: error.message, statusCode: error.statusCode, body: error.body, code: error.code } as Outcome
      }
    }, [method, path, options] as const)
  }
  const echo = (page: Page, apiName: string, options: Record<string, unknown> = {}) => call(page, 'get', 'echo', { apiName, ...options })
  function auth(page: Page, action: 'signIn' | 'confirmSignIn' | 'signOut', input?: unknown): Promise<Outcome> {
    return page.evaluate(async ([action, input]) => {
      const store = (window as unknown as { $amplifyAuth: Record<string, (i?: unknown) => Promise<unknown>> }).$amplifyAuth
      try {
        return { ok: true, value: await store[action as string]!(input) } as Outcome
      }
      catch (e) {
        const error = e as Error & { code?: string, statusCode?: number }
        return { ok: false, name: error.name, message: error.message, code: error.code } as Outcome
      }
    }, [action, input] as const)
  }
  const signIn = async (page: Page, name: string) => {
    const result = await auth(page, 'signIn', { username: name, password: user(name).password })
    expect(result, result.message).toMatchObject({ ok: true, value: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } })
    await page.getByTestId('auth-status').filter({ hasText: `signedIn as ${name}` }).waitFor({ timeout: 15_000 })
  }
  /** Everything scripts on the page can read. */
  const readable = (page: Page) => page.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('\n'))

  describe('signed out', () => {
    let page: Page
    beforeAll(async () => {
      page = await openPage()
    })
    afterAll(() => page.context().close())

    it('iam: the server signs with the guest role', async () => {
      const result = await echo(page, 'iam')
      expect(result.value).toMatchObject({ mode: 'iam', verified: true, role: 'guest', signed: true })
      expect(sent('iam').at(-1)!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/)
      // A body is read up to the limit and covered by the signature (the API checks its SHA-256).
      const posted = await call(page, 'post', 'echo', { apiName: 'iam', body: { signed: 'body' } })
      expect(posted.value).toMatchObject({ mode: 'iam', verified: true, method: 'POST', body: { signed: 'body' } })
    })

    it('apiKey: the server adds the key the browser never had', async () => {
      const result = await echo(page, 'apiKey')
      expect(result.value).toMatchObject({ mode: 'apiKey', verified: true, hasApiKey: true, signed: false })
      expect(sent('apiKey').at(-1)!.headers['x-api-key']).toBe(backend.amplify.rest.apiKey!.apiKey)
    })

    it('userPool: NotSignedInError from the server, nothing reaches the API', async () => {
      expect(await echo(page, 'userPool')).toMatchObject({ ok: false, name: 'NotSignedInError' })
      expect(sent('userPool')).toHaveLength(0)
    })

    it('the API\'s own error status is a RestApiError with its body; the call\'s query, headers and body arrive', async () => {
      const refused = await echo(page, 'apiKey', { headers: { 'X-Api-Key': 'wrong-key' } })
      expect(refused).toMatchObject({ ok: false, name: 'RestApiError', statusCode: 403 })
      expect(refused.body).toHaveProperty('message')
      const posted = await call(page, 'post', 'echo', { apiName: 'none', query: { a: '1' }, headers: { 'X-Trace': 't-1' }, body: { hello: 'world' }, raw: true })
      expect(posted.value).toMatchObject({ statusCode: 200, body: { mode: 'none', method: 'POST', query: { a: '1' }, body: { hello: 'world' } } })
      const seen = sent('none').at(-1)!
      expect(seen.headers['x-trace']).toBe('t-1')
      expect(Object.keys(seen.headers).filter(h => h.startsWith('x-amplify-') || h === 'cookie')).toEqual([])
    })

    it('a body over proxyMaxBytes: PayloadTooLargeError (413), nothing reaches the API', async () => {
      const result = await call(page, 'post', 'echo', { apiName: 'none', body: { blob: 'x'.repeat(PROXY_MAX_BYTES + 10) } })
      expect(result).toMatchObject({ ok: false, name: 'PayloadTooLargeError', statusCode: 413 })
      expect(sent('none')).toHaveLength(0)
    })

    it('a large answer streams through: the browser reads its first bytes while the API is still holding back the rest', async () => {
      const size = 3 * 1024 * 1024
      const first = await page.evaluate(async (url) => {
        const response = await fetch(url, { headers: { 'x-amplify-request': '1' } })
        const reader = response.body!.getReader()
        let received = 0
        while (received === 0) {
          const { value, done } = await reader.read()
          if (done) break
          received += value.byteLength
        }
        ;(window as unknown as { heldReader: unknown }).heldReader = reader
        return { status: response.status, received }
      }, at(`/api/_amplify/rest/none/bytes/${size}?hold=big-1`))
      // The API has sent half and is waiting for the release: it has not finished (nor recorded) the answer.
      expect(first.status).toBe(200)
      expect(first.received).toBeGreaterThan(0)
      expect(first.received).toBeLessThanOrEqual(size / 2)
      expect(sent('none')).toHaveLength(0)
      const release = await fetch(`${backend.amplify.rest.none!.endpoint}/bytes/release/big-1`, { method: 'POST' })
      expect(await release.json()).toMatchObject({ waiting: true })
      const total = await page.evaluate(async (already) => {
        const reader = (window as unknown as { heldReader: ReadableStreamDefaultReader<Uint8Array> }).heldReader
        let received = already
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return received
          received += value.byteLength
        }
      }, first.received)
      expect(total).toBe(size)
      expect(sent('none').at(-1)).toMatchObject({ status: 200, verified: true })
      // And through $restApi: the same answer as text.
      const result = await call(page, 'get', `bytes/${size}`, { apiName: 'none' })
      expect(result.ok).toBe(true)
      expect((result.value as unknown as string).length).toBe(size)
    })

    it('an answer over proxyMaxBytes: PayloadTooLargeError, whether its length was declared (413 before it starts) or not (cut while streaming)', async () => {
      const over = PROXY_MAX_BYTES + 1024 * 1024
      expect(await call(page, 'get', `bytes/${over}`, { apiName: 'none', query: { length: '1' } })).toMatchObject({ ok: false, name: 'PayloadTooLargeError', statusCode: 413 })
      const cut = await call(page, 'get', `bytes/${over}`, { apiName: 'none' })
      expect(cut).toMatchObject({ ok: false, name: 'PayloadTooLargeError', statusCode: 413 })
      expect(cut.message).toContain('answer is over')
      // On the wire: exactly the limit, then the answer's cut mark, then a clean end — also for a
      // page that starts reading late (a broken connection would lose what it had not read yet).
      const wire = await page.evaluate(async (url) => {
        const response = await fetch(url, { headers: { 'x-amplify-request': '1' } })
        await new Promise(resolve => setTimeout(resolve, 1_000))
        const bytes = new Uint8Array(await response.arrayBuffer())
        return { limit: response.headers.get('x-amplify-max-bytes'), mark: response.headers.get('x-amplify-cut-mark'), size: bytes.byteLength, tail: new TextDecoder().decode(bytes.subarray(-22)) }
      }, at(`/api/_amplify/rest/none/bytes/${over}`))
      expect(wire.limit).toBe(String(PROXY_MAX_BYTES))
      expect(wire.mark).toMatch(/^[\w-]{22}$/)
      expect(wire).toMatchObject({ size: PROXY_MAX_BYTES + 22, tail: wire.mark })
    })

    it('a streamed (chunked) request body over proxyMaxBytes: 413 PayloadTooLargeError, the API receives no request', async () => {
      let pushed = 0
      const chunk = new Uint8Array(256 * 1024).fill(0x20)
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pushed > 2 * PROXY_MAX_BYTES) return controller.close()
          pushed += chunk.byteLength
          controller.enqueue(chunk)
        },
      })
      const response = await fetch(at('/api/_amplify/rest/none/echo'), { method: 'POST', headers: { 'x-amplify-request': '1', 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit)
      expect(response.status).toBe(413)
      expect(response.headers.get('x-amplify-error')).toBe('PayloadTooLargeError')
      expect(await response.json()).toMatchObject({ name: 'PayloadTooLargeError', direction: 'request', limit: PROXY_MAX_BYTES })
      expect(sent('none')).toHaveLength(0)
    })

    it('Amplify\'s own get fails with one error pointing at $restApi', async () => {
      const message = await page.evaluate(async () => {
        try {
          await (window as unknown as { $amplifyApi: { get: (i: unknown) => { response: Promise<unknown> } } }).$amplifyApi.get({ apiName: 'none', path: 'echo' }).response
          return 'resolved'
        }
        catch (e) {
          return (e as Error).message
        }
      })
      expect(message).toMatch(/amplify\.session is "server".*use \$restApi/)
      expect(sent('none')).toHaveLength(0)
    })

    it('a wrong password: SignInError, no cookie', async () => {
      const result = await auth(page, 'signIn', { username: 'alice', password: 'wrong-password' })
      expect(result).toMatchObject({ ok: false, name: 'SignInError' })
      expect(result.code).toMatch(/Exception$/)
      expect(tokenCookies(await page.context().cookies())).toEqual([])
    })
  })

  describe('signed in as alice', () => {
    let page: Page
    let tokens: string[] = []
    beforeAll(async () => {
      page = await openPage()
      await signIn(page, 'alice')
      tokens = tokenCookies(await page.context().cookies()).map(c => c.value)
    })
    afterAll(() => page.context().close())

    it('tokens only in HttpOnly cookies: none in document.cookie, localStorage or sessionStorage', async () => {
      const cookies = tokenCookies(await page.context().cookies())
      expect(cookies.map(c => c.name.split('.').at(-1)).sort()).toEqual(['accessToken', 'idToken', 'refreshToken'])
      for (const cookie of cookies) expect(cookie, cookie.name).toMatchObject({ httpOnly: true, path: '/', sameSite: 'Lax' })
      const visible = await readable(page)
      for (const token of tokens) expect(visible).not.toContain(token)
      expect(visible).not.toMatch(/eyJ[\w-]+\.eyJ/)
    })

    it('every auth mode through the proxy, verified by the API', async () => {
      expect((await echo(page, 'iam')).value).toMatchObject({ mode: 'iam', verified: true, role: 'authenticated', signed: true })
      expect((await echo(page, 'userPool')).value).toMatchObject({ mode: 'userPool', verified: true, tokenUse: 'id', username: 'alice' })
      expect((await echo(page, 'userPoolAccess')).value).toMatchObject({ mode: 'userPool', verified: true, tokenUse: 'access', username: 'alice' })
      expect((await echo(page, 'apiKey')).value).toMatchObject({ mode: 'apiKey', verified: true })
      expect(await echo(page, 'custom')).toMatchObject({ ok: false, name: 'MissingCustomTokenError' })
      await page.evaluate(token => (window as unknown as { $amplifyAuth: { setCustomToken: (t: string) => void } }).$amplifyAuth.setCustomToken(token), user('bob').customToken)
      expect((await echo(page, 'custom')).value).toMatchObject({ mode: 'custom', verified: true, principal: 'bob' })
      // Per-call override: a userPool API called without auth for this call only.
      const unsigned = await echo(page, 'userPool', { authMode: 'none' })
      expect(unsigned).toMatchObject({ ok: false, name: 'RestApiError', statusCode: 401 })
      expect(sent('userPool').at(-1)!.headers.authorization).toBeUndefined()
      expect((await echo(page, 'userPool')).value).toMatchObject({ verified: true, username: 'alice' })
    })

    it('no token or API key in an HTML page, its payload or any client chunk', async () => {
      const key = backend.amplify.rest.apiKey!.apiKey!
      const cookieHeader = (await page.context().cookies()).map(c => `${c.name}=${c.value}`).join('; ')
      for (const path of ['/', '/ssr', '/private']) {
        const html = await (await fetch(at(path), { headers: { cookie: cookieHeader } })).text()
        expect(html, path).toContain('signedIn')
        expect(html, path).not.toContain(key)
        expect(html, path).not.toContain(BUILD_KEY)
        for (const token of tokens) expect(html, path).not.toContain(token)
      }
      const chunks = join(useTestContext().nuxt!.options.nitro.output!.dir!, 'public', '_nuxt')
      const files = (await readdir(chunks)).filter(f => f.endsWith('.js'))
      expect(files.length).toBeGreaterThan(0)
      for (const file of files) {
        const text = await readFile(join(chunks, file), 'utf8')
        expect(text, file).not.toContain(key)
        expect(text, file).not.toContain(BUILD_KEY)
      }
    })

    it('token expiry during a proxied call: one refresh on the server, new HttpOnly cookies, the call succeeds', async () => {
      // The session as the cookies have it now (an earlier call may have refreshed them already).
      const refreshAt = await page.evaluate(async () => {
        const store = (window as unknown as { $amplifyAuth: { refreshAt: number, refresh: () => Promise<void> } }).$amplifyAuth
        await store.refresh()
        return store.refreshAt
      })
      await new Promise(resolve => setTimeout(resolve, Math.max(0, refreshAt - Date.now()) + 500))
      const before = tokenCookies(await page.context().cookies()).find(c => c.name.endsWith('.idToken'))!.value
      const refreshes = backend.stats.refreshes
      const result = await echo(page, 'userPool')
      expect(result.value).toMatchObject({ mode: 'userPool', verified: true, username: 'alice' })
      expect(backend.stats.refreshes - refreshes).toBe(1)
      const after = tokenCookies(await page.context().cookies())
      const id = after.find(c => c.name.endsWith('.idToken'))!
      expect(id.value).not.toBe(before)
      expect(id.httpOnly).toBe(true)
      expect(sent('userPool').at(-1)!.headers.authorization).toBe(id.value)
      expect(await readable(page)).not.toContain(id.value)
    })

    it('sign-out clears the cookies and revokes the refresh token at the user pool', async () => {
      const refreshToken = tokenCookies(await page.context().cookies()).find(c => c.name.endsWith('.refreshToken'))!.value
      const refreshAtPool = () => fetch(`${backend.urls.cognito}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
        body: JSON.stringify({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: backend.amplify.auth.userPoolClientId, AuthParameters: { REFRESH_TOKEN: refreshToken } }),
      })
      expect((await refreshAtPool()).status).toBe(200)
      const result = await auth(page, 'signOut')
      expect(result.ok, result.message).toBe(true)
      await page.getByTestId('auth-status').filter({ hasText: 'signedOut' }).waitFor({ timeout: 15_000 })
      expect(tokenCookies(await page.context().cookies())).toEqual([])
      expect((await refreshAtPool()).status).toBe(400)
    })
  })

  it('NEW_PASSWORD_REQUIRED: signIn returns the step, confirmSignIn completes it', async () => {
    const page = await openPage()
    const first = await auth(page, 'signIn', { username: CAROL.username, password: CAROL.password })
    expect(first).toMatchObject({ ok: true, value: { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } } })
    expect(tokenCookies(await page.context().cookies())).toEqual([])
    const stepCookie = (await page.context().cookies()).find(c => c.name === 'amplify-sign-in-step')
    expect(stepCookie).toMatchObject({ httpOnly: true, path: '/api/_amplify/auth' })
    const done = await auth(page, 'confirmSignIn', { challengeResponse: 'N3w!Passw0rd-carol' })
    expect(done, done.message).toMatchObject({ ok: true, value: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } })
    await page.getByTestId('auth-status').filter({ hasText: 'signedIn as carol' }).waitFor({ timeout: 15_000 })
    expect(tokenCookies(await page.context().cookies()).every(c => c.httpOnly)).toBe(true)
    expect((await echo(page, 'userPool')).value).toMatchObject({ verified: true, username: 'carol' })
    await page.context().close()
  })

  it('an MFA code step (TOTP): signIn returns it, a wrong code is a SignInError, the right code completes it', async () => {
    // The pool allows MFA, and bob sets up an authenticator app (cognito-local emulates TOTP MFA; SMS codes it only logs).
    const secret = await enableTotp(backend, 'bob', user('bob').password)

    const page = await openPage()
    const first = await auth(page, 'signIn', { username: 'bob', password: user('bob').password })
    expect(first).toMatchObject({ ok: true, value: { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } } })
    expect(tokenCookies(await page.context().cookies())).toEqual([])
    const code = totp(secret)
    const wrong = await auth(page, 'confirmSignIn', { challengeResponse: code === '000000' ? '111111' : '000000' })
    expect(wrong).toMatchObject({ ok: false, name: 'SignInError', code: 'CodeMismatchException' })
    expect(tokenCookies(await page.context().cookies())).toEqual([])
    const done = await auth(page, 'confirmSignIn', { challengeResponse: totp(secret) })
    expect(done, done.message).toMatchObject({ ok: true, value: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } })
    await page.getByTestId('auth-status').filter({ hasText: 'signedIn as bob' }).waitFor({ timeout: 15_000 })
    expect(tokenCookies(await page.context().cookies()).every(c => c.httpOnly)).toBe(true)
    await page.context().close()
  })

  describe('cross-site requests', () => {
    const stats = () => ({ ...backend.stats })
    it('are refused with 403 before the user pool or the API hear of them', async () => {
      const before = stats()
      const body = JSON.stringify({ username: 'alice', password: user('alice').password })
      const attempts: Array<[string, RequestInit]> = [
        ['/api/_amplify/auth/sign-in', { method: 'POST', body, headers: { 'content-type': 'application/json', 'origin': 'https://evil.example', 'x-amplify-request': '1' } }],
        ['/api/_amplify/auth/sign-in', { method: 'POST', body, headers: { 'content-type': 'application/json' } }],
        ['/api/_amplify/auth/sign-in', { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-amplify-request': '1', 'sec-fetch-site': 'cross-site' } }],
        ['/api/_amplify/rest/apiKey/echo', { method: 'GET', headers: { 'origin': 'https://evil.example', 'x-amplify-request': '1' } }],
        ['/api/_amplify/rest/apiKey/items', { method: 'POST', body: '{"name":"x"}', headers: { 'content-type': 'application/json' } }],
        ['/api/_amplify/rest/none/echo', { method: 'GET', headers: { 'x-amplify-request': '1', 'sec-fetch-site': 'same-site' } }],
        ['/api/_amplify/auth/session', { method: 'GET', headers: { 'origin': 'https://evil.example', 'x-amplify-request': '1' } }],
      ]
      for (const [path, init] of attempts) {
        const response = await fetch(at(path), init)
        const text = await response.text()
        expect(response.status, `${init.method} ${path} ${JSON.stringify(init.headers)}`).toBe(403)
        expect(text).not.toContain(backend.amplify.rest.apiKey!.apiKey!)
      }
      expect(backend.requests).toHaveLength(0)
      expect(stats()).toEqual(before)
    })

    it('a form on another site posting to sign-in or to the proxy reaches neither', async () => {
      const before = stats()
      // Served from http://localhost:<port> while the app is http://127.0.0.1:<port>: another site.
      const evil = createServer((req, res) => {
        const target = new URL(req.url!, 'http://localhost').searchParams.get('to')!
        res.setHeader('content-type', 'text/html')
        res.end(`<form id=f method=post action="${at(target)}" enctype="text/plain"><input name='{"username":"alice","password":"${user('alice').password}","x":"' value='"}'></form>
          <script>document.getElementById('f').submit()</script>`)
      })
      await new Promise<void>(resolve => evil.listen(0, 'localhost', resolve))
      try {
        for (const target of ['/api/_amplify/auth/sign-in', '/api/_amplify/rest/apiKey/items']) {
          const page = await browser.newPage()
          const response = page.waitForResponse(r => r.url().includes(target))
          await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/?to=${encodeURIComponent(target)}`)
          expect((await response).status(), target).toBe(403)
          await page.close()
        }
      }
      finally {
        await new Promise<void>(resolve => evil.close(() => resolve()))
      }
      expect(backend.requests).toHaveLength(0)
      expect(stats()).toEqual(before)
    })
  })
})
