// What the server trusts: the playground built as `npm run dev` serves it, the local backend
// verifying every call, plain HTTP requests carrying only cookies, and a real Chromium.
//  - token cookies the server did not verify are no session (forged signature, admin group);
//  - an expired token is no session, whatever clockDrift cookie comes with it, and the
//    credentials cache does not outlive the token;
//  - a response rendered from a session is private for caches, a guest page is not touched;
//  - a browser iam call is never sent unsigned, even when the identity pool fails at the moment
//    Amplify would fetch credentials again (50 minutes after the last fetch).
import { generateKeyPair, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Cookie } from 'playwright-core'
import type { LocalBackend } from '../../src/local'
import { playgroundApp } from '../utils/playground'
import { decodePayload, sleep } from '../utils/local-helpers'
import { signInPage, waitForApp } from '../utils/page'

const TOKEN_LIFETIME_S = 8
const PRIVATE = 'private, no-cache, no-store, max-age=0, must-revalidate'
const MINUTE = 60_000

function field(html: string, testId: string): string {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)
  return match ? match[1]!.trim() : ''
}
function cookieHeader(cookies: { name: string, value: string }[]): string {
  return cookies.map(c => `${c.name}=${c.value}`).join('; ')
}
/** Same cookies, with the values of those whose name ends in one of `replace`'s keys swapped. */
function swap(cookies: Cookie[], replace: Record<string, string>): { name: string, value: string }[] {
  return cookies.map((c) => {
    const suffix = Object.keys(replace).find(s => c.name.endsWith(`.${s}`))
    return { name: c.name, value: suffix ? replace[suffix]! : c.value }
  })
}

