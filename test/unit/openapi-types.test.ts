// `rest.<name>.openapi` at build time: where the spec is looked for (pure), what the real
// openapi-typescript makes of a file and of a URL (served here on 127.0.0.1), the template, and
// each way it goes wrong failing a real Nuxt's setup with one problem naming the key.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadNuxt } from '@nuxt/kit'
import { loadOpenApiTypes, openApiSources, openApiTypesTemplate } from '../../src/openapi-types'
import type { ModuleOptions } from '../../src/module'
import { localRestOpenApi } from '../../src/local/openapi'
import { freePort } from '../utils/processes'

const REPO = fileURLToPath(new URL('../..', import.meta.url))
const SPEC_FILE = join(REPO, 'test/fixtures/openapi-types/items.openapi.json')
const SPEC = readFileSync(SPEC_FILE, 'utf8')
const dirs: string[] = []
let server: Server
let specUrl: string

function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'amplify-openapi-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

beforeAll(async () => {
  const port = await freePort()
  server = createServer((req, res) => {
    if (req.url === '/items.json') res.writeHead(200, { 'content-type': 'application/json' }).end(SPEC)
    else res.writeHead(404).end('not found')
  })
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  specUrl = `http://127.0.0.1:${port}/items.json`
})
afterAll(async () => {
  await new Promise(resolve => server?.close(resolve))
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('openApiSources', () => {
  it('resolves a file against rootDir, keeps an http(s) URL, skips APIs without openapi', () => {
    const { sources, problems } = openApiSources({
      items: { endpoint: 'https://x', openapi: './api/items.json' },
      remote: { openapi: 'https://example.com/openapi.json' },
      plain: { endpoint: 'https://x' },
    }, '/app')
    expect(problems).toEqual([])
    expect(sources).toEqual([
      { name: 'items', location: '/app/api/items.json', remote: false },
      { name: 'remote', location: 'https://example.com/openapi.json', remote: true },
    ])
  })

  it.each([
    [{ openapi: 42 }, 'amplify.rest.items.openapi is a number'],
    [{ openapi: '  ' }, 'amplify.rest.items.openapi is an empty string'],
    [{ openapi: null }, 'amplify.rest.items.openapi is null'],
    [{ openapi: 'ftp://example.com/spec.json' }, 'amplify.rest.items.openapi is "ftp://example.com/spec.json", a URL that is not http(s)'],
  ])('refuses %j naming the key and what is expected', (api, start) => {
    const { sources, problems } = openApiSources({ items: api }, '/app')
    expect(sources).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(start)
    expect(problems[0]).toContain('expected a path relative to the app\'s rootDir')
  })
})

describe('loadOpenApiTypes with openapi-typescript', () => {
  it('converts a file and a URL, once per document', async () => {
    const { specs, problems } = await loadOpenApiTypes([
      { name: 'items', location: SPEC_FILE, remote: false },
      { name: 'copy', location: SPEC_FILE, remote: false },
      { name: 'remote', location: specUrl, remote: true },
    ])
    expect(problems).toEqual([])
    expect(specs.map(spec => spec.name)).toEqual(['items', 'copy', 'remote'])
    for (const spec of specs) {
      expect(spec.types).toContain('export interface paths')
      expect(spec.types).toContain('"/items/{id}/tags/{tag}"')
    }
    const template = openApiTypesTemplate(specs, 'items', '/m/openapi-paths')
    // One namespace for the two APIs sharing a document; the URL's is the same document too.
    expect(template.match(/declare namespace/g)).toHaveLength(1)
    expect(template).toContain('declare module "/m/openapi-paths"')
    expect(template).toContain('"items": AmplifyRestSpec0.paths')
    expect(template).toContain('"remote": AmplifyRestSpec0.paths')
    expect(template).toContain('name: "items"')
  }, 120_000)

  it('a missing file names the key and the path it looked at', async () => {
    const { specs, problems } = await loadOpenApiTypes([{ name: 'items', location: '/nowhere/items.json', remote: false }])
    expect(specs).toEqual([])
    expect(problems).toEqual([expect.stringContaining('amplify.rest.items.openapi is /nowhere/items.json, which does not exist')])
  })

  it('a document that is not OpenAPI 3 names the key and the reason', async () => {
    const dir = tempDir({ 'swagger.json': JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, paths: {} }) })
    const { problems } = await loadOpenApiTypes([{ name: 'legacy', location: join(dir, 'swagger.json'), remote: false }])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`amplify.rest.legacy.openapi (${join(dir, 'swagger.json')}) could not be read as an OpenAPI 3 document`)
    expect(problems[0]).toContain('Unsupported Swagger version: 2.x')
  })

  it('an unreachable URL names the key and the URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/spec.json`
    const { problems } = await loadOpenApiTypes([{ name: 'remote', location: closed, remote: true }])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`amplify.rest.remote.openapi (${closed}) could not be read as an OpenAPI 3 document`)
  })

  it('without openapi-typescript installed: names the keys and the install command', async () => {
    const notInstalled = () => import('openapi-typescript-not-installed' as string) as never
    const { problems } = await loadOpenApiTypes([{ name: 'items', location: SPEC_FILE, remote: false }, { name: 'more', location: SPEC_FILE, remote: false }], notInstalled)
    expect(problems).toEqual(['amplify.rest.items.openapi, amplify.rest.more.openapi are set, but openapi-typescript is not installed; expected it in the app\'s devDependencies (npm install -D openapi-typescript), or remove openapi'])
  })
})

