// The playground's mode panels in a real Chromium against the local backend: every panel, signed out
// and signed in, shows what the server verified where the mode allows the call (custom included, with
// a local token set in one click) and the module's typed error where it does not; results of the
// previous user are cleared on sign-in and sign-out, the items panel's on an API switch; the override
// panel's errors are red; error text wraps inside its panel.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { playgroundApp } from '../utils/playground'
import { waitForApp } from '../utils/page'

// docs/*.png are tracked: only `npm run docs:screenshots` (which sets this) writes them; `npm test` does not.
const screenshots = process.env.DOCS_SCREENSHOTS === '1'
const docs = fileURLToPath(new URL('../../docs/', import.meta.url))
const APIS = ['iam', 'apiKey', 'userPool', 'userPoolAccess', 'custom', 'none'] as const

/** Calls every panel in turn; what each shows: the verified line, or the error text (and whether it is red). */
async function callAll(page: Page) {
  const shown: Record<string, { verified: string | null, result: string, red: boolean }> = {}
  for (const api of APIS) {
    const panel = page.getByTestId(`mode-${api}`)
    await page.click(`[data-testid=call-${api}]`)
    const result = panel.getByTestId('result')
    await result.waitFor({ timeout: 20_000 })
    shown[api] = {
      verified: await panel.getByTestId('verified').count() ? await panel.getByTestId('verified').textContent() : null,
      result: (await result.textContent())!,
      red: await result.evaluate(el => el.classList.contains('error')),
    }
  }
  return shown
}