describe('what the server trusts', async () => {
  const app = await playgroundApp({ tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S } })
  const { at, fetch } = app
  let backend: LocalBackend
  let browser: Browser
  beforeAll(() => {
    ({ backend, browser } = app)
  })

  /** alice signed in through the app in a fresh browser context: her cookies as the browser keeps them. */
  async function aliceCookies(): Promise<{ context: BrowserContext, cookies: Cookie[] }> {
    const context = await app.signedInContext('alice')
    return { context, cookies: await context.cookies() }
  }

  describe('forged token cookies (another key, same kid, claims of a real user, admin group)', () => {
    let forged: string
    let forgedAccess: string
    let sent: { name: string, value: string }[]

    beforeAll(async () => {
      const { context, cookies } = await aliceCookies()
      await context.close()
      const id = decodePayload(cookies.find(c => c.name.endsWith('.idToken'))!.value)
      const access = decodePayload(cookies.find(c => c.name.endsWith('.accessToken'))!.value)
      const { privateKey } = await generateKeyPair('RS256')
      const later = Math.floor(Date.now() / 1000) + 3600
      forged = await new SignJWT({ ...id, 'cognito:groups': ['admin'], 'exp': later })
        .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(privateKey)
      forgedAccess = await new SignJWT({ ...access, 'cognito:groups': ['admin'], 'exp': later })
        .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(privateKey)
      sent = swap(cookies, { idToken: forged, accessToken: forgedAccess, refreshToken: 'forged-refresh-token' })
    })

    it('SSR renders a guest: the store is signed out and the iam call uses the guest role', async () => {
      backend.clearRequests()
      const html = await (await fetch('/ssr', { headers: { cookie: cookieHeader(sent) } })).text()
      expect(field(html, 'ssr-viewer')).toBe('guest')
      expect(field(html, 'ssr-userpool')).toBe('none (signed out)')
      expect(field(html, 'ssr-iam-role')).toBe('guest')
      expect(html).not.toContain('admin')
      const calls = backend.requests.filter(r => !r.preflight)
      expect(calls.filter(r => r.api === 'userPool')).toEqual([])
      expect(calls.every(r => r.role !== 'authenticated')).toBe(true)
      // The forged token never left the server.
      expect(calls.some(r => JSON.stringify(r.headers).includes(forged.split('.')[2]!))).toBe(false)
    })

    it('the amplify-auth middleware sends the visitor to the login route', async () => {
      const response = await fetch('/private', { headers: { cookie: cookieHeader(sent) }, redirect: 'manual' })
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('/login?redirect=/private')
    })

    it('getServerAmplifySession says signedOut and useServerRestApi makes no call with those tokens', async () => {
      backend.clearRequests()
      const body = await (await fetch('/api/me', { headers: { cookie: cookieHeader(sent) } })).json()
      expect(body).toEqual({ status: 'signedOut', username: null, verified: null })
      expect(backend.requests.filter(r => !r.preflight)).toEqual([])
    })

    it('a genuine token next to a forged one is not enough either', async () => {
      const { context, cookies } = await aliceCookies()
      await context.close()
      const mixed = swap(cookies, { accessToken: forgedAccess })
      const body = await (await fetch('/api/me', { headers: { cookie: cookieHeader(mixed) } })).json()
      expect(body.status).toBe('signedOut')
      // The same cookies with both genuine tokens are alice: the check refuses only what is forged.
      const genuine = await (await fetch('/api/me', { headers: { cookie: cookieHeader(cookies) } })).json()
      expect(genuine).toMatchObject({ status: 'signedIn', username: 'alice' })
    })
  })

  it('an expired token with a clockDrift cookie is no session and gets no cached credentials', async () => {
    const { context, cookies } = await aliceCookies()
    await context.close()
    // The victim's request fills the server's credentials cache for this ID token.
    const first = await fetch('/ssr', { headers: { cookie: cookieHeader(cookies) } })
    expect(field(await first.text(), 'ssr-iam-role')).toBe('authenticated')
    // Her tokens expire. Replayed without the refresh token, with a clock drift that would make
    // Amplify think they are still fresh:
    await sleep(TOKEN_LIFETIME_S * 1000 + 1000)
    const replay = cookies
      .filter(c => !c.name.endsWith('.refreshToken') && !c.name.endsWith('.clockDrift'))
      .map(c => ({ name: c.name, value: c.value }))
    const drift = cookies.find(c => c.name.endsWith('.idToken'))!.name.replace(/idToken$/, 'clockDrift')
    replay.push({ name: drift, value: '-99999999999' })
    backend.clearRequests()
    const response = await fetch('/ssr', { headers: { cookie: cookieHeader(replay) } })
    const html = await response.text()
    expect(field(html, 'ssr-viewer')).toBe('guest')
    expect(field(html, 'ssr-iam-role')).not.toBe('authenticated')
    // Nothing reached an API with her identity: no authenticated-role signature, no token of hers.
    expect(backend.requests.some(r => r.role === 'authenticated' || r.principal === 'alice')).toBe(false)
  })

  it('a custom token set by a server middleware (setServerCustomToken) is what $restApi sends during SSR, and stays on the server', async () => {
    const bob = backend.users.find(u => u.username === 'bob')!
    backend.clearRequests()
    const html = await (await fetch('/ssr', { headers: { 'x-playground-custom-token': bob.customToken } })).text()
    expect(field(html, 'ssr-custom')).toBe('bob')
    const custom = backend.requests.filter(r => r.api === 'custom' && !r.preflight)
    expect(custom).toHaveLength(1)
    expect(custom[0]).toMatchObject({ verified: true, headers: { authorization: bob.customToken } })
    expect(html).not.toContain(bob.customToken)
    // Without it, no custom call is made.
    expect(field(await (await fetch('/ssr')).text(), 'ssr-custom')).toBe('no custom token')
  })

  describe('Cache-Control of personalised responses', () => {
    it('a page rendered from a session is private; a guest page that read no cookie is left alone', async () => {
      const { context, cookies } = await aliceCookies()
      await context.close()
      const signedIn = await fetch('/ssr', { headers: { cookie: cookieHeader(cookies) } })
      expect(signedIn.headers.get('cache-control')).toBe(PRIVATE)
      const route = await fetch('/api/me', { headers: { cookie: cookieHeader(cookies) } })
      expect(route.headers.get('cache-control')).toBe(PRIVATE)

      const guestPage = await fetch('/login')
      expect(guestPage.status).toBe(200)
      expect(guestPage.headers.get('cache-control')).toBeNull()
      const guestRoute = await fetch('/api/me')
      expect(guestRoute.headers.get('cache-control')).toBeNull()
    })

    it('a guest whose page wrote an identity cookie is private too', async () => {
      const response = await fetch('/ssr')
      expect(response.headers.getSetCookie().some(c => c.startsWith('com.amplify.Cognito.'))).toBe(true)
      expect(response.headers.get('cache-control')).toBe(PRIVATE)
    })
  })

  it('another tab\'s sign-out is seen by the next iam call at once (the cookie string is read once per task, its parse cached)', async () => {
    const context = await browser.newContext()
    const [first, second] = [await context.newPage(), await context.newPage()]
    for (const page of [first, second]) {
      await page.goto(at('/'))
      await waitForApp(page)
    }
    await signInPage(first, backend.users.find(u => u.username === 'bob')!)
    const iam = (page: typeof first) => page.evaluate(async () => {
      const api = (window as unknown as { $restApi: { get: (p: string, o: unknown) => Promise<{ role?: string, username?: string }> } }).$restApi
      try {
        const echo = await api.get('echo', { apiName: 'iam' })
        return `${echo.role}:${echo.username ?? ''}`
      }
      catch (e) {
        return (e as Error).name
      }
    })
    // The second tab shares the cookies: its calls are bob's (twice: the second from the cached parse).
    expect(await iam(second)).toBe('authenticated:bob')
    expect(await iam(second)).toBe('authenticated:bob')
    await first.evaluate(() => (window as unknown as { $amplifyAuth: { signOut: () => Promise<void> } }).$amplifyAuth.signOut())
    backend.clearRequests()
    // Bob's tokens are gone from the cookie string: the second tab's Amplify asks the identity pool
    // for a guest with bob's identity id it still holds in memory, which the pool refuses. What
    // matters here: nothing more is signed as bob.
    expect(await iam(second)).toBe('SessionExpiredError')
    expect(backend.requests.filter(r => r.api === 'iam' && !r.preflight)).toEqual([])
    await context.close()
  })

  it('a browser iam call is never sent unsigned when the identity pool fails as Amplify re-fetches credentials (50 min)', async () => {
    const context = await browser.newContext()
    await context.clock.install({ time: Date.now() })
    const page = await context.newPage()
    await page.goto(at('/'))
    await waitForApp(page)
    const call = () => page.evaluate(async () => {
      const api = (window as unknown as { $restApi: { get: (p: string, o: unknown) => Promise<{ role?: string }> } }).$restApi
      try {
        return { ok: true, role: (await api.get('echo', { apiName: 'iam' })).role }
      }
      catch (e) {
        return { ok: false, name: (e as Error).name }
      }
    })
    expect(await call()).toEqual({ ok: true, role: 'guest' })
    try {
      backend.faults.identityDown = true
      // Inside the window the credentials are still valid (1 h) but Amplify's 50-minute TTL is past.
      await page.clock.fastForward(51 * MINUTE)
      backend.clearRequests()
      const outcome = await call()
      expect(outcome.ok).toBe(false)
      expect(outcome.name).toBe('NetworkError')
      expect(backend.requests.filter(r => r.api === 'iam' && !r.preflight)).toEqual([])
    }
    finally {
      backend.faults.identityDown = false
      await context.close()
    }
  })
})
