// useRestApiData in the built playground (page /data, and /ssr), a real Chromium and the local
// backend, whose request log tells the server's calls (no Origin header) from the browser's.
import { parse as parseDevalue } from 'devalue'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import type { LocalRecordedRequest } from '../../src/local'
import { collectConsole } from '../utils/browser'
import { signOutPage, waitForApp } from '../utils/page'
import { playgroundApp } from '../utils/playground'

function field(html: string, testId: string): string {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)
  return match ? match[1]!.trim() : ''
}
const cookieHeader = (cookies: { name: string, value: string }[]) => cookies.map(c => `${c.name}=${c.value}`).join('; ')
/** The data calls of /data and /ssr as the REST server received them (preflights left out). */
const dataCalls = (requests: LocalRecordedRequest[]) => requests.filter(r => !r.preflight && /\/(?:echo|status\/\d+)$/.test(r.path))
const fromBrowser = (r: LocalRecordedRequest) => r.headers.origin !== undefined

/** The payload's asyncData keys (data and errors), whatever types Nuxt's reducers wrote. */
function payloadKeys(html: string): string[] {
  const text = /<script[^>]*id="__NUXT_DATA__"[^>]*>([^<]*)<\/script>/.exec(html)?.[1] ?? ''
  // Nuxt's payload types and the module's, each read as the value it wraps.
  const types = ['NuxtError', 'AmplifyRestError', 'EmptyShallowRef', 'EmptyRef', 'ShallowRef', 'ShallowReactive', 'Ref', 'Reactive', 'Island']
  const payload = parseDevalue(text, Object.fromEntries(types.map(type => [type, (value: unknown) => value]))) as { data?: Record<string, unknown>, _errors?: Record<string, unknown> }
  return [...Object.keys(payload.data ?? {}), ...Object.keys(payload._errors ?? {})]
}

/** Every text `testId` shows from the first render on (a MutationObserver sees each change before it is painted). */
async function recordTexts(page: Page, testIds: string[]) {
  await page.addInitScript((ids) => {
    const w = window as unknown as { __texts: Record<string, string[]> }
    w.__texts = Object.fromEntries(ids.map(id => [id, []]))
    const record = () => {
      for (const id of ids) {
        const text = document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim()
        const seen = w.__texts[id]!
        if (text !== undefined && seen.at(-1) !== text) seen.push(text)
      }
    }
    new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true })
    document.addEventListener('DOMContentLoaded', record)
  }, testIds)
}
const texts = (page: Page) => page.evaluate(() => (window as unknown as { __texts: Record<string, string[]> }).__texts)

