// The playground, built as `npm run dev` serves it, against the local backend in a real Chromium.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setup, startServer, url, useTestContext } from '@nuxt/test-utils/e2e'
import type { Browser } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend } from '../../src/local'
import { collectConsole, launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'

describe('playground against the local backend', async () => {
  let backend: LocalBackend
  let browser: Browser

  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    backend = await startLocalBackend()
    await startServer({ env: amplifyEnv(backend.amplify) })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })

  it('lists the items of the REST server and signs a seeded user in', async () => {
    const page = await browser.newPage()
    const output = collectConsole(page)
    await page.goto(url('/'))
    const items = page.getByTestId('items')
    await expect.poll(() => items.locator('li').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2)
    const listed = await items.textContent() ?? ''
    const served = backend.requests.filter(r => r.api === 'apiKey' && r.path.endsWith('/items') && r.method === 'GET' && !r.preflight)
    expect(served.length).toBeGreaterThan(0)
    expect(served.every(r => r.verified)).toBe(true)
    expect(listed.length).toBeGreaterThan(0)

    const alice = backend.users.find(u => u.username === 'alice')!
    await page.fill('input[name=username]', alice.username)
    await page.fill('input[name=password]', alice.password)
    await page.click('form[data-testid=sign-in-form] button[type=submit]')
    await expect.poll(() => page.getByTestId('auth-status').textContent(), { timeout: 20_000 }).toContain('signedIn as alice')
    expect(output.join('\n')).not.toContain(alice.password)
    await page.close()
  })

  it('ships nothing of the DevTools tab in a production build', () => {
    const output = useTestContext().nuxt!.options.nitro.output!.dir!
    const files = (readdirSync(output, { recursive: true }) as string[]).filter(f => /\.(?:m?js|html)$/.test(f))
    expect(files.length).toBeGreaterThan(10)
    const leaking = files.filter((file) => {
      const text = readFileSync(join(output, file), 'utf8')
      return text.includes('__NUXT_AMPLIFY_REST_DEVTOOLS__') || text.includes('__nuxt-amplify-rest') || text.includes('devtools-kit')
    })
    expect(leaking).toEqual([])
  })
})
