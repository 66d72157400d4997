// Server-side rendering with each visitor's own identity: the playground built as `npm run dev`
// serves it, the local backend verifying every call. Plain HTTP requests carry only cookies, so what
// the HTML shows was fetched on the server.
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext } from 'playwright-core'
import type { LocalBackend } from '../../src/local'
import { collectConsole } from '../utils/browser'
import { playgroundApp } from '../utils/playground'

const TOKEN_LIFETIME_S = 10
const AMPLIFY_COOKIE = /^(?:CognitoIdentityServiceProvider|com\.amplify)/
const PAGES_DIR = fileURLToPath(new URL('../../playground/app/pages/', import.meta.url))
/** Every page of the playground, as a route path. */
const PAGES = readdirSync(PAGES_DIR).filter(f => f.endsWith('.vue')).map(f => f === 'index.vue' ? '/' : `/${f.slice(0, -4)}`).sort()

interface Rendered {
  viewer: string
  userPool: string
  iamRole: string
  iamIdentity: string
  renderedOn: string
}

function field(html: string, testId: string): string {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)
  return match ? match[1]!.trim() : ''
}
function parse(html: string): Rendered {
  return {
    viewer: field(html, 'ssr-viewer'),
    userPool: field(html, 'ssr-userpool'),
    iamRole: field(html, 'ssr-iam-role'),
    iamIdentity: field(html, 'ssr-iam-identity'),
    renderedOn: field(html, 'ssr-rendered-on'),
  }
}
/** The Cookie header a browser would send: values exactly as stored. */
function cookieHeader(cookies: { name: string, value: string }[]): string {
  return cookies.map(c => `${c.name}=${c.value}`).join('; ')
}
function setCookies(response: Response): string[] {
  return response.headers.getSetCookie()
}
/**
 * A user's bearer secrets in their cookies: the ID, access and refresh tokens, and each JWT's
 * signature part on its own (a page must not carry a token, whole or in parts).
 */
