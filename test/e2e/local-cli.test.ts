// `npx nuxt-amplify-rest local`: a user's built app (test/fixtures/local-cli, placeholders only)
// started through the command answers SSR calls of two modes verified by the backend the command
// started; Ctrl-C/SIGTERM stops the app and the backend. Without a command it writes an env file.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { canConnect, portOf } from '../utils/local-helpers'
import { freePort, run, userEnv } from '../utils/processes'

const fixture = fileURLToPath(new URL('../fixtures/local-cli', import.meta.url))
const nuxi = fileURLToPath(new URL('../../node_modules/@nuxt/cli/bin/nuxi.mjs', import.meta.url))
// The package's "bin" (dist/cli.mjs: built by build.config.ts; a stub of src/local/cli.ts after dev:prepare).
const cli = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url))

describe('npx nuxt-amplify-rest local', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [nuxi, 'build', fixture], { encoding: 'utf8', env: userEnv() })
    if (build.status !== 0) throw new Error(`nuxi build failed (${build.status}):\n${`${build.stdout}\n${build.stderr}`.slice(-3000)}`)
  }, 600_000)

  it('runs a built app against the backend it starts: SSR calls in iam and apiKey mode are verified', async () => {
    const port = await freePort()
    const command = run(process.execPath, [cli, 'local', '--api', 'reports=iam', '--api', 'catalog=apiKey', '--', process.execPath, '.output/server/index.mjs'], {
      cwd: fixture,
      env: userEnv({ PORT: String(port), HOST: '127.0.0.1' }),
    })
    try {
      const rest = (await command.waitFor(/REST (http:\/\/127\.0\.0\.1:\d+)/, 120_000))[1]!
      await command.waitFor(/Listening on/, 120_000)
      const html = await (await fetch(`http://127.0.0.1:${port}/`)).text()
      const calls = JSON.parse(/<pre data-testid="calls">([^<]*)<\/pre>/.exec(html)![1]!.replace(/&quot;/g, '"'))
      expect(calls).toEqual({
        reports: { mode: 'iam', verified: true, role: 'guest', signed: true },
        catalog: { mode: 'apiKey', verified: true, role: null, signed: false },
      })
      expect(command.output(), 'the API key is not printed when a command runs').not.toMatch(/API_KEY=/)

      expect(await command.stop()).toBe(0)
      expect(await canConnect(port), 'the app has stopped').toBe(false)
      expect(await canConnect(portOf(rest)), 'the backend has stopped').toBe(false)
    }
    finally {
      await command.stop()
    }
  }, 300_000)

  it('without a command, writes the variables to --env-out (owner-only) and runs until SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-cli-'))
    const file = join(dir, '.env.local')
    const command = run(process.execPath, [cli, 'local', '--env-out', file], { env: userEnv() })
    try {
      const rest = (await command.waitFor(/REST (http:\/\/127\.0\.0\.1:\d+)/, 120_000))[1]!
      await command.waitFor(/wrote \d+ variables/, 60_000)
      const env = parseEnv(readFileSync(file, 'utf8'))
      expect(env.NUXT_PUBLIC_AMPLIFY_REST_USER_POOL_ENDPOINT).toBe(`${rest}/userpool`)
      expect(env.NUXT_PUBLIC_AMPLIFY_AUTH_USER_POOL_ID).toMatch(/\w/)
      expect(statSync(file).mode & 0o077, 'no access for group or others').toBe(0)
      // Its API key answers the backend.
      const echo = await fetch(`${env.NUXT_PUBLIC_AMPLIFY_REST_API_KEY_ENDPOINT}/echo`, { headers: { 'x-api-key': env.NUXT_PUBLIC_AMPLIFY_REST_API_KEY_API_KEY! } })
      expect(echo.status).toBe(200)
      command.child.kill('SIGINT')
      expect(await command.exited).toBe(0)
      expect(await canConnect(portOf(rest))).toBe(false)
    }
    finally {
      await command.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('refuses a bad --api with the choices, before starting anything', async () => {
    const command = run(process.execPath, [cli, 'local', '--api', 'items=cognito'], { env: userEnv() })
    expect(await command.exited).toBe(2)
    expect(command.output()).toContain('"cognito" is no local API; expected one of iam, apiKey, userPool, userPoolAccess, custom, none')
    expect(command.output()).not.toContain('offline backend up')
  })
})
