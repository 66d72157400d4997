// Security of the whole stack: the playground built with the module (as `npm run dev` serves it), the
// local backend verifying every call, a real Chromium.
//  - secrets (Cognito tokens, the API key, custom tokens, passwords, AWS credentials) never reach
//    the server's output, the browser console or this test process' own output;
//  - the token cookies' attributes, and what a guest visit sets;
//  - the credentials of one API are never sent to another API's endpoint.
// Every response of the user pool and the identity pool passes through a small recording proxy, so
// the test knows each token and AWS secret the run issued, to the browser and to the server alike.
import { request as httpRequest, createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getServerLogs, setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, BrowserContext, Cookie, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalApiName, LocalBackend, LocalRecordedRequest } from '../../src/local'
import { collectConsole, launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'

const AMPLIFY_COOKIE = /^(?:CognitoIdentityServiceProvider|com\.amplify)/
const TOKEN_COOKIE = /\.(?:idToken|accessToken|refreshToken)$/
const CONSOLE_CANARY = 'security-test: console capture works'
const OWN_CANARY = 'security-test: own output capture works'
const SIGV4 = /^AWS4-HMAC-SHA256 /
/** Headers a SigV4 signature consists of (x-amz-user-agent is Amplify's user agent, not a credential). */
const SIGNATURE_HEADERS = ['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']

interface Secret { label: string, value: string }

/** An HTTP proxy in front of `target` that keeps every response body (Cognito's JSON answers). */
async function recordingProxy(target: string, bodies: string[]): Promise<{ url: string, close: () => Promise<void> }> {
  const upstream = new URL(target)
  const server: Server = createServer((req, res) => {
    const forward = httpRequest({
      host: upstream.hostname,
      port: upstream.port,
      path: `${upstream.pathname.replace(/\/$/, '')}${req.url ?? '/'}`,
      method: req.method,
      headers: { ...req.headers, host: upstream.host },
    }, (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('end', () => bodies.push(Buffer.concat(chunks).toString('utf8')))
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    req.pipe(forward)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/** Every string value under the given keys anywhere in a JSON text. */
function valuesOf(json: string, keys: string[]): string[] {
  const found: string[] = []
  try {
    JSON.parse(json, (key, value: unknown) => {
      if (keys.includes(key) && typeof value === 'string' && value) found.push(value)
      return value
    })
  }
  catch {
    // not JSON (an empty preflight answer)
  }
  return found
}

/** Everything this process prints while the flow runs: stdout, stderr and console. */
function captureOwnOutput(): { lines: string[], restore: () => void } {
  const lines: string[] = []
  const restores: (() => void)[] = []
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'))
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
    } as typeof stream.write
    restores.push(() => {
      stream.write = write
    })
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method]
    console[method] = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
      original.apply(console, args)
    }
    restores.push(() => {
      console[method] = original
    })
  }
  return { lines, restore: () => restores.forEach(restore => restore()) }
}

/** The Cookie header a browser would send: values exactly as stored. */
function cookieHeader(cookies: { name: string, value: string }[]): string {
  return cookies.map(c => `${c.name}=${c.value}`).join('; ')
}

describe('security', async () => {
  let backend: LocalBackend
  let browser: Browser
  let base: string
  let own: ReturnType<typeof captureOwnOutput>
  const closers: (() => Promise<void>)[] = []
  /** Bodies answered by the user pool (sign-in, refresh) and the identity pool (credentials). */
  const cognitoBodies: string[] = []
  /** Every browser page's console and page errors. */
  const consoles: string[][] = []
  /** Secrets seen during the run, besides the ones read from the recorded Cognito answers. */
  const seen: Secret[] = []
  const at = (path: string) => new URL(path, base).href
  const fetch = (path: string, init?: RequestInit) => globalThis.fetch(at(path), init)

  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    own = captureOwnOutput()
    backend = await startLocalBackend()
    const userPool = await recordingProxy(backend.urls.userPool, cognitoBodies)
    const identity = await recordingProxy(backend.urls.identity, cognitoBodies)
    closers.push(userPool.close, identity.close)
    const amplify = { ...backend.amplify, auth: { ...backend.amplify.auth, userPoolEndpoint: userPool.url, identityPoolEndpoint: identity.url } }
    // logLevel 5 (CONSOLA_LEVEL): the server prints everything down to trace/debug.
    await startServer({ env: amplifyEnv(amplify), logLevel: 5 })
    base = url('/')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    own?.restore()
    await browser?.close()
    for (const close of closers) await close()
    await backend?.stop()
  })

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage()
    consoles.push(collectConsole(page))
    // A line the leak check must find, so an empty capture cannot pass unnoticed.
    page.on('load', () => void page.evaluate(marker => console.info(marker), CONSOLE_CANARY).catch(() => {}))
    return page
  }
  async function ready(page: Page, path: string) {
    await page.goto(at(path))
    await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
  }
  function user(name: string) {
    return backend.users.find(u => u.username === name)!
  }
  /** Runs `$restApi.get('echo', options)` in the page; the body, or the typed error's name. */
  function echo(page: Page, apiName: string, options: Record<string, unknown> = {}) {
    return page.evaluate(async ([apiName, options]) => {
      const api = (window as unknown as { $restApi: { get: (p: string, o: unknown) => Promise<Record<string, unknown>> } }).$restApi
      try {
        return { ok: true, body: await api.get('echo', { apiName, ...options }) }
      }
      catch (e) {
        return { ok: false, name: (e as Error).name, message: (e as Error).message }
      }
    }, [apiName, options] as const)
  }
  /** The tokens the browser holds right now: its Amplify cookies and the store's copies. */
  async function rememberTokens(context: BrowserContext, page: Page, when: string) {
    for (const cookie of await context.cookies()) {
      if (TOKEN_COOKIE.test(cookie.name)) seen.push({ label: `${cookie.name.split('.').at(-1)} cookie (${when})`, value: cookie.value })
    }
    const store = await page.evaluate(() => {
      const auth = (window as unknown as { $amplifyAuth: { idToken: string | null, accessToken: string | null } }).$amplifyAuth
      return { idToken: auth.idToken, accessToken: auth.accessToken }
    })
    if (store.idToken) seen.push({ label: `store idToken (${when})`, value: store.idToken })
    if (store.accessToken) seen.push({ label: `store accessToken (${when})`, value: store.accessToken })
  }

  describe('a guest visit', () => {
    it('sets only the identity-id cookie Amplify needs for guest credentials, with the module\'s attributes, and no token cookie', async () => {
      const response = await fetch('/ssr')
      expect(response.status).toBe(200)
      const setCookies = response.headers.getSetCookie()
      const names = setCookies.map(c => c.slice(0, c.indexOf('=')))
      // The identity id of the guest identity the server got from the identity pool to sign the
      // page's iam call with the guest role; nothing else.
      expect(names).toEqual([`com.amplify.Cognito.${encodeURIComponent(backend.amplify.auth.identityPoolId)}.identityId`])
      expect(names.filter(n => TOKEN_COOKIE.test(n))).toEqual([])
      for (const cookie of setCookies) {
        expect(cookie).toMatch(/; Path=\/(;|$)/)
        expect(cookie).toMatch(/; SameSite=Lax/i)
        expect(cookie).not.toMatch(/; Secure/i) // plain HTTP; on HTTPS the server sets Secure (see ssr.test.ts)
        expect(cookie).not.toMatch(/HttpOnly/i)
      }
    })

    it('a guest Nitro route sets no cookie at all', async () => {
      const response = await fetch('/api/me')
      expect(await response.json()).toEqual({ status: 'signedOut', username: null, verified: null })
      expect(response.headers.getSetCookie()).toEqual([])
    })
  })

  describe('signed in as alice', () => {
    let context: BrowserContext
    let page: Page
    let cookies: Cookie[]

    beforeAll(async () => {
      context = await browser.newContext()
      page = await newPage(context)
      await ready(page, '/login')
      const alice = user('alice')
      await page.fill('input[name=username]', alice.username)
      await page.fill('input[name=password]', alice.password)
      await page.click('form[data-testid=sign-in-form] button[type=submit]')
      await page.getByTestId('auth-status').filter({ hasText: 'signedIn as alice' }).waitFor({ timeout: 15_000 })
      cookies = await context.cookies()
      await rememberTokens(context, page, 'after sign-in')
    })
    afterAll(() => context?.close())

    it('the token cookies are SameSite=Lax, Path=/, not Secure on plain HTTP, readable by Amplify (not HttpOnly)', () => {
      const tokenCookies = cookies.filter(c => TOKEN_COOKIE.test(c.name))
      expect(tokenCookies.map(c => c.name.split('.').at(-1)).sort()).toEqual(['accessToken', 'idToken', 'refreshToken'])
      for (const cookie of cookies.filter(c => AMPLIFY_COOKIE.test(c.name))) {
        // On HTTPS the browser's Amplify adds Secure (location.protocol), and the server's
        // Set-Cookie does too (getRequestProtocol): ssr.test.ts asserts the server side.
        expect(cookie, cookie.name).toMatchObject({ path: '/', sameSite: 'Lax', secure: false, httpOnly: false })
      }
    })

    it('credentials of one API are never sent to another API\'s endpoint (browser and server calls)', async () => {
      const alice = user('alice')
      backend.clearRequests()
      await page.evaluate(token => (window as unknown as { $amplifyAuth: { setCustomToken: (t: string) => void } }).$amplifyAuth.setCustomToken(token), alice.customToken)
      const apis: LocalApiName[] = ['userPool', 'userPoolAccess', 'apiKey', 'custom', 'iam', 'none']
      for (const apiName of apis) {
        const result = await echo(page, apiName)
        expect(result.ok, `${apiName}: ${result.message}`).toBe(true)
        expect(result.body).toMatchObject({ verified: true })
      }
      // The server's calls for this user: the SSR page (iam + userPool) and the Nitro route (userPool).
      const header = cookieHeader(await context.cookies())
      expect(await (await fetch('/ssr', { headers: { cookie: header } })).text()).toContain('data-testid="ssr-userpool"')
      expect(await (await fetch('/api/me', { headers: { cookie: header } })).json()).toMatchObject({ status: 'signedIn', username: 'alice' })

      const sent = backend.requests.filter(r => !r.preflight)
      const of = (api: LocalApiName) => sent.filter(r => r.api === api)
      for (const api of apis) expect(of(api).length, api).toBeGreaterThan(0)
      expect(of('iam').length, 'browser and SSR iam calls').toBeGreaterThanOrEqual(2)
      expect(of('userPool').length, 'browser, SSR and Nitro userPool calls').toBeGreaterThanOrEqual(3)

      const hasSignature = (r: LocalRecordedRequest) => SIGV4.test(String(r.headers.authorization ?? '')) || SIGNATURE_HEADERS.some(h => h in r.headers)
      for (const r of of('apiKey')) {
        expect(r.headers.authorization, 'apiKey: no Authorization').toBeUndefined()
        expect(Object.keys(r.headers).filter(h => h.startsWith('x-amz-') && h !== 'x-amz-user-agent'), 'apiKey: no x-amz-* signature headers').toEqual([])
        expect(r.headers['x-api-key']).toBe(backend.amplify.rest.apiKey.apiKey)
      }
      for (const api of ['userPool', 'userPoolAccess'] as const) {
        for (const r of of(api)) {
          expect(r.headers['x-api-key'], `${api}: no x-api-key`).toBeUndefined()
          expect(hasSignature(r), `${api}: not SigV4-signed`).toBe(false)
          expect(String(r.headers.authorization).split('.'), `${api}: a raw JWT`).toHaveLength(3)
        }
      }
      for (const r of of('custom')) {
        expect(r.headers.authorization).toBe(alice.customToken)
        expect(r.headers['x-api-key']).toBeUndefined()
        expect(hasSignature(r)).toBe(false)
      }
      for (const r of of('none')) {
        expect(r.headers.authorization, 'none: no Authorization').toBeUndefined()
        expect(r.headers['x-api-key'], 'none: no x-api-key').toBeUndefined()
        expect(hasSignature(r), 'none: not signed').toBe(false)
      }
      for (const r of of('iam')) {
        expect(r.headers.authorization).toMatch(SIGV4)
        expect(r.headers['x-api-key'], 'iam: no x-api-key').toBeUndefined()
      }

      // Each secret only ever reaches the API it belongs to, wherever it could hide (headers, path, query).
      const tokensNow = await page.evaluate(() => {
        const auth = (window as unknown as { $amplifyAuth: { idToken: string, accessToken: string } }).$amplifyAuth
        return { idToken: auth.idToken, accessToken: auth.accessToken }
      })
      const refreshToken = (await context.cookies()).find(c => c.name.endsWith('.refreshToken'))!.value
      const owners: { label: string, value: string, allowed: (LocalApiName | null)[] }[] = [
        { label: 'ID token', value: tokensNow.idToken, allowed: ['userPool'] },
        { label: 'access token', value: tokensNow.accessToken, allowed: ['userPoolAccess'] },
        { label: 'refresh token', value: refreshToken, allowed: [] },
        { label: 'API key', value: backend.amplify.rest.apiKey.apiKey, allowed: ['apiKey'] },
        ...backend.users.map(u => ({ label: `custom token of ${u.username}`, value: u.customToken, allowed: ['custom'] as LocalApiName[] })),
        ...issuedAwsSecrets().map(s => ({ ...s, allowed: ['iam'] as LocalApiName[] })),
      ]
      const crossings: string[] = []
      for (const r of sent) {
        const wire = JSON.stringify({ path: r.path, query: r.query, headers: r.headers })
        for (const owner of owners) {
          if (!owner.allowed.includes(r.api) && wire.includes(owner.value)) crossings.push(`${owner.label} sent to ${r.api} (${r.method} ${r.path})`)
        }
      }
      expect(crossings).toEqual([])
    })

    it('a forced refresh issues new tokens (remembered for the leak check below)', async () => {
      const before = await page.evaluate(() => (window as unknown as { $amplifyAuth: { idToken: string } }).$amplifyAuth.idToken)
      const refreshes = backend.stats.refreshes
      await page.evaluate(() => (window as unknown as { $amplifyAuth: { refresh: (o: { force: boolean }) => Promise<unknown> } }).$amplifyAuth.refresh({ force: true }))
      expect(backend.stats.refreshes).toBeGreaterThan(refreshes)
      const after = await page.evaluate(() => (window as unknown as { $amplifyAuth: { idToken: string } }).$amplifyAuth.idToken)
      expect(after).not.toBe(before)
      await rememberTokens(context, page, 'after refresh')
      // The refreshed tokens work in the browser and on the server alike.
      expect((await echo(page, 'userPool')).ok).toBe(true)
      const header = cookieHeader(await context.cookies())
      expect(await (await fetch('/api/me', { headers: { cookie: header } })).json()).toMatchObject({ status: 'signedIn', username: 'alice' })
    })

    it('refused calls and a 403 do not print what they carried', async () => {
      // A wrong API key (403), an Authorization value with CR/LF (refused before sending).
      expect(await echo(page, 'apiKey', { headers: { 'X-Api-Key': 'wrong-key-7d1e0c' } })).toMatchObject({ ok: false, name: 'RestApiError' })
      const injected = await echo(page, 'custom', { headers: { Authorization: `${user('bob').customToken}\r\nx: y` } })
      expect(injected).toMatchObject({ ok: false, name: 'InvalidHeaderError' })
      expect(injected.message).not.toContain(user('bob').customToken)
      // A token cookie whose signature was tampered with: the server refuses it (and says so at
      // debug level, which this server prints), so the request is a guest and no call carries it.
      const tampered = (await context.cookies()).map(c => c.name.endsWith('.idToken') ? { ...c, value: `${c.value.slice(0, -4)}AAAA` } : c)
      seen.push({ label: 'tampered idToken cookie', value: tampered.find(c => c.name.endsWith('.idToken'))!.value })
      const response = await fetch('/api/me', { headers: { cookie: cookieHeader(tampered) } })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ status: 'signedOut', verified: null })
      await expect.poll(() => getServerLogs().join('\n')).toMatch(/idToken cookie refused \(signature/)
    })

    it('signs out: every Amplify cookie is gone', async () => {
      await page.evaluate(() => (window as unknown as { $amplifyAuth: { signOut: () => Promise<void> } }).$amplifyAuth.signOut())
      await page.getByTestId('auth-status').filter({ hasText: 'signedOut' }).waitFor({ timeout: 15_000 })
      expect((await context.cookies()).filter(c => AMPLIFY_COOKIE.test(c.name)).map(c => c.name)).toEqual([])
      await page.close()
    })
  })

  /** AWS secrets the identity pool issued during the run (browser and server) and the backend's role credentials. */
  function issuedAwsSecrets(): Secret[] {
    const secrets: Secret[] = []
    for (const body of cognitoBodies) {
      for (const value of valuesOf(body, ['SecretKey'])) secrets.push({ label: 'issued AWS secret key', value })
      for (const value of valuesOf(body, ['SessionToken'])) secrets.push({ label: 'issued AWS session token', value })
    }
    for (const [role, c] of Object.entries(backend.credentials)) {
      secrets.push({ label: `${role} role secret key`, value: c.secretAccessKey }, { label: `${role} role session token`, value: c.sessionToken })
    }
    return secrets
  }

  it('no token, key, password or AWS secret appears in the server output, the browser console or this process\' output', async () => {
    console.info(OWN_CANARY)
    // Let the server's last lines arrive.
    await new Promise(resolve => setTimeout(resolve, 500))
    own.restore()
    const issuedTokens: Secret[] = []
    for (const body of cognitoBodies) {
      for (const key of ['IdToken', 'AccessToken', 'RefreshToken']) {
        for (const value of valuesOf(body, [key])) issuedTokens.push({ label: `issued ${key}`, value })
      }
    }
    const secrets: Secret[] = [
      ...seen,
      ...issuedTokens,
      ...issuedAwsSecrets(),
      { label: 'API key', value: backend.amplify.rest.apiKey.apiKey },
      ...backend.users.flatMap(u => [
        { label: `password of ${u.username}`, value: u.password },
        { label: `custom token of ${u.username}`, value: u.customToken },
      ]),
    ]
    // The run did issue what it checks for: sign-in, refresh (browser and server), guest and authenticated credentials.
    expect(issuedTokens.filter(s => s.label === 'issued IdToken').length).toBeGreaterThanOrEqual(2)
    expect(issuedTokens.filter(s => s.label === 'issued RefreshToken').length).toBeGreaterThanOrEqual(1)
    expect(issuedAwsSecrets().filter(s => s.label === 'issued AWS session token').length).toBeGreaterThanOrEqual(2)
    expect(seen.length).toBeGreaterThanOrEqual(6)
    for (const secret of secrets) expect(secret.value.length, secret.label).toBeGreaterThanOrEqual(8)

    const consoleLines = consoles.flat()
    expect(consoleLines.some(line => line.includes(CONSOLE_CANARY))).toBe(true)
    expect(own.lines.some(line => line.includes(OWN_CANARY))).toBe(true)
    const serverLogs = getServerLogs()
    // The capture works: the server's start-up line is there.
    expect(serverLogs.join('\n')).toMatch(/Listening on/i)
    const outputs = {
      'server output': serverLogs.join('\n'),
      'browser console': consoleLines.join('\n'),
      'test process output': own.lines.join(''),
    }
    const leaks: string[] = []
    for (const [where, text] of Object.entries(outputs)) {
      for (const secret of secrets) {
        if (text.includes(secret.value)) leaks.push(`${secret.label} in the ${where}`)
      }
    }
    // Labels only: a failure must not print the secrets themselves.
    expect([...new Set(leaks)]).toEqual([])
  })
})
