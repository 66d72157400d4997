// Tokens too big for a browser cookie (> 4096 bytes of name + value): Cognito puts every group in
// `cognito:groups`, so a user in many groups gets one. The built playground in a real Chromium,
// against the local backend: sign-in and refresh fail with TokenTooLargeError and leave no
// half-stored session, instead of a browser silently dropping the cookie.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend } from '../../src/local'
import { cognitoCall } from '../../src/local/cognito'
import { launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { signInPage, waitForApp } from '../utils/page'

const TOKEN_LIFETIME_S = 15
const AMPLIFY_TOKEN_COOKIE = /^CognitoIdentityServiceProvider\./
/** 40 groups of 100 characters: about 4 KB of claims, so 5 KB and more once base64url-encoded in a JWT. */
const MANY_GROUPS = Array.from({ length: 40 }, (_, i) => `team-${String(i).padStart(2, '0')}-${'x'.repeat(92)}`)

interface Outcome { ok: boolean, name?: string, message?: string, status: string, error: string | null, idToken: string | null }

describe('tokens too big for a cookie', async () => {
  let backend: LocalBackend
  let browser: Browser

  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    backend = await startLocalBackend({
      users: [
        { username: 'alice', password: 'Passw0rd!alice', groups: ['admin'] },
        { username: 'crowd', password: 'Passw0rd!crowd', groups: MANY_GROUPS },
        { username: 'grower', password: 'Passw0rd!grower' },
        { username: 'server-grower', password: 'Passw0rd!server' },
      ],
      tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S },
    })
    await startServer({ env: amplifyEnv(backend.amplify) })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })

  async function openApp(): Promise<Page> {
    const page = await (await browser.newContext()).newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    return page
  }
  async function run(page: Page, action: 'signIn' | 'refresh', username = '', password = ''): Promise<Outcome> {
    return page.evaluate(async ([action, username, password]) => {
      const auth = (window as unknown as { $amplifyAuth: { signIn: (input: unknown) => Promise<unknown>, refresh: (input: unknown) => Promise<unknown>, status: string, error: string | null, idToken: string | null } }).$amplifyAuth
      const state = () => ({ status: auth.status, error: auth.error, idToken: auth.idToken })
      try {
        await (action === 'signIn' ? auth.signIn({ username, password }) : auth.refresh({ force: true }))
        return { ok: true, ...state() }
      }
      catch (e) {
        return { ok: false, name: (e as Error).name, message: (e as Error).message, ...state() }
      }
    }, [action, username, password] as const)
  }
  /** Through cognito-local's admin API, as an administrator would in the AWS console. */
  async function addToManyGroups(username: string) {
    const { UserPools } = await cognitoCall<{ UserPools: { Id: string }[] }>(backend.urls.cognito, 'ListUserPools', { MaxResults: 10 })
    const poolId = UserPools[0]!.Id
    for (const group of MANY_GROUPS) {
      await cognitoCall(backend.urls.cognito, 'CreateGroup', { UserPoolId: poolId, GroupName: group }).catch(() => {}) // exists already
      await cognitoCall(backend.urls.cognito, 'AdminAddUserToGroup', { UserPoolId: poolId, Username: username, GroupName: group })
    }
  }
  const tokenCookies = async (page: Page) => (await page.context().cookies()).filter(c => AMPLIFY_TOKEN_COOKIE.test(c.name)).map(c => c.name)

  it('a user in many groups: sign-in fails with TokenTooLargeError naming the cause, and nothing is stored', async () => {
    const page = await openApp()
    const outcome = await run(page, 'signIn', 'crowd', 'Passw0rd!crowd')
    expect(outcome).toMatchObject({ ok: false, name: 'TokenTooLargeError', status: 'signedOut', idToken: null })
    expect(outcome.message).toMatch(/cookie would be \d+ bytes, over the 4096 bytes/)
    expect(outcome.message).toMatch(/groups/)
    expect(outcome.error).toBe(outcome.message)
    expect(await tokenCookies(page)).toEqual([])
    expect(await page.getByTestId('auth-status').textContent()).toContain('signedOut')

    // The same browser then signs in a user with ordinary tokens.
    await signInPage(page, backend.users.find(u => u.username === 'alice')!)
    await page.context().close()
  })

  it('a user whose groups grew since sign-in: the refresh fails with TokenTooLargeError and signs out locally', async () => {
    const page = await openApp()
    await signInPage(page, backend.users.find(u => u.username === 'grower')!)
    expect((await tokenCookies(page)).some(name => name.endsWith('.idToken'))).toBe(true)

    await addToManyGroups('grower')
    const refreshes = backend.stats.refreshes
    const outcome = await run(page, 'refresh')
    expect(backend.stats.refreshes).toBe(refreshes + 1)
    expect(outcome).toMatchObject({ ok: false, name: 'TokenTooLargeError', status: 'signedOut', idToken: null })
    expect(outcome.message).toMatch(/groups/)
    expect(await tokenCookies(page)).toEqual([])
    await page.getByTestId('auth-status').filter({ hasText: 'signedOut' }).waitFor()
    await page.context().close()
  })

  it('the server refreshing a session whose new tokens are too big: renders a guest and deletes the user\'s cookies', async () => {
    const page = await openApp()
    await signInPage(page, backend.users.find(u => u.username === 'server-grower')!)
    const cookies = (await page.context().cookies()).map(c => `${c.name}=${c.value}`).join('; ')
    await page.context().close()
    await addToManyGroups('server-grower')
    await new Promise(resolve => setTimeout(resolve, TOKEN_LIFETIME_S * 1000)) // past expiry: the server refreshes

    const refreshes = backend.stats.refreshes
    const response = await fetch(url('/ssr'), { headers: { cookie: cookies } })
    const html = await response.text()
    expect(backend.stats.refreshes).toBe(refreshes + 1)
    expect(/data-testid="ssr-viewer"[^>]*>([^<]*)</.exec(html)?.[1]?.trim()).toBe('guest')
    const lines = response.headers.getSetCookie()
    // Nothing a browser would drop is sent, and the user's token cookies are deleted.
    expect(lines.filter(line => line.split(';')[0]!.length > 4096)).toEqual([])
    const deleted = lines.filter(line => /Max-Age=0/i.test(line)).map(line => line.slice(0, line.indexOf('=')))
    for (const token of ['idToken', 'accessToken', 'refreshToken'])
      expect(deleted.some(name => name.endsWith(`.server-grower.${token}`)), token).toBe(true)
  })
})
