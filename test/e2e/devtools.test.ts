// The DevTools tab in the dev server (`npm run dev`'s setup: the playground with the local backend
// passed in AMPLIFY_LOCAL_OPTIONS), in Chromium: it shows a call the page made, with masked secrets.
// The tab page is framed inside the app page, the same-origin embedding Nuxt DevTools uses (Nuxt
// DevTools itself turns off under a test runner).
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend } from '../../src/local'
import { launchBrowser } from '../utils/browser'

const docs = fileURLToPath(new URL('../../docs/', import.meta.url))
// docs/*.png are tracked: only `npm run docs:screenshots` (which sets this) writes them; `npm test` does not.
const screenshots = process.env.DOCS_SCREENSHOTS === '1'

describe('DevTools tab (dev server)', async () => {
  let backend: LocalBackend
  let browser: Browser
  let base: string

  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), dev: true, build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    backend = await startLocalBackend()
    await startServer({ env: { AMPLIFY_LOCAL_OPTIONS: JSON.stringify(backend.amplify) } })
    base = url('/')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })

  it('shows the auth state and the page\'s calls with masked tokens', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(base, { timeout: 300_000 })
    await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined, undefined, { timeout: 300_000 })
    await page.getByTestId('items').locator('li').first().waitFor({ timeout: 30_000 })

    const alice = backend.users.find(u => u.username === 'alice')!
    await page.fill('input[name=username]', alice.username)
    await page.fill('input[name=password]', alice.password)
    await page.click('form[data-testid=sign-in-form] button[type=submit]')
    await page.getByTestId('auth-status').filter({ hasText: 'signedIn as alice' }).waitFor({ timeout: 20_000 })
    await page.click('[data-testid=call-userPool]')
    await page.getByTestId('mode-userPool').getByTestId('result').waitFor()
    if (screenshots) {
      if (!existsSync(docs)) mkdirSync(docs, { recursive: true })
      await page.screenshot({ path: `${docs}playground.png`, fullPage: true })
    }

    const idToken = await page.evaluate(() => (window as unknown as { $amplifyAuth: { idToken: string } }).$amplifyAuth.idToken)
    // The tab page in a same-origin frame of the app page, as the DevTools panel embeds it.
    await page.evaluate((src) => {
      const frame = document.createElement('iframe')
      frame.id = 'amplify-rest-devtools'
      frame.src = src
      frame.style.cssText = 'position:fixed;inset:auto 0 0 0;height:60vh;width:100vw;background:#fff;border-top:2px solid #888;z-index:9999'
      document.body.append(frame)
    }, new URL('/__nuxt-amplify-rest', base).href)
    const tab = page.frameLocator('#amplify-rest-devtools')
    await tab.locator('#calls tbody tr').filter({ hasText: 'userPool' }).first().waitFor({ timeout: 10_000 })
    const text = await tab.locator('body').textContent() ?? ''
    expect(text).toContain('signedIn')
    await expect.poll(async () => await tab.locator('#auth').textContent(), { timeout: 10_000 }).toMatch(/identity id\s*us-east-1:/)
    expect(text).toContain('alice')
    expect(text).toMatch(/GET userPool \/echo/)
    expect(text).toMatch(/GET apiKey \/items/)
    expect(text).toContain(`${idToken.slice(0, 4)}…${idToken.slice(-4)}`)
    expect(text).not.toContain(idToken)
    expect(text).not.toContain(backend.amplify.rest.apiKey.apiKey)
    if (screenshots) {
      await tab.locator('#calls').screenshot({ path: `${docs}devtools-calls.png` })
      await page.screenshot({ path: `${docs}devtools.png` })
    }

    await tab.locator('#clear').click()
    await expect.poll(() => tab.locator('#calls tbody tr').count()).toBe(0)
    await page.close()
  }, 600_000) // the dev server compiles the page on its first visit: minutes on a loaded box
})
