// A wrong `amplify` configuration through the module's real setup path: a real Nuxt (loadNuxt from
// @nuxt/kit) with the module's source as its only module, in a throw-away rootDir holding whatever
// the case needs. Each case must fail with ONE AmplifyOptionsError naming the key, the value and
// what is expected; an unknown top-level key only warns, naming the closest known option.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { consola } from 'consola'
import type { ConsolaReporter } from 'consola'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadNuxt } from '@nuxt/kit'
import type { ModuleOptions } from '../../src/module'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const MODULE = join(REPO, 'src/module.ts')

const AUTH = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Setup',
  userPoolClientId: 'setupClient',
  identityPoolId: 'eu-west-1:00000000-0000-0000-0000-000000000000',
}
const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod'

interface Logged { type: string, tag: string, text: string }
const logged: Logged[] = []
const rootDirs: string[] = []

// kit's useLogger('nuxt-amplify-rest') is consola.create().withTag(): a new instance that copies
// the global instance's reporters when it is made, so a reporter added here sees the module's logs.
const capture: ConsolaReporter = {
  log(entry) {
    logged.push({ type: entry.type, tag: entry.tag, text: entry.args.map(String).join(' ') })
  },
}
beforeAll(() => {
  consola.addReporter(capture)
})
afterAll(() => {
  consola.removeReporter(capture)
  for (const dir of rootDirs) rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  logged.length = 0
})

/** A fresh rootDir with `files` in it; node_modules points at the repo's, so Nuxt resolves from there. */
function rootDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'amplify-setup-'))
  rootDirs.push(dir)
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir')
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

/**
 * Runs the module's setup in a real Nuxt: loadNuxt without `ready`, then `ready()` (which installs
 * the modules) ourselves, so the instance can be closed whether setup throws or not.
 */
async function setupWith(amplify: unknown, files: Record<string, string> = {}): Promise<{ error?: Error & { problems?: string[] } }> {
  const cwd = rootDir(files)
  const nuxt = await loadNuxt({
    cwd,
    dev: false,
    ready: false,
    overrides: { modules: [MODULE], compatibilityDate: '2026-11-01', telemetry: false, amplify: amplify as ModuleOptions } as never,
  })
  try {
    await nuxt.ready()
    return {}
  }
  catch (error) {
    return { error: error as Error & { problems?: string[] } }
  }
  finally {
    await nuxt.close()
  }
}

/** The setup must fail with exactly one problem, containing every fragment. */
async function expectOneProblem(amplify: unknown, fragments: string[], files?: Record<string, string>) {
  const { error } = await setupWith(amplify, files)
  expect(error, 'setup should have failed').toBeDefined()
  expect(error!.name).toBe('AmplifyOptionsError')
  expect(error!.problems, error!.message).toHaveLength(1)
  const [problem] = error!.problems!
  for (const fragment of fragments) expect(problem).toContain(fragment)
  // The thrown message is what `nuxi build` prints: it carries the problem itself.
  expect(error!.message).toContain(problem)
  return problem!
}

