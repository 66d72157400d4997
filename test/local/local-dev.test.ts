// `amplify.local` at build time (src/local-dev.ts, src/local/app-options.ts): the app's APIs pointed
// at the local API of their mode; one backend per process, reused by a restarted dev server and
// announced once; the option checked; production builds refused.
import { createConsola } from 'consola'
import { afterAll, describe, expect, it } from 'vitest'
import type { Nuxt } from '@nuxt/schema'
import { applyLocalOption, checkLocalOption, LOCAL_IN_BUILD_MESSAGE } from '../../src/local-dev'
import { localAppOptions, PLACEHOLDER_BACKEND } from '../../src/local/app-options'
import { resolveModuleOptions } from '../../src/options'
import type { LocalBackend } from '../../src/local/types'
import type { ModuleOptions } from '../../src/runtime/shared/option-types'

const app: ModuleOptions = {
  local: true,
  rest: {
    reports: { authMode: 'iam', headers: { 'X-App': 'reports' } },
    catalog: { authMode: 'apiKey' },
    items: { authMode: 'userPool', scheme: 'Bearer' },
    profile: { authMode: 'userPool', token: 'access' },
    partner: { authMode: 'custom', serverOnly: true },
    health: { authMode: 'none' },
  },
}

/** A dev-server instance as the module sees it: its mode and its 'close' hooks. */
function devNuxt(options: Partial<Nuxt['options']> = { dev: true }) {
  const closers: Array<() => void> = []
  const nuxt = { options: { dev: false, _prepare: false, ...options }, hook: (name: string, fn: () => void) => name === 'close' && closers.push(fn) } as unknown as Nuxt
  return { nuxt, close: () => closers.forEach(fn => fn()) }
}

function capturingLogger() {
  const lines: string[] = []
  const logger = createConsola({ level: 5, reporters: [{ log: entry => lines.push(entry.args.map(String).join(' ')) }] })
  return { logger, lines }
}

describe('amplify.local', () => {
  const shared = Symbol.for('nuxt-amplify-rest.local-backend')
  afterAll(async () => {
    const current = (globalThis as Record<symbol, { backend: Promise<LocalBackend> } | undefined>)[shared]
    await (await current?.backend)?.stop()
  })

  it('points each API at the local API of its mode and keeps its own settings', () => {
    const { options } = localAppOptions(app, PLACEHOLDER_BACKEND)
    const resolved = resolveModuleOptions(options, '/')
    expect(resolved.problems).toEqual([])
    expect(resolved.options.auth).toMatchObject({ ...PLACEHOLDER_BACKEND.auth })
    const rest = resolved.options.rest
    expect(rest.reports).toMatchObject({ endpoint: 'http://127.0.0.1:1/iam', authMode: 'iam', headers: { 'X-App': 'reports' } })
    expect(rest.catalog).toMatchObject({ endpoint: 'http://127.0.0.1:1/apikey', apiKey: 'placeholder' })
    expect(rest.items).toMatchObject({ endpoint: 'http://127.0.0.1:1/userpool', token: 'id', scheme: 'Bearer' })
    expect(rest.profile).toMatchObject({ endpoint: 'http://127.0.0.1:1/userpool-access', token: 'access' })
    expect(rest.partner).toMatchObject({ endpoint: 'http://127.0.0.1:1/custom', serverOnly: true })
    expect(rest.health).toMatchObject({ endpoint: 'http://127.0.0.1:1/none', authMode: 'none' })
    // Without APIs of its own, the app gets the backend's six.
    expect(Object.keys(localAppOptions({ local: true }, PLACEHOLDER_BACKEND).options.rest!)).toEqual(['iam', 'apiKey', 'userPool', 'userPoolAccess', 'custom', 'none'])
  })

  it('checks the option, naming the key and what is expected', () => {
    expect(checkLocalOption({ port: 70000, user: [], allowInBuild: 'yes', users: [{ username: 'x' }] }).problems).toEqual([
      'amplify.local.user is not an option; expected users, port, persist, allowInBuild',
      'amplify.local.port is 70000; expected a port from 1 to 65532 (it and the next three are used)',
      'amplify.local.allowInBuild is "yes"; expected true or false',
      'amplify.local.users[0] needs a non-empty username and password; expected { username: \'carol\', password: \'Passw0rd!carol\' }',
    ])
    expect(checkLocalOption('on').problems).toEqual(['amplify.local is "on"; expected true, false or { users, port, persist, allowInBuild }'])
  })

  it('refuses a production build unless allowed, which gets placeholders', async () => {
    const { logger } = capturingLogger()
    await expect(applyLocalOption(app, devNuxt({ dev: false }).nuxt, logger)).rejects.toThrow(LOCAL_IN_BUILD_MESSAGE)
    const allowed = await applyLocalOption({ ...app, local: { allowInBuild: true } }, devNuxt({ dev: false }).nuxt, logger)
    expect(allowed.auth).toEqual(PLACEHOLDER_BACKEND.auth)
  })

  it('starts one backend, reused by a restarted dev server and announced once', async () => {
    const { logger, lines } = capturingLogger()
    const first = devNuxt()
    const a = await applyLocalOption(app, first.nuxt, logger)
    expect(a.auth!.userPoolEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(a.rest!.items!.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/userpool$/)
    // A restart: the old instance closes, a new one sets up.
    first.close()
    const b = await applyLocalOption(app, devNuxt().nuxt, logger)
    expect(b.auth).toEqual(a.auth)
    expect(b.rest).toEqual(a.rest)
    await new Promise(resolve => setTimeout(resolve, 50))
    expect(lines.filter(line => line.includes('Offline backend (amplify.local)'))).toHaveLength(1)
    expect(lines.join('\n')).toMatch(/alice \/ Passw0rd!alice \(groups: admin\); custom token: custom-/)
  }, 60_000)
})
