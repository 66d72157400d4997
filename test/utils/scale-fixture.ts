// The fixture app of the deployment tests (test/fixtures/scale: the playground's pages) built into a
// temporary directory with a given Nitro preset, the SSR page's fields as the tests read them, and
// users' cookies as a browser holding Amplify's session sends them. Used by scale, lambda and
// amplify-hosting e2e tests.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { LocalBackend } from '../../src/local'
import { initiateAuth } from './local-helpers'

const fixture = fileURLToPath(new URL('../fixtures/scale', import.meta.url))
const nuxi = fileURLToPath(new URL('../../node_modules/@nuxt/cli/bin/nuxi.mjs', import.meta.url))

/** This process's environment without vitest's variables (Nuxt silences its log in a test environment). */
export function cleanEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(?:VITEST|TEST$|NODE_ENV$)/.test(entry[0])))
}

/**
 * `nuxi build` of the fixture with `env` (e.g. NITRO_PRESET), its build directory `dir/.nuxt`, its
 * output `outputDir` (default `dir/.output`); throws with the build's log when it fails.
 */
export function buildScaleFixture(dir: string, env: Record<string, string> = {}, outputDir = join(dir, '.output')) {
  const result = spawnSync(process.execPath, [nuxi, 'build', fixture], {
    encoding: 'utf8',
    env: { ...cleanEnv(), ...env, NUXT_TELEMETRY_DISABLED: '1', SCALE_OUTPUT_DIR: outputDir, SCALE_BUILD_DIR: join(dir, '.nuxt') },
  })
  if (result.status !== 0) throw new Error(`nuxi build failed (${result.status}):\n${`${result.stdout}\n${result.stderr}`.slice(-3000)}`)
}

/** The text of the element with `data-testid="<testId>"` in a rendered page. */
export function field(html: string, testId: string): string {
  return new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim() ?? ''
}

export interface Rendered { viewer: string, userPool: string, iamRole: string, iamIdentity: string }
/** What /ssr rendered on the server: the viewer, the userPool and iam calls' answers. */
export const parseRendered = (html: string): Rendered => ({
  viewer: field(html, 'ssr-viewer'),
  userPool: field(html, 'ssr-userpool'),
  iamRole: field(html, 'ssr-iam-role'),
  iamIdentity: field(html, 'ssr-iam-identity'),
})

/** The Cookie header after a response's Set-Cookie lines, as a browser would update it. */
export function applySetCookies(header: string, lines: string[]): string {
  const jar = new Map(header.split('; ').filter(Boolean).map(pair => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))
  for (const line of lines) {
    const pair = line.split(';')[0]!
    const name = pair.slice(0, pair.indexOf('='))
    const value = pair.slice(pair.indexOf('=') + 1)
    if (!value || /max-age=0\b/i.test(line)) jar.delete(name)
    else jar.set(name, value)
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

export interface SignedInUser { name: string, cookie: string }
/** Each user signed in at the backend (fresh tokens), as the Cookie header of Amplify's cookie storage. */
export async function signedInCookies(backend: LocalBackend, list: LocalBackend['users'] = backend.users): Promise<SignedInUser[]> {
  const prefix = `CognitoIdentityServiceProvider.${backend.amplify.auth.userPoolClientId}`
  const out: SignedInUser[] = []
  for (const user of list) {
    const tokens = await initiateAuth(backend, user)
    out.push({
      name: user.username,
      cookie: [`${prefix}.LastAuthUser=${user.username}`, `${prefix}.${user.username}.idToken=${tokens.idToken}`,
        `${prefix}.${user.username}.accessToken=${tokens.accessToken}`, `${prefix}.${user.username}.refreshToken=${tokens.refreshToken}`].join('; '),
    })
  }
  return out
}

/** Each user rendered with exactly one iam identity id (of the local identity pool), no two users with the same. */
export function expectOneIdentityEach(identities: Map<string, Set<string>>) {
  const owners = new Map<string, string>()
  for (const [name, ids] of identities) {
    expect(ids.size, `${name}'s identity ids`).toBe(1)
    const [id] = ids
    expect(id).toMatch(/^us-east-1:/)
    expect(owners.get(id!) ?? name).toBe(name)
    owners.set(id!, name)
  }
  expect(owners.size).toBe(identities.size)
}
