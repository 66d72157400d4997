// `session: 'server'` with `auth.authFlowType: 'USER_SRP_AUTH'` (the default, and what an Amplify
// Gen 2 app client allows): the server signs in by SRP, so the password never reaches the user pool.
// The playground built in that mode, a real Chromium, the local backend whose user pool proxy plays
// Cognito's side of SRP and records each step it verified (`backend.srp`).
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, Cookie, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend } from '../../src/local'
import { launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { waitForApp } from '../utils/page'
import { enableTotp, totp } from '../utils/totp'

interface Outcome { ok: boolean, value?: Record<string, unknown>, name?: string, message?: string, code?: string }

const ALICE = { username: 'alice', password: 'Passw0rd!alice', groups: ['admin'] }
const BOB = { username: 'bob', password: 'Passw0rd!bob' }
const CAROL = { username: 'carol', password: 'Temp0rary!carol', newPasswordRequired: true }

describe('session: server, USER_SRP_AUTH', async () => {
  let backend: LocalBackend
  let browser: Browser

  await setup({
    rootDir: fileURLToPath(new URL('../../playground', import.meta.url)),
    nuxtConfig: { amplify: { session: 'server' } },
    build: true,
    server: false,
    browser: false,
    // The build under a loaded machine takes longer than the default 120 s.
    setupTimeout: 600_000, serverStartTimeout: 240_000,
  })

  beforeAll(async () => {
    backend = await startLocalBackend({ users: [ALICE, BOB, CAROL] })
    const env = amplifyEnv(backend.amplify)
    // The local backend's options name USER_PASSWORD_AUTH; this app uses the SRP flow.
    env.NUXT_PUBLIC_AMPLIFY_AUTH_AUTH_FLOW_TYPE = 'USER_SRP_AUTH'
    delete env.NUXT_PUBLIC_AMPLIFY_REST_API_KEY_API_KEY
    env.NUXT_AMPLIFY_REST_API_KEY_API_KEY = backend.amplify.rest.apiKey!.apiKey!
    await startServer({ env })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })
  beforeEach(() => backend.clearRequests())

  const steps = () => backend.srp.map(({ step, username, outcome }) => `${step} ${username} ${outcome}`)
  const tokenCookies = (cookies: Cookie[]) => cookies.filter(c => c.name.startsWith('CognitoIdentityServiceProvider.') && /\.(?:idToken|accessToken|refreshToken)$/.test(c.name))
  async function openPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    return page
  }
  function auth(page: Page, action: 'signIn' | 'confirmSignIn', input: unknown): Promise<Outcome> {
    return page.evaluate(async ([action, input]) => {
      const store = (window as unknown as { $amplifyAuth: Record<string, (i?: unknown) => Promise<unknown>> }).$amplifyAuth
      try {
        return { ok: true, value: await store[action as string]!(input) } as Outcome
      }
      catch (e) {
        const error = e as Error & { code?: string }
        return { ok: false, name: error.name, message: error.message, code: error.code } as Outcome
      }
    }, [action, input] as const)
  }
  const echoUserPool = (page: Page) => page.evaluate(() => (window as unknown as { $restApi: { get: (p: string, o: unknown) => Promise<unknown> } }).$restApi.get('echo', { apiName: 'userPool' }))
  const signedInAs = (page: Page, name: string) => page.getByTestId('auth-status').filter({ hasText: `signedIn as ${name}` }).waitFor({ timeout: 15_000 })

  it('sign-in succeeds after the user pool verified the SRP proof; HttpOnly cookies; the API verifies the token', async () => {
    const page = await openPage()
    const result = await auth(page, 'signIn', { username: ALICE.username, password: ALICE.password })
    expect(result, result.message).toMatchObject({ ok: true, value: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } })
    expect(steps()).toEqual(['USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER alice verified'])
    await signedInAs(page, 'alice')
    const cookies = tokenCookies(await page.context().cookies())
    expect(cookies).toHaveLength(3)
    expect(cookies.every(c => c.httpOnly)).toBe(true)
    expect(await echoUserPool(page)).toMatchObject({ mode: 'userPool', verified: true, username: 'alice' })
    await page.context().close()
  })

  it('a wrong password: SignInError NotAuthorizedException, no cookie', async () => {
    const page = await openPage()
    const result = await auth(page, 'signIn', { username: ALICE.username, password: 'Passw0rd!alicf' })
    expect(result).toMatchObject({ ok: false, name: 'SignInError', code: 'NotAuthorizedException' })
    expect(steps()).toEqual(['USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER alice refused'])
    expect(tokenCookies(await page.context().cookies())).toEqual([])
    await page.context().close()
  })

  it('NEW_PASSWORD_REQUIRED via SRP: signIn returns the step, confirmSignIn completes it', async () => {
    const page = await openPage()
    const first = await auth(page, 'signIn', { username: CAROL.username, password: CAROL.password })
    expect(first, first.message).toMatchObject({ ok: true, value: { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } } })
    expect(steps()).toEqual(['USER_SRP_AUTH carol challenge', 'PASSWORD_VERIFIER carol verified'])
    expect(tokenCookies(await page.context().cookies())).toEqual([])
    const done = await auth(page, 'confirmSignIn', { challengeResponse: 'N3w!Passw0rd-carol' })
    expect(done, done.message).toMatchObject({ ok: true, value: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } })
    await signedInAs(page, 'carol')
    expect(await echoUserPool(page)).toMatchObject({ verified: true, username: 'carol' })
    await page.context().close()
  })

  it('an MFA code step (TOTP) via SRP: signIn returns it, the right code completes it', async () => {
    const secret = await enableTotp(backend, BOB.username, BOB.password)
    const page = await openPage()
    const first = await auth(page, 'signIn', { username: BOB.username, password: BOB.password })
    expect(first, first.message).toMatchObject({ ok: true, value: { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } } })
    expect(steps()).toEqual(['USER_SRP_AUTH bob challenge', 'PASSWORD_VERIFIER bob verified'])
    const done = await auth(page, 'confirmSignIn', { challengeResponse: totp(secret) })
    expect(done, done.message).toMatchObject({ ok: true, value: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } })
    await signedInAs(page, 'bob')
    await page.context().close()
  })
})
