// A user's app as it ships (test/fixtures/ship), built once and started against the local backend:
//  - the build prints no warning from this module (the pinia-imports transform has a source map);
//  - a `serverOnly` API's settings reach no browser (HTML, payload, client chunks), while SSR and a
//    Nitro route call it with the key given at run time; the browser gets a typed error;
//  - Amplify's custom-endpoint warnings are shown once, not on every call;
//  - started with bad run-time variables, the server logs every problem at start and answers 500
//    naming them, without stack or secret values.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getServerLogs, setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend } from '../../src/local'
import { collectConsole, launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'

const fixture = fileURLToPath(new URL('../fixtures/ship', import.meta.url))
const nuxi = fileURLToPath(new URL('../../node_modules/@nuxt/cli/bin/nuxi.mjs', import.meta.url))
const outputDir = join(fixture, '.output')
// The fixture's build-time values (test/fixtures/ship/nuxt.config.ts).
const SECRET_KEY_AT_BUILD = 'server-only-key-canary-9c7b'
const SECRET_HEADER_AT_BUILD = 'server-only-header-canary-3f8a'
const PUBLIC_KEY = 'public-key-canary-5d1e'
const CUSTOM_ENDPOINT = /You are using a custom Amazon (?:Amazon )?Cognito (User|Identity) Pool endpoint/

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name))
}

function countCustomEndpointWarnings(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const line of lines) {
    const match = CUSTOM_ENDPOINT.exec(line)
    if (match) counts[match[1]!] = (counts[match[1]!] ?? 0) + 1
  }
  return counts
}

