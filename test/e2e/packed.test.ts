// The module as a user installs it: `npm pack` (which runs the real build), the tarball extracted
// into a fixture app, that app built and served against the local backend from the packed
// `nuxt-amplify-rest/local` entry. Also: the package holds only what a user needs.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser } from 'playwright-core'
import { launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'

const root = fileURLToPath(new URL('../..', import.meta.url))
const fixture = fileURLToPath(new URL('../fixtures/packed', import.meta.url))
const installed = join(fixture, 'node_modules', 'nuxt-amplify-rest')

describe('the packed module in a user\'s app', async () => {
  let files: string[] = []
  let backend: { amplify: { auth: object, rest: { iam: object, apiKey: object } }, stop: () => Promise<void> }
  let browser: Browser
  const work = mkdtempSync(join(tmpdir(), 'nar-pack-'))

  // Runs before the fixture is built (hooks run in the order they are registered).
  beforeAll(() => {
    const [report] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/^[^[]*/, ''))
    files = report.files.map((f: { path: string }) => f.path)
    rmSync(installed, { recursive: true, force: true })
    mkdirSync(installed, { recursive: true })
    execFileSync('tar', ['-xzf', join(work, report.filename), '-C', installed, '--strip-components=1'])
  }, 900_000)

  await setup({ rootDir: fixture, build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000 })

  beforeAll(async () => {
    const local = await import(pathToFileURL(join(installed, 'dist/local.mjs')).href)
    backend = await local.startLocalBackend()
    // Only what this app configures: a variable for a key the app lacks (defaultApi 'userPool') would be refused at start.
    const { auth, rest } = backend.amplify
    await startServer({ env: amplifyEnv({ auth, rest: { iam: rest.iam, apiKey: rest.apiKey } }) })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
    rmSync(work, { recursive: true, force: true })
  })

  it('packs only the built module, its types, README and LICENSE', () => {
    expect(files).toContain('dist/module.mjs')
    expect(files).toContain('dist/types.d.mts')
    expect(files).toContain('dist/local.mjs')
    expect(files).toContain('dist/runtime/shared/errors.js')
    const unexpected = files.filter(f => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f))
    expect(unexpected).toEqual([])
    expect(files.filter(f => /test|fixture|playground|bench|\.cognito|\.spec\.|\.test\./.test(f))).toEqual([])
  })

  it('renders on the server and calls from the browser through the installed package', async () => {
    const html = await (await fetch(url('/'))).text()
    expect(html).toMatch(/data-testid="role"[^>]*>\s*guest\s*</)
    const page = await browser.newPage()
    await page.goto(url('/'))
    await page.getByTestId('items').locator('li').first().waitFor({ timeout: 20_000 })
    expect(await page.getByTestId('items').locator('li').count()).toBeGreaterThanOrEqual(2)
    await page.close()
  })

  it('without the offline backend\'s optional peers, startLocalBackend() throws one error naming the install command and starts nothing', () => {
    // A copy of the installed package in an app outside the repo (nothing up the tree resolves
    // cognito-local, smithy or aws-crypto), as a user's production install has it.
    const app = join(work, 'app-without-peers')
    const scratch = join(work, 'scratch-tmp')
    cpSync(installed, join(app, 'node_modules', 'nuxt-amplify-rest'), { recursive: true })
    mkdirSync(scratch)
    const script = `
      import { startLocalBackend, LocalBackendError } from 'nuxt-amplify-rest/local'
      try {
        await startLocalBackend()
        console.log('started')
      }
      catch (error) {
        console.log(JSON.stringify({ local: error instanceof LocalBackendError, message: error.message }))
      }`
    const { NODE_PATH: _, ...env } = process.env
    // The child must end by itself: a server or cognito-local left running would keep it alive until the timeout.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: app, env: { ...env, TMPDIR: scratch }, encoding: 'utf8', timeout: 60_000,
    })
    expect(JSON.parse(out)).toEqual({
      local: true,
      message: 'Local backend: the packages "cognito-local", "@smithy/signature-v4", "@aws-crypto/sha256-js" cannot be found. '
        + 'The offline backend\'s packages are optional peer dependencies of nuxt-amplify-rest, not installed with it: '
        + 'run `npm i -D cognito-local @smithy/signature-v4 @aws-crypto/sha256-js` in your app.',
    })
    // No temp work dir (cognito-local's data) was created.
    expect(readdirSync(scratch)).toEqual([])
  })

  it('ships the command `nuxt-amplify-rest` (package.json bin); without the peers it names the install command and exits 1', () => {
    expect(files).toContain('dist/cli.mjs')
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))
    expect(pkg.bin).toEqual({ 'nuxt-amplify-rest': './dist/cli.mjs' })
    expect(readFileSync(join(installed, 'dist/cli.mjs'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    const app = join(work, 'cli-without-peers')
    cpSync(installed, join(app, 'node_modules', 'nuxt-amplify-rest'), { recursive: true })
    const { NODE_PATH: _, ...env } = process.env
    const run = spawnSync(process.execPath, [join(app, 'node_modules/nuxt-amplify-rest/dist/cli.mjs'), 'local', '--', 'node', '-e', 'console.log("ran")'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('run `npm i -D cognito-local @smithy/signature-v4 @aws-crypto/sha256-js` in your app')
    expect(run.stdout, 'the command does not run without the backend').not.toContain('ran')
  })

  it('exports the typed errors at nuxt-amplify-rest/errors, each with its own name', async () => {
    expect(existsSync(join(installed, 'dist/runtime/shared/errors.d.ts'))).toBe(true)
    const errors = await import(pathToFileURL(join(installed, 'dist/runtime/shared/errors.js')).href)
    for (const name of ['RestApiError', 'UnknownApiError', 'NotSignedInError', 'MissingCustomTokenError', 'InvalidHeaderError', 'RequestAbortedError', 'RequestTimeoutError', 'SessionExpiredError', 'NetworkError', 'InvalidPathError'])
      expect(new errors[name]('x', []).name, name).toBe(name)
  })
})