describe('useRestApiData', async () => {
  const app = await playgroundApp()
  const { at, fetch, signedInContext } = app
  let context: BrowserContext
  let cookies: string
  beforeAll(async () => {
    context = await signedInContext('alice')
    cookies = cookieHeader(await context.cookies())
  }, 900_000)
  afterAll(() => context?.close())

  it('renders the signed-in user\'s data on the server, and the browser does not fetch it again when it hydrates', async () => {
    app.backend.clearRequests()
    const html = await (await fetch('/data', { headers: { cookie: cookies } })).text()
    expect(field(html, 'data-user')).toBe('alice')
    expect(field(html, 'data-who')).toMatch(/^authenticated us-east-1:/)
    expect(field(html, 'data-status')).toBe('200 OK')
    const served = dataCalls(app.backend.requests)
    expect(served.filter(fromBrowser)).toEqual([])
    expect(served.find(r => r.api === 'userPool')).toMatchObject({ verified: true, principal: expect.any(String) })
    expect(served.find(r => r.api === 'iam')).toMatchObject({ verified: true, role: 'authenticated' })

    app.backend.clearRequests()
    const page = await context.newPage()
    const output = collectConsole(page)
    await page.goto(at('/data'))
    await waitForApp(page)
    await page.waitForLoadState('networkidle')
    // A call of our own after hydration: anything hydration fetched was sent before it.
    await page.evaluate(() => (window as unknown as { $restApi: { get: (p: string, o: unknown) => Promise<unknown> } }).$restApi.get('status/204', { apiName: 'none' }))
    const calls = dataCalls(app.backend.requests)
    expect(calls.filter(r => !fromBrowser(r)).map(r => r.path).sort()).toEqual(['/iam/echo', '/none/status/200', '/none/status/403', '/userpool/echo'])
    expect(calls.filter(fromBrowser).map(r => r.path)).toEqual(['/none/status/204'])
    expect(await page.getByTestId('data-user').textContent()).toBe('alice')
    expect(output.filter(line => /hydrat/i.test(line))).toEqual([])
    await page.close()
  })

  it('refetches when a reactive path parameter changes', async () => {
    const page = await context.newPage()
    await page.goto(at('/data'))
    await waitForApp(page)
    await page.waitForLoadState('networkidle')
    app.backend.clearRequests()
    await page.selectOption('[data-testid=data-code]', '201')
    await page.getByTestId('data-status').filter({ hasText: '201 Created' }).waitFor({ timeout: 15_000 })
    expect(dataCalls(app.backend.requests).filter(fromBrowser).map(r => r.path)).toEqual(['/none/status/201'])
    await page.close()
  })

  it('after a sign-out shows the guest\'s result, and no frame shows the previous user\'s data', async () => {
    const own = await signedInContext('alice')
    const page = await own.newPage()
    await recordTexts(page, ['data-who', 'data-user'])
    await page.goto(at('/data'))
    await waitForApp(page)
    await page.getByTestId('data-user').filter({ hasText: 'alice' }).waitFor()
    const alice = (await page.getByTestId('data-who').textContent())!.trim()
    expect(alice).toMatch(/^authenticated us-east-1:/)
    const aliceIdentity = alice.split(' ')[1]!
    const before = await texts(page)

    await signOutPage(page)
    await expect.poll(() => page.getByTestId('data-who').textContent(), { timeout: 15_000 }).toMatch(/^\s*guest us-east-1:/)
    await expect.poll(() => page.getByTestId('data-user').textContent(), { timeout: 15_000 }).toContain('NotSignedInError')
    const after = await texts(page)
    const sinceSignOut = {
      who: after['data-who']!.slice(before['data-who']!.length),
      user: after['data-user']!.slice(before['data-user']!.length),
    }
    expect(sinceSignOut.who.length).toBeGreaterThan(0)
    expect(sinceSignOut.who.filter(text => text.includes('authenticated') || text.includes(aliceIdentity))).toEqual([])
    expect(sinceSignOut.user.filter(text => text.includes('alice'))).toEqual([])
    expect(sinceSignOut.who.at(-1)).not.toContain(aliceIdentity)
    await own.close()
  })

  describe('a 403 is a RestApiError with statusCode 403', () => {
    const forbidden = 'RestApiError 403 none /status/403'

    it('thrown during SSR: in the HTML, and the same after hydration', async () => {
      const html = await (await fetch('/data')).text()
      expect(field(html, 'data-forbidden')).toBe(forbidden)
      const page = await app.browser.newPage()
      const output = collectConsole(page)
      await page.goto(at('/data'))
      await waitForApp(page)
      await page.waitForLoadState('networkidle')
      expect((await page.getByTestId('data-forbidden').textContent())!.trim()).toBe(forbidden)
      expect(output.filter(line => /hydrat/i.test(line))).toEqual([])
      await page.close()
    })

    it('thrown in the browser (client-side navigation)', async () => {
      const page = await app.browser.newPage()
      await page.goto(at('/'))
      await waitForApp(page)
      app.backend.clearRequests()
      await page.click('nav a[href="/data"]')
      await page.getByTestId('data-forbidden').filter({ hasText: forbidden }).waitFor({ timeout: 15_000 })
      expect(dataCalls(app.backend.requests).filter(fromBrowser).map(r => r.path)).toContain('/none/status/403')
      await page.close()
    })

    it('thrown by the page itself: Nuxt\'s error page shows status and name, from SSR and in the browser', async () => {
      const response = await fetch('/data?fail=page', { headers: { accept: 'text/html' } })
      expect(response.status).toBe(403)
      const html = await response.text()
      expect(html).toMatch(/>403</)
      expect(html).toMatch(/>RestApiError</)

      const page = await app.browser.newPage()
      await page.goto(at('/'))
      await waitForApp(page)
      await page.evaluate(() => (window as unknown as { $router: { push: (to: string) => Promise<unknown> } }).$router.push('/data?fail=page'))
      await page.locator('h1', { hasText: '403' }).waitFor({ timeout: 15_000 })
      expect(await page.locator('h2').first().textContent()).toBe('RestApiError')
      await page.close()
    })
  })

  it('puts no token in __NUXT_DATA__ nor in any asyncData key, also with a token in a call\'s headers', async () => {
    const customToken = 'custom-token-for-bob-0123456789abcdef'
    const secrets = [...cookies.matchAll(/\.(?:idToken|accessToken|refreshToken)=([^;]+)/g)].flatMap(([, value]) => [value!, ...(value!.split('.').length === 3 ? [value!.split('.')[2]!] : [])])
    expect(secrets.length).toBeGreaterThanOrEqual(5)
    secrets.push(customToken)
    for (const path of ['/data', '/ssr']) {
      const html = await (await fetch(path, { headers: { 'cookie': cookies, 'x-playground-custom-token': customToken } })).text()
      expect(field(html, path === '/data' ? 'data-user' : 'ssr-userpool'), path).toBe('alice')
      const keys = payloadKeys(html)
      expect(keys.filter(key => key.startsWith('rest:')).length, `${path}: keys`).toBeGreaterThanOrEqual(3)
      for (const secret of secrets) {
        expect(html.includes(secret), `${path}: a token in the HTML`).toBe(false)
        expect(keys.filter(key => key.includes(secret)), `${path}: a token in a key`).toEqual([])
      }
    }
  })
})