describe('module setup in a real Nuxt refuses a wrong configuration', () => {
  it('unknown authMode: names the key, the value and the modes', async () => {
    await expectOneProblem(
      { auth: AUTH, rest: { items: { endpoint: ENDPOINT, authMode: 'cognito' } } },
      ['amplify.rest.items.authMode', '"cognito"', 'expected one of "iam", "apiKey", "userPool", "custom", "none"'],
    )
  })

  it('apiKey mode without a key: names the key, that it is empty and why it is needed', async () => {
    await expectOneProblem(
      { rest: { news: { endpoint: ENDPOINT, authMode: 'apiKey' } } },
      ['amplify.rest.news.apiKey', 'is empty', 'expected the API key, because authMode is "apiKey"', 'NUXT_PUBLIC_AMPLIFY_REST_NEWS_API_KEY'],
    )
  })

  it('a forbidden request header among an API\'s static headers: names the API and the header', async () => {
    await expectOneProblem(
      { rest: { news: { endpoint: ENDPOINT, authMode: 'none', headers: { Cookie: 'session=1' } } } },
      ['amplify.rest.news.headers["Cookie"]', 'forbidden request header'],
    )
  })

  describe('endpoint', () => {
    it('missing', async () => {
      await expectOneProblem(
        { rest: { open: { authMode: 'none' } } },
        ['amplify.rest.open.endpoint', 'is empty', 'expected the absolute http(s) URL of the API'],
      )
    })

    it('relative', async () => {
      await expectOneProblem(
        { rest: { open: { endpoint: '/prod/open', authMode: 'none' } } },
        ['amplify.rest.open.endpoint', '"/prod/open"', 'expected an absolute http(s) URL'],
      )
    })

    it('not http(s)', async () => {
      await expectOneProblem(
        { rest: { open: { endpoint: 'ftp://files.example.com/prod', authMode: 'none' } } },
        ['amplify.rest.open.endpoint', '"ftp://files.example.com/prod"', 'expected an absolute http(s) URL'],
      )
    })
  })

  describe('outputs file', () => {
    it('missing: names the path given, where it looked and what is expected', async () => {
      const problem = await expectOneProblem(
        { outputs: './amplify_outputs.json' },
        ['amplify.outputs', '"./amplify_outputs.json"', 'does not exist', 'expected the path of amplify_outputs.json'],
      )
      expect(problem).toMatch(/looked at \/.*amplify-setup-[^/]+\/amplify_outputs\.json/)
    })

    it('not JSON: names the file, the parse error and what is expected', async () => {
      await expectOneProblem(
        { outputs: './amplify_outputs.json' },
        ['amplify.outputs', '"./amplify_outputs.json"', 'is not valid JSON', 'expected the amplify_outputs.json'],
        { 'amplify_outputs.json': '{ "version": "1.3", "auth": { "aws_region": "eu-west-1", } ' },
      )
    })

    const noAuth = JSON.stringify({ version: '1.3', custom: { API: { reports: { endpoint: ENDPOINT, region: 'eu-west-1' } } } })

    it('JSON without auth while an API uses userPool: names the API, its mode and the missing settings', async () => {
      await expectOneProblem(
        { outputs: './amplify_outputs.json', rest: { reports: { authMode: 'userPool' } } },
        ['amplify.rest.reports.authMode is "userPool"', 'userPoolId/userPoolClientId', 'expected them in amplify.auth or in the outputs file\'s auth section'],
        { 'amplify_outputs.json': noAuth },
      )
    })

    it('JSON without auth while an API uses iam (the default of a custom.API entry): names the missing identityPoolId', async () => {
      await expectOneProblem(
        { outputs: './amplify_outputs.json' },
        ['amplify.rest.reports.authMode is "iam"', 'amplify.auth.identityPoolId is missing', 'expected the identity pool'],
        { 'amplify_outputs.json': noAuth },
      )
    })

    it('a custom.API entry without endpoint: names the entry and what it needs', async () => {
      await expectOneProblem(
        { outputs: './amplify_outputs.json' },
        ['custom.API.reports', 'has no endpoint', 'expected { endpoint: \'https://…\', region }', 'amplify.rest.reports.endpoint'],
        { 'amplify_outputs.json': JSON.stringify({ version: '1.3', auth: { aws_region: 'eu-west-1', identity_pool_id: AUTH.identityPoolId }, custom: { API: { reports: { region: 'eu-west-1' } } } }) },
      )
    })
  })

  it('token other than id/access', async () => {
    await expectOneProblem(
      { auth: AUTH, rest: { items: { endpoint: ENDPOINT, authMode: 'userPool', token: 'refresh' } } },
      ['amplify.rest.items.token', '"refresh"', 'expected one of "id", "access"'],
    )
  })

  it('defaultApi naming no API: names the value and lists the configured APIs', async () => {
    await expectOneProblem(
      { rest: { open: { endpoint: ENDPOINT, authMode: 'none' }, other: { endpoint: ENDPOINT, authMode: 'none' } }, defaultApi: 'items' },
      ['amplify.defaultApi', '"items"', 'expected one of the configured APIs: "open", "other"'],
    )
  })

  it('an API name env variables cannot address (my-api)', async () => {
    await expectOneProblem(
      { rest: { 'my-api': { endpoint: ENDPOINT, authMode: 'none' } } },
      ['"my-api"', 'expected letters and digits starting with a letter (camelCase)', 'NUXT_PUBLIC_AMPLIFY_REST_'],
    )
  })

  it('iam with guest access but no identityPoolId: names the key and says guest credentials need it', async () => {
    await expectOneProblem(
      { auth: { region: 'eu-west-1', allowGuestAccess: true }, rest: { reports: { endpoint: ENDPOINT, authMode: 'iam' } } },
      ['amplify.rest.reports.authMode is "iam"', 'amplify.auth.identityPoolId is missing', 'guest and signed-in credentials'],
    )
  })

  it('collects every problem of one configuration into the one error', async () => {
    const { error } = await setupWith({ rest: { a: { endpoint: 'relative', authMode: 'nope' }, b: { endpoint: ENDPOINT, authMode: 'none', token: 'x' } }, defaultApi: 'c' })
    expect(error?.name).toBe('AmplifyOptionsError')
    expect(error!.problems).toEqual([
      expect.stringContaining('amplify.rest.a.endpoint is "relative"'),
      expect.stringContaining('amplify.rest.a.authMode is "nope"'),
      expect.stringContaining('amplify.rest.b.token is "x"'),
      expect.stringContaining('amplify.defaultApi is "c"'),
    ])
  })
})

