// The set-up most e2e files share: the playground built as `npm run dev` serves it, started against
// a fresh local backend (NUXT_PUBLIC_AMPLIFY_* from its options), a real Chromium, and the sign-in
// a user does on the login page. Call from an async describe: `const app = await playgroundApp()`.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, BrowserContext } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend, LocalBackendOptions } from '../../src/local'
import { launchBrowser } from './browser'
import { amplifyEnv } from './env'
import { waitForApp } from './page'

export interface PlaygroundApp {
  readonly backend: LocalBackend
  readonly browser: Browser
  /** An absolute URL of the app (test-utils' url() needs a per-test context that nested hooks lack). */
  at: (path: string) => string
  fetch: (path: string, init?: RequestInit) => Promise<Response>
  /** Signs `username` in through the login page in a fresh browser context; returns the context. */
  signedInContext: (username: string) => Promise<BrowserContext>
}

export async function playgroundApp(backendOptions: LocalBackendOptions = {}): Promise<PlaygroundApp> {
  let backend: LocalBackend | undefined
  let browser: Browser | undefined
  let base = ''
  // Generous: the build is slow on a loaded machine.
  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })
  beforeAll(async () => {
    backend = await startLocalBackend(backendOptions)
    await startServer({ env: { ...amplifyEnv(backend.amplify), PLAYGROUND_LOCAL_USERS: JSON.stringify(backend.users.map(({ username, customToken }) => ({ username, customToken }))) } })
    base = url('/')
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })
  const at = (path: string) => new URL(path, base).href
  const app: PlaygroundApp = {
    get backend() {
      return backend!
    },
    get browser() {
      return browser!
    },
    at,
    fetch: (path, init) => globalThis.fetch(at(path), init),
    async signedInContext(username) {
      const user = backend!.users.find(u => u.username === username)!
      const context = await browser!.newContext()
      const page = await context.newPage()
      await page.goto(at('/login'))
      await waitForApp(page)
      await page.fill('input[name=username]', user.username)
      await page.fill('input[name=password]', user.password)
      await page.click('form[data-testid=sign-in-form] button[type=submit]')
      await page.getByTestId('auth-status').filter({ hasText: `signedIn as ${username}` }).waitFor({ timeout: 15_000 })
      await page.close()
      return context
    },
  }
  return app
}
