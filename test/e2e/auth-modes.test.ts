// Every auth mode, from a real Chromium through the module built into the playground, against the
// local backend that verifies what arrives: API key, JWT (jose + JWKS), SigV4 (@smithy/signature-v4).
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend, LocalRecordedRequest } from '../../src/local'
import { collectConsole, launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { signInPage, signOutPage, waitForApp } from '../utils/page'

/** What a `$restApi` call gave the page: its value, or the typed error's fields. */
interface Outcome {
  ok: boolean
  value?: Record<string, unknown> & { body?: Record<string, unknown> }
  name?: string
  message?: string
  statusCode?: number
  body?: Record<string, unknown>
}

const TOKEN_LIFETIME_S = 8

describe('auth modes in the browser', async () => {
  let backend: LocalBackend
  let browser: Browser
  let page: Page
  let output: string[]

  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    backend = await startLocalBackend({ tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S } })
    await startServer({ env: amplifyEnv(backend.amplify) })
    browser = await launchBrowser()
    page = await browser.newPage()
    output = collectConsole(page)
    await page.goto(url('/'))
    await waitForApp(page)
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })
  beforeEach(() => backend.clearRequests())

  /** Runs `$restApi[method](path, options)` in the page. */
  function call(method: string, path: string, options: Record<string, unknown> = {}): Promise<Outcome> {
    return page.evaluate(async ([method, path, options]) => {
      const api = (window as unknown as { $restApi: Record<string, (p: string, o: unknown) => Promise<unknown>> }).$restApi
      try {
        return { ok: true, value: await api[method as string]!(path as string, options) } as Outcome
      }
      catch (e) {
        const error = e as Error & { statusCode?: number, body?: Record<string, unknown> }
        return { ok: false, name: error.name, message: error.message, statusCode: error.statusCode, body: error.body } as Outcome
      }
    }, [method, path, options] as const)
  }
  const echo = (apiName: string, options: Record<string, unknown> = {}) => call('get', 'echo', { apiName, ...options })
  // Browsers send a CORS preflight before most of these calls; only the calls themselves count here.
  const sent = (api: string): LocalRecordedRequest[] => backend.requests.filter(r => r.api === api && !r.preflight)
  const lastRequest = (api: string): LocalRecordedRequest | undefined => sent(api).at(-1)

  const signIn = (username: string) => signInPage(page, backend.users.find(u => u.username === username)!)
  const signOut = () => signOutPage(page)

  it('iam: signs with the guest role while signed out', async () => {
    const result = await echo('iam')
    expect(result.ok, result.message).toBe(true)
    expect(result.value).toMatchObject({ mode: 'iam', verified: true, role: 'guest', signed: true })
    expect(lastRequest('iam')?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=/)
  })

  it('apiKey: sends the key, unsigned and without Authorization', async () => {
    const result = await echo('apiKey')
    expect(result.value).toMatchObject({ mode: 'apiKey', verified: true, signed: false, hasAuthorization: false, hasApiKey: true })
    const seen = lastRequest('apiKey')!
    expect(seen.headers['x-api-key']).toBe(backend.amplify.rest.apiKey!.apiKey)
    expect(seen.headers.authorization).toBeUndefined()
    expect(seen.headers['x-amz-date']).toBeUndefined()
  })

  it('userPool: refused before sending while signed out', async () => {
    const result = await echo('userPool')
    expect(result).toMatchObject({ ok: false, name: 'NotSignedInError' })
    expect(sent('userPool')).toHaveLength(0)
  })

  it('custom: refused before any request until a token is set, then sends exactly it', async () => {
    const before = await echo('custom')
    expect(before).toMatchObject({ ok: false, name: 'MissingCustomTokenError' })
    expect(sent('custom')).toHaveLength(0)

    const bob = backend.users.find(u => u.username === 'bob')!
    await page.fill('[data-testid=custom-token]', bob.customToken)
    await page.click('[data-testid=set-custom-token]')
    const after = await echo('custom')
    expect(after.value).toMatchObject({ mode: 'custom', verified: true, principal: 'bob' })
    expect(lastRequest('custom')!.headers.authorization).toBe(bob.customToken)
  })

  it('a 403 rejects with RestApiError 403 carrying the server\'s body', async () => {
    const result = await echo('apiKey', { headers: { 'X-Api-Key': 'wrong-key' } })
    expect(result).toMatchObject({ ok: false, name: 'RestApiError', statusCode: 403 })
    expect(result.body).toHaveProperty('message')
    expect(lastRequest('apiKey')!.headers['x-api-key']).toBe('wrong-key')
  })

  it('raw: true gives statusCode, headers and the parsed body', async () => {
    const result = await echo('none', { raw: true })
    expect(result.value).toMatchObject({ statusCode: 200, body: { mode: 'none', verified: true } })
    expect(result.value!.headers).toMatchObject({ 'content-type': expect.stringContaining('application/json') })
  })

  describe('signed in', () => {
    beforeAll(() => signIn('alice'))
    afterAll(() => signOut())

    it('iam: signs with the authenticated role', async () => {
      const result = await echo('iam')
      expect(result.value).toMatchObject({ mode: 'iam', verified: true, role: 'authenticated', signed: true })
    })

    it('userPool: sends the raw ID token, and the access token with token: \'access\'', async () => {
      const id = await echo('userPool')
      expect(id.value).toMatchObject({ mode: 'userPool', verified: true, tokenUse: 'id', username: 'alice' })
      const idHeader = String(lastRequest('userPool')!.headers.authorization)
      expect(idHeader).not.toMatch(/^Bearer /)
      expect(idHeader.split('.')).toHaveLength(3)

      const access = await echo('userPoolAccess')
      expect(access.value).toMatchObject({ mode: 'userPool', verified: true, tokenUse: 'access', username: 'alice' })
      expect(lastRequest('userPoolAccess')!.headers.authorization).not.toBe(idHeader)
    })

    it('a per-call Authorization reaches the server for that call only', async () => {
      const bob = backend.users.find(u => u.username === 'bob')!
      const alice = backend.users.find(u => u.username === 'alice')!
      await page.fill('[data-testid=custom-token]', alice.customToken)
      await page.click('[data-testid=set-custom-token]')

      const overridden = await echo('custom', { headers: { authorization: bob.customToken } })
      expect(overridden.value).toMatchObject({ verified: true, principal: 'bob' })
      expect(lastRequest('custom')!.headers.authorization).toBe(bob.customToken)

      const next = await echo('custom')
      expect(next.value).toMatchObject({ verified: true, principal: 'alice' })
      expect(lastRequest('custom')!.headers.authorization).toBe(alice.customToken)
    })

    it('the seed\'s per-request example: del(\'items/1\', { headers: { Authorization } })', async () => {
      const bob = backend.users.find(u => u.username === 'bob')!
      await page.fill('[data-testid=override-token]', bob.customToken)
      await page.click('[data-testid=override-delete]')
      await expect.poll(() => page.getByTestId('override-result').textContent()).toMatch(/deleted|NotFound|404/)
      const seen = sent('custom').find(r => r.method === 'DELETE')!
      expect(seen.path).toMatch(/\/items\/1$/)
      expect(seen.headers.authorization).toBe(bob.customToken)
      expect(seen.principal).toBe('bob')
    })

    it('per-call authMode \'none\' sends nothing of the mode and is not signed', async () => {
      const onUserPool = await echo('userPool', { authMode: 'none' })
      expect(onUserPool).toMatchObject({ ok: false, name: 'RestApiError', statusCode: 401 })
      expect(lastRequest('userPool')!.headers.authorization).toBeUndefined()

      const onIam = await echo('iam', { authMode: 'none' })
      expect(onIam).toMatchObject({ ok: false, name: 'RestApiError' })
      expect(lastRequest('iam')!.headers.authorization).toBeUndefined()
      expect(lastRequest('iam')!.headers['x-amz-date']).toBeUndefined()

      const back = await echo('userPool')
      expect(back.value).toMatchObject({ verified: true, tokenUse: 'id' })
    })

    it('Amplify\'s own get from aws-amplify/api gets the mode\'s headers', async () => {
      const body = await page.evaluate(async () => {
        const { get } = (window as unknown as { $amplifyApi: typeof import('aws-amplify/api') }).$amplifyApi
        const { body } = await get({ apiName: 'userPool', path: '/echo' }).response
        return body.json()
      })
      expect(body).toMatchObject({ mode: 'userPool', verified: true, tokenUse: 'id', username: 'alice' })
    })

    it('a token past its refresh point is refreshed through Amplify first, and the call verifies', async () => {
      const firstToken = await page.evaluate(() => (window as unknown as { $amplifyAuth: { idToken: string } }).$amplifyAuth.idToken)
      const refreshesBefore = backend.stats.refreshes
      // Tokens live TOKEN_LIFETIME_S; the store refreshes in the last quarter of that life.
      await new Promise(resolve => setTimeout(resolve, TOKEN_LIFETIME_S * 1000))
      const result = await echo('userPool')
      expect(result.value, result.message).toMatchObject({ verified: true, tokenUse: 'id', username: 'alice' })
      expect(backend.stats.refreshes).toBeGreaterThan(refreshesBefore)
      expect(lastRequest('userPool')!.headers.authorization).not.toBe(firstToken)
    })
  })

  it('printed no token, key or password to the browser console', () => {
    const printed = output.join('\n')
    for (const user of backend.users) {
      expect(printed).not.toContain(user.password)
      expect(printed).not.toContain(user.customToken)
    }
    expect(printed).not.toContain(backend.amplify.rest.apiKey!.apiKey!)
  })
})