describe('a real Nuxt with the module', () => {
  const AUTH = { region: 'eu-west-1', userPoolId: 'eu-west-1_Setup', userPoolClientId: 'setupClient', identityPoolId: 'eu-west-1:00000000-0000-0000-0000-000000000000' }

  async function setup(openapi: string, files: Record<string, string> = {}) {
    const cwd = tempDir(files)
    symlinkSync(join(REPO, 'node_modules'), join(cwd, 'node_modules'), 'dir')
    const nuxt = await loadNuxt({
      cwd,
      dev: false,
      ready: false,
      overrides: { modules: [join(REPO, 'src/module.ts')], compatibilityDate: '2026-11-01', telemetry: false, amplify: { auth: AUTH, rest: { items: { endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod', openapi } } } satisfies ModuleOptions } as never,
    })
    try {
      await nuxt.ready()
      return { templates: nuxt.options.build.templates.map(template => template.filename) }
    }
    catch (error) {
      return { error: error as Error & { problems?: string[] } }
    }
    finally {
      await nuxt.close()
    }
  }

  it('a missing spec fails the setup with one problem naming the key', async () => {
    const { error } = await setup('./api/missing.json')
    expect(error?.name).toBe('AmplifyOptionsError')
    expect(error?.problems).toHaveLength(1)
    expect(error?.problems?.[0]).toMatch(/^amplify\.rest\.items\.openapi is .*api\/missing\.json, which does not exist; expected a path relative to the app's rootDir/)
    expect(error?.message).toContain(error?.problems?.[0])
  }, 120_000)

  it('an invalid spec fails the setup', async () => {
    const { error } = await setup('./items.json', { 'items.json': '{"not":"openapi"}' })
    expect(error?.name).toBe('AmplifyOptionsError')
    expect(error?.problems?.[0]).toContain('amplify.rest.items.openapi')
    expect(error?.problems?.[0]).toContain('could not be read as an OpenAPI 3 document')
  }, 120_000)

  it('a valid spec adds the type template', async () => {
    const { error, templates } = await setup('./items.json', { 'items.json': SPEC })
    expect(error).toBeUndefined()
    expect(templates).toContain('types/nuxt-amplify-rest-openapi.d.ts')
  }, 120_000)
})

describe('the playground\'s spec', () => {
  it('is the local REST server\'s localRestOpenApi, written out (node scripts/local-openapi.mjs writes it)', () => {
    const written = JSON.parse(readFileSync(join(REPO, 'playground/local-rest.openapi.json'), 'utf8')) as unknown
    expect(written).toEqual(JSON.parse(JSON.stringify(localRestOpenApi)))
  })
})
