// The fixture app (the playground's pages) built with Nitro's `aws-amplify` preset, as Amplify
// Hosting builds it: the deploy manifest and the static files checked as Amplify Hosting reads them,
// and the compute entry (`compute/default/server.js`, a Node server on port 3000) run unchanged as
// a real child process; a preload (test/utils/listen-harness.mjs) only moves its listen to a free
// 127.0.0.1 port. Three users' SSR requests, one after another and concurrent, against the local backend.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifyEnv } from '../utils/env'
import { run, type Running } from '../utils/processes'
import { applySetCookies, buildScaleFixture, cleanEnv, parseRendered, signedInCookies, type SignedInUser, expectOneIdentityEach } from '../utils/scale-fixture'

const harness = fileURLToPath(new URL('../utils/listen-harness.mjs', import.meta.url))
const TOKEN_LIFETIME_S = 12

interface Route { path: string, target: { kind: string, src?: string, cacheControl?: string }, fallback?: { kind: string, src?: string } }
interface DeployManifest { version: number, routes: Route[], computeResources?: { name: string, entrypoint: string, runtime: string }[], framework?: { name: string } }

/** Whether a manifest route path (`*` any characters, as Amplify Hosting matches them) covers `path`. */
function routeMatches(pattern: string, path: string): boolean {
  const source = pattern.split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${source}$`).test(path)
}

describe('the aws-amplify preset (Amplify Hosting compute)', () => {
  let dir = ''
  let hosting = ''
  let backend: LocalBackend
  let server: Running
  let base = ''
  let users: SignedInUser[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amplify-hosting-'))
    hosting = join(dir, '.amplify-hosting')
    buildScaleFixture(dir, { NITRO_PRESET: 'aws-amplify' }, hosting)
    backend = await startLocalBackend({
      users: ['ana', 'ben', 'cy'].map(username => ({ username, password: `Passw0rd!${username}` })),
      tokenValidity: { idToken: TOKEN_LIFETIME_S, accessToken: TOKEN_LIFETIME_S },
      startupTimeout: 120_000,
    })
    // The entry the manifest names, as Amplify Hosting's compute starts it; the environment is the
    // server's (Amplify Hosting would have baked these in at build: see README "Deploying").
    server = run(process.execPath, ['--import', harness, join(hosting, 'compute/default/server.js')], {
      env: { ...cleanEnv(), ...amplifyEnv(backend.amplify), NODE_ENV: 'production' },
    })
    const [, port] = await server.waitFor(/listen-harness: 127\.0\.0\.1:(\d+)/, 120_000)
    base = `http://127.0.0.1:${port}`
    users = await signedInCookies(backend)
  }, 900_000)

  afterAll(async () => {
    await server?.stop()
    await backend?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('builds what Amplify Hosting deploys: a valid deploy-manifest.json, its compute entrypoint, the static files every page loads', async () => {
    const manifest = JSON.parse(readFileSync(join(hosting, 'deploy-manifest.json'), 'utf8')) as DeployManifest
    expect(manifest.version).toBe(1)
    expect(manifest.framework?.name).toBe('nuxt')
    const compute = manifest.computeResources ?? []
    expect(compute.map(c => c.name)).toEqual(['default'])
    for (const resource of compute) {
      expect(resource.runtime).toMatch(/^nodejs\d+\.x$/)
      expect(statSync(join(hosting, 'compute', resource.name, resource.entrypoint)).isFile()).toBe(true)
    }
    expect(manifest.routes.length).toBeGreaterThan(0)
    for (const route of manifest.routes) {
      expect(route.path, JSON.stringify(route)).toMatch(/^\//)
      for (const target of [route.target, route.fallback].filter(t => t !== undefined)) {
        expect(['Compute', 'Static'], JSON.stringify(route)).toContain(target.kind)
        if (target.kind === 'Compute') expect(compute.map(c => c.name)).toContain(target.src)
      }
    }
    // The last route sends everything else (pages, /api) to the compute.
    expect(manifest.routes.at(-1)).toMatchObject({ path: '/*', target: { kind: 'Compute', src: 'default' } })
    // Every script and style a server-rendered page references is a static file there, routed to Static
    // (the first route that matches wins, as in Amplify Hosting).
    const html = await (await fetch(`${base}/ssr`)).text()
    const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/_nuxt\/[^"?#]+)"/g)].map(m => m[1]!))]
    expect(assets.some(asset => asset.endsWith('.js'))).toBe(true)
    for (const asset of assets) {
      expect(existsSync(join(hosting, 'static', asset)), `static${asset}`).toBe(true)
      expect(manifest.routes.find(route => routeMatches(route.path, asset))?.target.kind, asset).toBe('Static')
    }
    expect(manifest.routes.find(route => routeMatches(route.path, '/ssr'))?.target.kind).toBe('Compute')
  })

  it('three users, one after another and 36 at a time in one server process: each page shows only its user (userPool and iam), refreshed tokens come back as Set-Cookie', async () => {
    const leaks: string[] = []
    const identities = new Map<string, Set<string>>()
    let refreshed = 0
    async function render(user: SignedInUser) {
      const response = await fetch(`${base}/ssr`, { headers: { cookie: user.cookie, accept: 'text/html' } })
      const lines = response.headers.getSetCookie()
      if (lines.some(line => /\.idToken=[^;]+/.test(line))) {
        refreshed++
        expect(lines.some(line => /\.accessToken=[^;]+/.test(line))).toBe(true)
      }
      user.cookie = applySetCookies(user.cookie, lines)
      const seen = parseRendered(await response.text())
      if (response.status !== 200 || seen.viewer !== user.name || seen.userPool !== user.name || seen.iamRole !== 'authenticated')
        leaks.push(`${user.name} got ${response.status} ${JSON.stringify(seen)}`)
      if (!identities.has(user.name)) identities.set(user.name, new Set())
      identities.get(user.name)!.add(seen.iamIdentity)
    }
    let n = 0
    for (let i = 0; i < 30; i++) await render(users[n++ % users.length]!)
    // Past every user's refresh point (a quarter of the lifetime before expiry): each user's next
    // request refreshes, and sends the new tokens back.
    await new Promise(resolve => setTimeout(resolve, TOKEN_LIFETIME_S * 1000 * 0.8))
    const before = refreshed
    for (let i = 0; i < users.length; i++) await render(users[n++ % users.length]!)
    expect(refreshed - before).toBe(users.length)
    for (let round = 0; round < 3; round++)
      await Promise.all(Array.from({ length: 36 }, () => render(users[n++ % users.length]!)))
    expect(n).toBeGreaterThanOrEqual(140)
    expect(leaks).toEqual([])
    expect(identities.size).toBe(users.length)
    expectOneIdentityEach(identities)
    expect(server.output()).not.toMatch(/eyJ[\w-]+\.eyJ/)
  }, 300_000)
})