describe('a user\'s built app', async () => {
  let backend: LocalBackend
  let browser: Browser
  let buildLog = ''
  let goodEnv: Record<string, string>

  // Built the way a user builds: `nuxi build` in its own process, whose whole output is the log
  // a user reads (an in-process build does not print the bundler's warnings the same way).
  beforeAll(() => {
    // Without vitest's variables: Nuxt silences its log in a test environment (std-env's isTest).
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(?:VITEST|TEST$|NODE_ENV$)/.test(name)))
    const build = spawnSync(process.execPath, [nuxi, 'build', fixture], { encoding: 'utf8', env: { ...env, NUXT_TELEMETRY_DISABLED: '1' } })
    buildLog = `${build.stdout}\n${build.stderr}`
    if (build.status !== 0) throw new Error(`nuxi build failed (${build.status}):\n${buildLog.slice(-3000)}`)
  }, 600_000)

  await setup({ rootDir: fixture, build: false, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000, nuxtConfig: { nitro: { output: { dir: outputDir } } } })

  beforeAll(async () => {
    backend = await startLocalBackend()
    const { auth, rest } = backend.amplify
    goodEnv = {
      ...amplifyEnv({ auth, rest: { open: { endpoint: rest.apiKey.endpoint } } }),
      // The serverOnly API's settings are private runtime config: NUXT_AMPLIFY_*, no PUBLIC.
      ...amplifyEnv({ rest: { secret: { endpoint: rest.apiKey.endpoint, apiKey: rest.apiKey.apiKey } } }, 'NUXT_AMPLIFY'),
    }
    await startServer({ env: goodEnv })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })

  it('the build prints no warning from this module', () => {
    expect(buildLog, 'the build log was captured').toContain('Build complete')
    const ours = buildLog.split('\n').filter(line => /nuxt-amplify-rest|SOURCEMAP_BROKEN/.test(line))
    expect(ours).toEqual([])
  })

  describe('a serverOnly API', () => {
    it('is rendered on the server with the key given at run time', async () => {
      const html = await (await fetch(url('/'))).text()
      expect(html).toMatch(/data-testid="principal"[^>]*>\s*apiKey\s*</)
      const served = backend.requests.filter(r => r.api === 'apiKey' && r.path.endsWith('/echo'))
      expect(served.length).toBeGreaterThan(0)
      expect(served.every(r => r.verified)).toBe(true)
    })

    it('is called by a Nitro route through useServerRestApi', async () => {
      const response = await fetch(url('/api/secret'))
      expect(response.status).toBe(200)
      const text = await response.text()
      expect(JSON.parse(text)).toMatchObject({ principal: 'apiKey', verified: true })
      expect(text).not.toContain(backend.amplify.rest.apiKey.apiKey)
    })

    it('has none of its settings in the HTML or payload; the ordinary API\'s key is there (everything public ships)', async () => {
      const html = await (await fetch(url('/'))).text()
      // Control: public runtime config is in every page, keys included.
      expect(html).toContain(PUBLIC_KEY)
      expect(html).toContain('serverOnlyApis')
      for (const secret of [backend.amplify.rest.apiKey.apiKey, SECRET_KEY_AT_BUILD, SECRET_HEADER_AT_BUILD])
        expect(html).not.toContain(secret)
    })

    it('has none of its build-time settings in any file the browser can load; the server bundle has them', () => {
      const publicFiles = filesUnder(join(outputDir, 'public'))
      expect(publicFiles.some(f => f.endsWith('.js'))).toBe(true)
      for (const file of publicFiles) {
        const text = readFileSync(file, 'latin1')
        expect(text.includes(SECRET_KEY_AT_BUILD), file).toBe(false)
        expect(text.includes(SECRET_HEADER_AT_BUILD), file).toBe(false)
      }
      // Control: the values were built in, on the server side only.
      const serverText = filesUnder(join(outputDir, 'server')).filter(f => /\.m?js$/.test(f)).map(f => readFileSync(f, 'utf8')).join('\n')
      expect(serverText).toContain(SECRET_KEY_AT_BUILD)
    })

    it('fails in the browser with UnknownApiError saying it is server-only; nothing is sent', async () => {
      const page = await browser.newPage()
      await page.goto(url('/'))
      await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
      const before = backend.requests.length
      const result = await page.evaluate(async () => {
        const api = (window as unknown as { $restApi: { get: (p: string, o: unknown) => Promise<unknown> } }).$restApi
        try {
          await api.get('echo', { apiName: 'secret' })
          return { ok: true }
        }
        catch (e) {
          return { ok: false, name: (e as Error).name, message: (e as Error).message, serverOnly: (e as { serverOnly?: boolean }).serverOnly }
        }
      })
      expect(result).toMatchObject({ ok: false, name: 'UnknownApiError', serverOnly: true })
      expect(result.message).toContain('"secret" is server-only')
      expect(result.message).toContain('useServerRestApi')
      expect(backend.requests.length).toBe(before)
      await page.close()
    })
  })

  it('Amplify\'s custom-endpoint warnings show at most once in the server log and once per page', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(url('/'))).status).toBe(200)
    expect((await fetch(url('/api/secret'))).status).toBe(200)
    // Each SSR call builds Amplify contexts, each of which warns: shown once, and shown (the control).
    expect(countCustomEndpointWarnings(getServerLogs())).toEqual({ User: 1, Identity: 1 })

    const page = await browser.newPage()
    const consoleLines = collectConsole(page)
    await page.goto(url('/'))
    await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined)
    const browserCounts = countCustomEndpointWarnings(consoleLines)
    // Control: the browser does configure the custom endpoints (the warning shows, once).
    expect(browserCounts).toEqual({ User: 1, Identity: 1 })
    await page.close()
  })

  // Last: these tests restart the server with bad variables (the test context exists only inside tests).
  describe('started with bad run-time variables', () => {
    const SECRET_NUMBER = '424242424242'
    const PROBLEMS = [
      'amplify.rest.open.endpoint is "example.com/prod"; expected an absolute http(s) URL',
      'amplify.rest.open.authMode is "IAM"; expected one of "iam", "apiKey", "userPool", "custom", "none"',
      'amplify.rest.secret.apiKey is a number; expected a string',
    ]

    it('logs every problem at start, with the build\'s messages and no secret value', async () => {
      await startServer({
        env: {
          ...goodEnv,
          NUXT_PUBLIC_AMPLIFY_REST_OPEN_ENDPOINT: 'example.com/prod',
          NUXT_PUBLIC_AMPLIFY_REST_OPEN_AUTH_MODE: 'IAM',
          // A key that the env parser turns into a number: refused, and its value never repeated.
          NUXT_AMPLIFY_REST_SECRET_API_KEY: SECRET_NUMBER,
        },
      })
      // Logged at start: startServer's readiness probe is the only request so far, and the
      // message says the problems come from the options check, not from a request.
      await expect.poll(() => getServerLogs().join('\n'), { timeout: 10_000 }).toContain('invalid `amplify` options')
      const logs = getServerLogs().join('\n')
      for (const problem of PROBLEMS) expect(logs).toContain(problem)
      expect(logs).not.toContain(SECRET_NUMBER)
    })

    it.each(['/', '/api/secret'])('answers %s with a 500 that names the problems, without stack or secret', async (path) => {
      const response = await fetch(url(path))
      expect(response.status).toBe(500)
      expect(response.headers.get('content-type')).toContain('text/plain')
      const text = await response.text()
      for (const problem of PROBLEMS) expect(text).toContain(problem)
      expect(text).not.toContain(SECRET_NUMBER)
      expect(text).not.toMatch(/\bat \S+ \(|\.mjs:\d+/)
    })
  })
})