function tokenSecrets(cookies: string): string[] {
  const secrets: string[] = []
  for (const [, kind, value] of cookies.matchAll(/\.(idToken|accessToken|refreshToken)=([^;]+)/g)) {
    expect(value!.length, `${kind} cookie`).toBeGreaterThan(20)
    secrets.push(value!)
    const parts = value!.split('.')
    if (parts.length === 3) secrets.push(parts[2]!)
  }
  return secrets
}
/** The Cookie header after a response's Set-Cookie lines, as a browser would update it. */
function applySetCookies(header: string, lines: string[]): string {
  const jar = new Map(header.split('; ').filter(Boolean).map(pair => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
  for (const line of lines) {
    const pair = line.split(';')[0]!
    const name = pair.slice(0, pair.indexOf('='))
    const value = pair.slice(pair.indexOf('=') + 1)
    if (!value || /max-age=0\b/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name)
    else jar.set(name, value)
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}
function leakedSecrets(text: string, secrets: string[]): number {
  return secrets.filter(secret => text.includes(secret)).length
}

describe('server-side rendering', async () => {
  const app = await playgroundApp({ tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S } })
  const { at, fetch, signedInContext } = app
  let backend: LocalBackend
  let browser: Browser
  beforeAll(() => {
    ({ backend, browser } = app)
  })

  it('renders a guest view with the guest role for a visitor without cookies', async () => {
    const response = await fetch('/ssr')
    expect(response.status).toBe(200)
    const rendered = parse(await response.text())
    expect(rendered).toMatchObject({ viewer: 'guest', userPool: 'none (signed out)', iamRole: 'guest', renderedOn: 'server' })
    expect(rendered.iamIdentity).toMatch(/^us-east-1:/)
  })

  describe('signed in', () => {
    let context: BrowserContext
    let cookies: string
    beforeAll(async () => {
      context = await signedInContext('alice')
      const all = await context.cookies()
      const idCookie = all.find(c => c.name.endsWith('.idToken'))!
      // Written by the browser's Amplify with the module's cookie attributes.
      expect(idCookie).toMatchObject({ path: '/', sameSite: 'Lax', secure: false })
      expect(idCookie.expires * 1000 - Date.now()).toBeGreaterThan(29 * 86_400_000)
      cookies = cookieHeader(all)
    })
    afterAll(() => context?.close())

    it('renders, from cookies alone, data the REST server verified for that user', async () => {
      backend.clearRequests()
      const response = await fetch('/ssr', { headers: { cookie: cookies } })
      const rendered = parse(await response.text())
      expect(rendered).toMatchObject({ viewer: 'alice', userPool: 'alice', iamRole: 'authenticated', renderedOn: 'server' })
      const served = backend.requests.filter(r => !r.preflight)
      expect(served.find(r => r.api === 'userPool')).toMatchObject({ verified: true })
      expect(served.find(r => r.api === 'iam')).toMatchObject({ verified: true, role: 'authenticated' })
    })

    it('serves a Nitro route with the session and a REST call made with the user\'s identity', async () => {
      const signedIn = await (await fetch('/api/me', { headers: { cookie: cookies } })).json()
      expect(signedIn).toMatchObject({ status: 'signedIn', username: 'alice', verified: { mode: 'userPool', verified: true, username: 'alice', tokenUse: 'id' } })
      const guest = await (await fetch('/api/me')).json()
      expect(guest).toEqual({ status: 'signedOut', username: null, verified: null })
    })

    it('sends none of the user\'s tokens (id, access, refresh, nor a JWT signature) in any page\'s HTML or a Nitro route\'s JSON', async () => {
      const secrets = tokenSecrets(cookies)
      expect(secrets.length).toBeGreaterThanOrEqual(5) // three tokens, two JWT signatures at least
      for (const path of PAGES) {
        const response = await fetch(path, { headers: { cookie: cookies } })
        const html = await response.text()
        expect(response.status, path).toBe(200)
        // The payload still says who is signed in and until when: the page hydrates signed in.
        const payload = /<script[^>]*id="__NUXT_DATA__"[^>]*>([^<]*)<\/script>/.exec(html)?.[1] ?? ''
        expect(payload, path).toContain('"signedIn"')
        expect(payload, path).toContain('"alice"')
        expect(leakedSecrets(html, secrets), `${path}: tokens in the HTML`).toBe(0)
      }
      for (const route of ['/api/me', '/api/session']) {
        const json = await (await fetch(route, { headers: { cookie: cookies } })).text()
        expect(json, route).toContain('alice')
        expect(leakedSecrets(json, secrets), `${route}: tokens in the JSON`).toBe(0)
      }
      // The route that returns getServerAmplifySession() whole: the session, without its tokens.
      expect(await (await fetch('/api/session', { headers: { cookie: cookies } })).json()).toMatchObject({ status: 'signedIn', user: { username: 'alice' } })
    })

    it.each(PAGES)('hydrates %s signed in with no flash and no hydration warning; the browser reads its own tokens', async (path) => {
      const page = await context.newPage()
      const output = collectConsole(page)
      // Every text the status line shows, from the server's HTML on: a flash would show up here.
      await page.addInitScript(() => {
        const seen: string[] = []
        ;(window as unknown as { __statuses: string[] }).__statuses = seen
        const record = () => {
          const text = document.querySelector('[data-testid=auth-status]')?.textContent ?? null
          if (text !== null && seen.at(-1) !== text) seen.push(text)
        }
        new MutationObserver(record).observe(document, { childList: true, subtree: true, characterData: true })
      })
      await page.goto(at(path))
      await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
      expect(await page.getByTestId('auth-status').textContent()).toContain('signedIn as alice')
      const statuses = await page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses)
      expect(statuses.length).toBeGreaterThan(0)
      expect(statuses.filter(text => !text.includes('signedIn as alice'))).toEqual([])
      if (path === '/ssr') expect(await page.getByTestId('ssr-viewer').textContent()).toContain('alice')
      // The store's tokens are this browser's own (its cookies), and a userPool call works.
      const idCookie = (await context.cookies()).find(c => c.name.endsWith('.idToken'))!.value
      const result = await page.evaluate(async () => {
        const w = window as unknown as { $amplifyAuth: { idToken: string | null }, $restApi: { get: (p: string, o: unknown) => Promise<{ username: string, verified: boolean }> } }
        const echo = await w.$restApi.get('echo', { apiName: 'userPool' })
        return { idToken: w.$amplifyAuth.idToken, echo }
      })
      expect(result.idToken).toBe(idCookie)
      expect(result.echo).toMatchObject({ username: 'alice', verified: true })
      await page.waitForTimeout(500)
      expect(output.filter(line => /hydrat/i.test(line))).toEqual([])
      await page.close()
    })

    it('refreshes an expired token on the server and returns the new cookie', async () => {
      await new Promise(resolve => setTimeout(resolve, TOKEN_LIFETIME_S * 1000))
      const refreshes = backend.stats.refreshes
      const response = await fetch('/ssr', { headers: { cookie: cookies } })
      const html = await response.text()
      const rendered = parse(html)
      expect(rendered).toMatchObject({ viewer: 'alice', userPool: 'alice', iamRole: 'authenticated' })
      expect(backend.stats.refreshes).toBe(refreshes + 1)
      const renewed = setCookies(response).find(c => /\.idToken=/.test(c))
      expect(renewed).toBeDefined()
      const oldToken = /\.idToken=([^;]+)/.exec(cookies)![1]
      expect(renewed).not.toContain(oldToken)
      expect(renewed).toMatch(/SameSite=Lax/i)
      expect(renewed).toMatch(/Path=\//)
      expect(renewed).not.toMatch(/Secure/) // plain HTTP here; Secure is set on HTTPS
      expect(renewed).toMatch(/Max-Age=2592000/)
      // The refreshed tokens went to the browser in Set-Cookie only, never into the page.
      expect(leakedSecrets(html, tokenSecrets(setCookies(response).map(c => c.split(';')[0]).join('; ')))).toBe(0)
    })
  })

  it.each(PAGES)('hydrates %s signed out with no hydration warning', async (path) => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const output = collectConsole(page)
    await page.goto(at(path))
    await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
    expect(await page.getByTestId('auth-status').textContent()).toContain('signedOut')
    await page.waitForTimeout(500)
    expect(output.filter(line => /hydrat/i.test(line))).toEqual([])
    await context.close()
  })

  it('sends a signed-out visitor of a protected page to the login route and back after sign-in', async () => {
    const direct = await fetch('/private', { redirect: 'manual' })
    expect(direct.status).toBe(302)
    expect(direct.headers.get('location')).toBe('/login?redirect=/private')

    const context = await browser.newContext()
    const page = await context.newPage()
    const output = collectConsole(page)
    // Client navigation: the nav link runs the middleware in the browser.
    await page.goto(at('/'))
    await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
    await page.click('nav a[href="/private"]')
    await page.waitForURL(/\/login\?redirect=(%2F|\/)private$/)
    // Server navigation: a fresh load of the protected page.
    await page.goto(at('/private'))
    await page.waitForURL(/\/login\?redirect=/)
    await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
    const bob = backend.users.find(u => u.username === 'bob')!
    await page.fill('input[name=username]', bob.username)
    await page.fill('input[name=password]', bob.password)
    await page.click('form[data-testid=sign-in-form] button[type=submit]')
    await page.waitForURL(/\/private$/)
    expect(await page.getByTestId('private-content').textContent()).toContain('bob')

    // Signed in, the login route sends on (client navigation) and so does the server.
    const cookies = cookieHeader(await context.cookies())
    const onLogin = await fetch('/login?redirect=/ssr', { headers: { cookie: cookies }, redirect: 'manual' })
    expect(onLogin.status).toBe(302)
    expect(onLogin.headers.get('location')).toBe('/ssr')
    const offsite = await fetch('/login?redirect=//evil.example/x', { headers: { cookie: cookies }, redirect: 'manual' })
    expect(offsite.headers.get('location')).toBe('/')

    await page.evaluate(() => (window as unknown as { $amplifyAuth: { signOut: () => Promise<void> } }).$amplifyAuth.signOut())
    await page.getByTestId('auth-status').filter({ hasText: 'signedOut' }).waitFor()
    const left = (await context.cookies()).filter(c => AMPLIFY_COOKIE.test(c.name))
    expect(left.map(c => c.name)).toEqual([])
    expect(output.filter(line => /hydrat/i.test(line))).toEqual([])
    await context.close()
  })

  it('isolation under load: 300 interleaved SSR requests of two users and a guest, 20 in flight, with cached credentials and with refreshes: 0 leaks', async () => {
    const alice = cookieHeader(await (await signedInContext('alice')).cookies())
    const bob = cookieHeader(await (await signedInContext('bob')).cookies())
    const identities = [
      { name: 'alice', cookie: alice },
      { name: 'bob', cookie: bob },
      { name: 'guest', cookie: '' },
    ]
    const results: { identity: string, rendered: Rendered, status: number }[] = []
    /** ID tokens the server refreshed into (it sends each back in Set-Cookie): each is a new cache key. */
    const refreshedIdTokens = new Set<string>()
    async function load(total: number, concurrency: number) {
      let next = 0
      async function worker() {
        while (next < total) {
          const identity = identities[next++ % identities.length]!
          const response = await fetch('/ssr', { headers: identity.cookie ? { cookie: identity.cookie } : {} })
          for (const line of setCookies(response)) {
            const renewed = /\.idToken=([^;]+)/.exec(line)?.[1]
            if (renewed) refreshedIdTokens.add(renewed)
          }
          // As a browser does, a user's next requests carry what the server set.
          if (identity.cookie) identity.cookie = applySetCookies(identity.cookie, setCookies(response))
          results.push({ identity: identity.name, status: response.status, rendered: parse(await response.text()) })
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    }

    // Phase 1: the users' iam credentials come from the server's cache, keyed by the ID token: one
    // GetCredentialsForIdentity per distinct ID token the server used, however many requests carried
    // it; guests get their own every time. On a slow machine this phase can outlive the tokens'
    // refresh point; then the server refreshes (the requests in flight with the old cookie each do)
    // and each refreshed ID token is one more key. Counting those keeps the check independent of
    // machine speed while it still fails if credentials are fetched per request: the tokens are
    // shared by many requests (asserted, so the check cannot pass vacuously).
    const credentialsBefore = backend.stats.getCredentials
    await load(150, 20)
    const userCredentialFetches = backend.stats.getCredentials - credentialsBefore - 50 // 50 guest requests fetch their own
    const idTokensUsed = 2 + refreshedIdTokens.size // each user's cookie, plus every token a refresh made
    const explained = `credentials fetched ${userCredentialFetches} times for ${idTokensUsed} distinct ID tokens `
      + `(${refreshedIdTokens.size} from refreshes during the phase) over 100 user requests`
    expect(idTokensUsed, explained).toBeLessThan(100)
    expect(userCredentialFetches, explained).toBeLessThanOrEqual(idTokensUsed)

    // Phase 2: the tokens in those cookies pass their refresh point, so the server refreshes under load.
    await new Promise(resolve => setTimeout(resolve, TOKEN_LIFETIME_S * 1000))
    const refreshesBefore = backend.stats.refreshes
    await load(150, 20)
    expect(backend.stats.refreshes).toBeGreaterThan(refreshesBefore)
    expect(refreshedIdTokens.size).toBeGreaterThan(0)

    expect(results).toHaveLength(300)
    const identityIds: Record<string, Set<string>> = { alice: new Set(), bob: new Set(), guest: new Set() }
    let leaks = 0
    for (const { identity, rendered, status } of results) {
      identityIds[identity]!.add(rendered.iamIdentity)
      const expected = identity === 'guest'
        ? { viewer: 'guest', userPool: 'none (signed out)', iamRole: 'guest' }
        : { viewer: identity, userPool: identity, iamRole: 'authenticated' }
      if (status !== 200 || rendered.viewer !== expected.viewer || rendered.userPool !== expected.userPool || rendered.iamRole !== expected.iamRole)
        leaks++
    }
    // A user's iam identity is theirs alone: one stable id per user, never seen for anyone else.
    expect(identityIds.alice!.size).toBe(1)
    expect(identityIds.bob!.size).toBe(1)
    const [aliceId] = identityIds.alice!
    const [bobId] = identityIds.bob!
    expect(aliceId).not.toBe(bobId)
    expect(identityIds.guest!.has(aliceId!)).toBe(false)
    expect(identityIds.guest!.has(bobId!)).toBe(false)
    expect(leaks).toBe(0)
  })
})
