// `session: 'browser'` with `auth.authFlowType: 'USER_SRP_AUTH'`: Amplify's own SRP sign-in in a
// real Chromium (the store's signIn) against the local backend, whose user pool proxy plays
// Cognito's side of SRP (cognito-local has none) and records the steps it verified.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend } from '../../src/local'
import { launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { signInPage, waitForApp } from '../utils/page'

describe('session: browser, Amplify\'s USER_SRP_AUTH against the local backend', async () => {
  let backend: LocalBackend
  let browser: Browser

  // The build under a loaded machine takes longer than the default 120 s.
  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    backend = await startLocalBackend()
    await startServer({ env: { ...amplifyEnv(backend.amplify), NUXT_PUBLIC_AMPLIFY_AUTH_AUTH_FLOW_TYPE: 'USER_SRP_AUTH' } })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })

  const steps = () => backend.srp.map(({ step, username, outcome }) => `${step} ${username} ${outcome}`)
  async function openPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    return page
  }

  it('signs in by SRP: the pool verified the proof, the API verifies the token', async () => {
    backend.clearRequests()
    const page = await openPage()
    await signInPage(page, backend.users.find(u => u.username === 'alice')!)
    expect(steps()).toEqual(['USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER alice verified'])
    const echo = await page.evaluate(() => (window as unknown as { $restApi: { get: (p: string, o: unknown) => Promise<unknown> } }).$restApi.get('echo', { apiName: 'userPool' }))
    expect(echo).toMatchObject({ mode: 'userPool', verified: true, username: 'alice' })
    await page.context().close()
  })

  it('a wrong password: the store\'s signIn rejects with NotAuthorizedException, still signed out', async () => {
    backend.clearRequests()
    const page = await openPage()
    const error = await page.evaluate(async () => {
      try {
        await (window as unknown as { $amplifyAuth: { signIn: (i: unknown) => Promise<unknown> } }).$amplifyAuth.signIn({ username: 'alice', password: 'Passw0rd!alicf' })
        return 'resolved'
      }
      catch (e) {
        return (e as Error).name
      }
    })
    expect(error).toBe('NotAuthorizedException')
    expect(steps()).toEqual(['USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER alice refused'])
    expect(await page.getByTestId('auth-status').textContent()).toContain('signedOut')
    await page.context().close()
  })
})
