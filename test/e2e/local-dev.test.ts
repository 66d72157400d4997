// `amplify: { local: true }` (test/fixtures/local-dev: APIs by mode only, no ids or endpoints):
// `nuxi dev` starts the offline backend, prints its users once, and a real Chromium calls an API
// of each mode, verified by the backend; stopping dev stops the backend. `nuxi build` refuses it.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { launchBrowser } from '../utils/browser'
import { canConnect, portOf } from '../utils/local-helpers'
import { freePort, run, userEnv } from '../utils/processes'

const fixture = fileURLToPath(new URL('../fixtures/local-dev', import.meta.url))
const nuxi = fileURLToPath(new URL('../../node_modules/@nuxt/cli/bin/nuxi.mjs', import.meta.url))

describe('amplify: { local: true }', () => {
  it('under nuxi dev: every mode is called and verified against the backend the module started', async () => {
    const port = await freePort()
    const dev = run(process.execPath, [nuxi, 'dev', fixture, '--port', String(port), '--host', '127.0.0.1'], { env: userEnv() })
    const browser = await launchBrowser()
    try {
      const rest = (await dev.waitFor(/REST (http:\/\/127\.0\.0\.1:\d+)/, 300_000))[1]!
      const alice = (await dev.waitFor(/alice \/ (\S+) \(groups: admin\); custom token: (custom-[\w-]+)/))
      const [, password, customToken] = alice
      await dev.waitFor(/Local:\s+http:\/\/127\.0\.0\.1:\d+/, 300_000)

      const page = await browser.newPage()
      await page.goto(`http://127.0.0.1:${port}/`, { timeout: 300_000 })
      await page.getByTestId('status').filter({ hasText: 'ready signedOut' }).waitFor({ timeout: 300_000 })
      await page.fill('input[name=username]', 'alice')
      await page.fill('input[name=password]', password!)
      await page.click('form[data-testid=sign-in] button[type=submit]')
      await page.getByTestId('status').filter({ hasText: 'signedIn' }).waitFor({ timeout: 60_000 })
      await page.fill('input[name=custom-token]', customToken!)
      await page.click('[data-testid=set-token]')
      await page.click('[data-testid=call-all]')
      await page.getByTestId('results').filter({ hasText: 'health' }).waitFor({ timeout: 60_000 })
      const results = JSON.parse((await page.getByTestId('results').textContent())!)
      expect(results).toEqual({
        reports: { mode: 'iam', verified: true, principal: expect.stringMatching(/^us-east-1:/), role: 'authenticated', tokenUse: null, signed: true },
        catalog: { mode: 'apiKey', verified: true, principal: 'apiKey', role: null, tokenUse: null, signed: false },
        items: { mode: 'userPool', verified: true, principal: expect.any(String), role: null, tokenUse: 'id', signed: false },
        profile: { mode: 'userPool', verified: true, principal: expect.any(String), role: null, tokenUse: 'access', signed: false },
        partner: { mode: 'custom', verified: true, principal: 'alice', role: null, tokenUse: null, signed: false },
        health: { mode: 'none', verified: true, principal: null, role: null, tokenUse: null, signed: false },
      })
      expect(dev.output().match(/Offline backend \(amplify\.local\)/g), 'the users are printed once').toHaveLength(1)

      await browser.close()
      await dev.stop()
      expect(await canConnect(portOf(rest)), 'the backend stopped with dev').toBe(false)
    }
    finally {
      await browser.close()
      await dev.stop()
    }
  }, 900_000)

  it('nuxi build of the same app fails with the clear error', () => {
    const build = spawnSync(process.execPath, [nuxi, 'build', fixture], { encoding: 'utf8', env: userEnv() })
    const output = `${build.stdout}\n${build.stderr}`
    expect(build.status, output.slice(-2000)).not.toBe(0)
    expect(output).toContain('amplify.local is on, but this is a production build: the offline backend runs only under "nuxi dev"')
    expect(output).toContain('npx nuxt-amplify-rest local')
  }, 300_000)
})