describe('module setup in a real Nuxt warns about unknown keys', () => {
  it('an unknown top-level option is warned about with the closest known option, and setup goes on', async () => {
    const { error } = await setupWith({ rest: { open: { endpoint: ENDPOINT, authMode: 'none' } }, defualtApi: 'open' })
    expect(error).toBeUndefined()
    const warnings = logged.filter(entry => entry.type === 'warn' && entry.tag === 'nuxt-amplify-rest')
    expect(warnings.map(w => w.text)).toEqual([
      'amplify.defualtApi is not an option of nuxt-amplify-rest and is ignored; did you mean "defaultApi"?',
    ])
  })

  it('an unknown key far from every option lists the known ones', async () => {
    const { error } = await setupWith({ rest: { open: { endpoint: ENDPOINT, authMode: 'none' } }, somethingElse: true })
    expect(error).toBeUndefined()
    const warnings = logged.filter(entry => entry.type === 'warn' && entry.tag === 'nuxt-amplify-rest')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.text).toContain('amplify.somethingElse is not an option')
    expect(warnings[0]!.text).toContain('known options: outputs, auth, rest, defaultApi, ssr, cookie, redirect')
  })
})

describe('module setup registers the DevTools tab without @nuxt/devtools-kit at run time', () => {
  it('in development the tab is added through the devtools:customTabs hook; not in production', async () => {
    const tabsFor = async (dev: boolean) => {
      const nuxt = await loadNuxt({
        cwd: rootDir(),
        dev,
        ready: false,
        overrides: { modules: [MODULE], compatibilityDate: '2026-11-01', telemetry: false, devtools: { enabled: false }, amplify: { auth: AUTH, rest: { items: { endpoint: ENDPOINT } } } } as never,
      })
      try {
        await nuxt.ready()
        const tabs: Array<{ name: string, view: unknown }> = []
        await (nuxt.callHook as (name: string, tabs: unknown) => Promise<void>)('devtools:customTabs', tabs)
        return tabs
      }
      finally {
        await nuxt.close()
      }
    }
    expect(await tabsFor(true)).toEqual([expect.objectContaining({ name: 'amplify-rest', view: { type: 'iframe', src: '/__nuxt-amplify-rest' } })])
    expect(await tabsFor(false)).toEqual([])
  })
})