describe('playground: one panel per mode', async () => {
  const app = await playgroundApp()

  it('signed out and signed in: verified where the mode allows it, a typed error where not', async () => {
    const { backend } = app
    const alice = backend.users.find(u => u.username === 'alice')!
    const bob = backend.users.find(u => u.username === 'bob')!
    const context = await app.browser.newContext({ viewport: { width: 1000, height: 900 } })
    try {
      const page = await context.newPage()
      await page.goto(app.at('/'))
      await waitForApp(page)

      // Signed out: guest iam, apiKey and none succeed; the user-pool modes and custom without a token are refused before sending.
      const out = await callAll(page)
      expect(out.iam!.verified).toMatch(/^verified iam · principal us-east-1:\S+ · role guest · SigV4-signed$/)
      expect(out.apiKey!.verified).toBe('verified apiKey · principal apiKey · not signed')
      expect(out.none!.verified).toBe('verified none · principal (none) · not signed')
      for (const api of ['userPool', 'userPoolAccess'] as const) expect(out[api]).toMatchObject({ verified: null, red: true, result: expect.stringMatching(/^NotSignedInError: /) })
      expect(out.custom).toMatchObject({ verified: null, red: true, result: expect.stringMatching(/^MissingCustomTokenError: /) })

      // The local tokens: masked until clicked; one click sets bob's and custom succeeds as bob.
      const modes = page.locator('section', { has: page.getByTestId('mode-iam') })
      const token = modes.getByTestId('token-alice')
      expect(await token.textContent()).not.toContain(alice.customToken)
      await token.click()
      expect(await token.textContent()).toBe(alice.customToken)
      await modes.getByTestId('use-token-bob').click()
      expect(await page.getByTestId('using-local-token').textContent()).toContain('bob\'s token')
      expect(await page.inputValue('[data-testid=custom-token]'), 'the token stays masked').toBe('')
      await page.click('[data-testid=call-custom]')
      await expect.poll(() => page.getByTestId('mode-custom').getByTestId('verified').textContent()).toBe('verified custom · principal bob · user bob · not signed')

      // A long error wraps inside its panel instead of widening it.
      const error = page.getByTestId('mode-userPool').getByTestId('result')
      expect(await error.evaluate(el => el.scrollWidth <= el.clientWidth)).toBe(true)

      // Sign in: the previous user's results are gone.
      await page.fill('input[name=username]', alice.username)
      await page.fill('input[name=password]', alice.password)
      await page.click('form[data-testid=sign-in-form] button[type=submit]')
      await page.getByTestId('auth-status').filter({ hasText: 'signedIn as alice' }).waitFor({ timeout: 20_000 })
      await expect.poll(() => page.getByTestId('result').count()).toBe(0)

      await modes.getByTestId('use-token-alice').click()
      const signedIn = await callAll(page)
      expect(signedIn.iam!.verified).toMatch(/^verified iam · principal us-east-1:\S+ · user alice · role authenticated · SigV4-signed$/)
      expect(signedIn.userPool!.verified).toBe(`verified userPool · principal ${alice.sub} · user alice · token id · not signed`)
      expect(signedIn.userPoolAccess!.verified).toBe(`verified userPool · principal ${alice.sub} · user alice · token access · not signed`)
      expect(signedIn.custom!.verified).toBe('verified custom · principal alice · user alice · not signed')
      expect(signedIn.apiKey!.verified).toBe('verified apiKey · principal apiKey · not signed')
      expect(signedIn.none!.verified).toBe('verified none · principal (none) · not signed')
      expect(Object.values(signedIn).every(shown => !shown.red)).toBe(true)
      await token.click()
      expect(await token.textContent(), 'masked again on a second click').not.toContain(alice.customToken)
      if (screenshots) await page.locator('section', { has: page.getByTestId('mode-iam') }).screenshot({ path: `${docs}playground-modes.png` })

      // Override panel: an unknown token is a red typed error; a local token (one click) is accepted.
      await page.fill('[data-testid=override-token]', 'not-a-token')
      await page.click('[data-testid=override-delete]')
      const override = page.getByTestId('override-result')
      await expect.poll(() => override.textContent()).toMatch(/^RestApiError \(403\): /)
      expect(await override.evaluate(el => el.classList.contains('error'))).toBe(true)
      const overrideSection = page.locator('section', { has: page.getByTestId('override-delete') })
      await overrideSection.getByTestId(`use-token-${bob.username}`).click()
      expect(await page.inputValue('[data-testid=override-token]')).toBe(bob.customToken)
      await page.click('[data-testid=override-delete]')
      await expect.poll(() => override.textContent()).not.toMatch(/^RestApiError \(403\)/)
      expect(await override.evaluate(el => el.classList.contains('error')), await override.textContent() ?? '').toBe(false)
      const deleted = backend.requests.filter(r => r.api === 'custom' && r.method === 'DELETE' && !r.preflight)
      expect(deleted.map(r => [r.verified, r.principal])).toEqual([[false, undefined], [true, 'bob']])

      // Sign out: the results are gone again.
      await page.click('[data-testid=sign-out]')
      await page.getByTestId('auth-status').filter({ hasText: 'signedOut' }).waitFor({ timeout: 20_000 })
      await expect.poll(() => page.getByTestId('result').count()).toBe(0)
      await expect.poll(() => override.count()).toBe(0)
    }
    finally {
      await context.close()
    }
  }, 240_000)

  it('items panel: an API switch shows nothing of the previous API, neither its items nor its error', async () => {
    // The list is shared by the local APIs and the test before may have deleted from it: two items first.
    const { endpoint, apiKey } = app.backend.amplify.rest.apiKey!
    for (const name of ['switch-a', 'switch-b']) {
      const created = await fetch(`${endpoint}/items`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey! }, body: JSON.stringify({ name }) })
      expect(created.status).toBe(201)
    }
    const context = await app.browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(app.at('/'))
      await waitForApp(page)
      const items = page.getByTestId('items').locator('li')
      const error = page.getByTestId('items-error')
      await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2)

      // The next API's list is held on the wire: while it loads, the previous API's items are not shown.
      const held: Array<() => Promise<void>> = []
      await page.route('**/iam/items', route => route.request().method() === 'GET' ? void held.push(() => route.continue()) : route.continue())
      await page.selectOption('[data-testid=items-api]', 'iam')
      await expect.poll(() => held.length, { timeout: 20_000 }).toBe(1)
      expect(await items.count()).toBe(0)
      await held[0]!()
      await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2)

      // An action's error on one API (userPool, signed out) is gone once another API is picked.
      await page.selectOption('[data-testid=items-api]', 'userPool')
      await expect.poll(() => error.textContent(), { timeout: 20_000 }).toMatch(/^NotSignedInError: /)
      const panel = page.locator('section', { has: page.getByTestId('items-api') })
      await panel.locator('form button[type=submit]').click()
      await panel.getByText('Loading…').waitFor({ state: 'detached', timeout: 20_000 })
      await page.selectOption('[data-testid=items-api]', 'apiKey')
      await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2)
      expect(await error.count()).toBe(0)
    }
    finally {
      await context.close()
    }
  }, 120_000)
})
