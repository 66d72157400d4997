// `amplify: { local: true | { users, port, persist, allowInBuild } }`: under `nuxi dev` the offline backend is
// started once per process (a dev-server restart reuses it; it stops when no Nuxt instance has used
// it for a while, or when the process exits) and the app's options are pointed at it. A production
// build with it is refused unless `allowInBuild`, which builds placeholders for the command
// `npx nuxt-amplify-rest local`. Build time only.

import { resolve } from 'node:path'
import type { Nuxt } from '@nuxt/schema'
import type { ConsolaInstance } from 'consola'
import type { LocalOption, ModuleOptions } from './runtime/shared/option-types'
import { AmplifyOptionsError } from './runtime/shared/validate-options'
import { localAppOptions, PLACEHOLDER_BACKEND } from './local/app-options'
import type { LocalBackend, LocalBackendOptions } from './local/types'

/** How long an unused backend outlives the last dev-server instance (a restart picks it up again). */
const IDLE_STOP_MS = 15_000
const LOCAL_KEYS = ['users', 'port', 'persist', 'allowInBuild']
/** `persist: true`: the state directory under the app's rootDir. */
export const DEFAULT_PERSIST_DIR = '.data/amplify-local'

export const LOCAL_IN_BUILD_MESSAGE = 'amplify.local is on, but this is a production build: the offline backend runs only under "nuxi dev". '
  + 'For production, remove "local" and configure amplify.auth and amplify.rest (or amplify.outputs) for AWS. '
  + 'To run a built app against the offline backend, build it with placeholder settings and start it with '
  + '"npx nuxt-amplify-rest local --api <name>=<localApi> -- node .output/server/index.mjs" '
  + '(a test may build with local: { allowInBuild: true }, which writes such placeholders).'

interface Shared {
  key: string
  backend: Promise<LocalBackend>
  users: number
  idle?: ReturnType<typeof setTimeout>
}
const SHARED = Symbol.for('nuxt-amplify-rest.local-backend')
const holder = globalThis as { [SHARED]?: Shared }

/** The `local` option checked: one problem per bad key, named with what is expected. */
export function checkLocalOption(value: unknown): { option: LocalOption, problems: string[] } {
  if (value === true) return { option: {}, problems: [] }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { option: {}, problems: [`amplify.local is ${JSON.stringify(value)}; expected true, false or { users, port, persist, allowInBuild }`] }
  const option = value as LocalOption
  const problems: string[] = []
  for (const key of Object.keys(option)) {
    if (!LOCAL_KEYS.includes(key)) problems.push(`amplify.local.${key} is not an option; expected ${LOCAL_KEYS.join(', ')}`)
  }
  if (option.port !== undefined && (!Number.isInteger(option.port) || option.port < 1 || option.port > 65532))
    problems.push(`amplify.local.port is ${JSON.stringify(option.port)}; expected a port from 1 to 65532 (it and the next three are used)`)
  if (option.persist !== undefined && typeof option.persist !== 'boolean' && (typeof option.persist !== 'string' || !option.persist.trim()))
    problems.push(`amplify.local.persist is ${JSON.stringify(option.persist)}; expected true (${DEFAULT_PERSIST_DIR} under the app's rootDir), false, or a directory path such as '.data/amplify-local'`)
  if (option.allowInBuild !== undefined && typeof option.allowInBuild !== 'boolean')
    problems.push(`amplify.local.allowInBuild is ${JSON.stringify(option.allowInBuild)}; expected true or false`)
  if (option.users !== undefined) {
    if (!Array.isArray(option.users)) problems.push('amplify.local.users is not an array; expected [{ username, password, email?, groups? }]')
    else option.users.forEach((user, i) => {
      if (!user || typeof user.username !== 'string' || !user.username || typeof user.password !== 'string' || !user.password)
        problems.push(`amplify.local.users[${i}] needs a non-empty username and password; expected { username: 'carol', password: 'Passw0rd!carol' }`)
    })
  }
  return { option, problems }
}

/** The options the module resolves instead of the app's own when `local` is on. */
export async function applyLocalOption(app: ModuleOptions, nuxt: Nuxt, logger: ConsolaInstance): Promise<ModuleOptions> {
  const { option, problems } = checkLocalOption(app.local)
  if (problems.length) throw new AmplifyOptionsError(problems)
  if (app.outputs !== undefined) logger.warn('amplify.local is on: amplify.outputs is ignored (its ids and endpoints are AWS\'s)')
  if (nuxt.options._prepare) return localAppOptions(app, PLACEHOLDER_BACKEND).options
  if (!nuxt.options.dev) {
    if (!option.allowInBuild) throw new AmplifyOptionsError([LOCAL_IN_BUILD_MESSAGE])
    logger.warn('amplify.local.allowInBuild: this build has placeholder Cognito and REST settings; start it with `npx nuxt-amplify-rest local`')
    return localAppOptions(app, PLACEHOLDER_BACKEND).options
  }
  const backend = await sharedBackend(option, nuxt, logger)
  const { options, apis } = localAppOptions(app, backend.amplify)
  logger.info(`Offline backend: ${Object.entries(apis).map(([name, api]) => `${name} → local ${api}`).join(', ')}`)
  return options
}

async function sharedBackend(option: LocalOption, nuxt: Nuxt, logger: ConsolaInstance): Promise<LocalBackend> {
  const backendOptions: LocalBackendOptions = {
    ...(option.users ? { users: option.users } : {}),
    ...(option.port ? { ports: { userPool: option.port, identity: option.port + 1, rest: option.port + 2, cognito: option.port + 3 } } : {}),
    ...(option.persist ? { persist: resolve(nuxt.options.rootDir, option.persist === true ? DEFAULT_PERSIST_DIR : option.persist) } : {}),
  }
  const key = JSON.stringify(backendOptions)
  let shared = holder[SHARED]
  if (shared && shared.key !== key) {
    // The option changed between restarts: the old backend makes way for one that matches it.
    holder[SHARED] = undefined
    clearTimeout(shared.idle)
    await shared.backend.then(backend => backend.stop(), () => {})
    shared = undefined
  }
  if (!shared) {
    const started = import('./local/index').then(({ startLocalBackend }) => startLocalBackend(backendOptions))
    shared = { key, backend: started, users: 0 }
    holder[SHARED] = shared
    started.then((backend) => {
      printUsers(backend, logger)
      stopOnSignals(backend)
    }, () => {
      if (holder[SHARED] === shared) holder[SHARED] = undefined
    })
  }
  const current = shared
  clearTimeout(current.idle)
  current.users++
  nuxt.hook('close', () => {
    current.users--
    if (current.users > 0) return
    current.idle = setTimeout(() => {
      if (holder[SHARED] === current) holder[SHARED] = undefined
      void current.backend.then(backend => backend.stop(), () => {})
    }, IDLE_STOP_MS)
    current.idle.unref()
  })
  return current.backend
}

/**
 * `nuxi dev` ends its server process with SIGTERM, which skips 'exit' listeners: stop the backend
 * first (its temp dir removed, cognito-local ended), then let the signal do what it would have done.
 */
function stopOnSignals(backend: LocalBackend): void {
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const
  const handlers = signals.map(signal => [signal, () => {
    for (const [name, handler] of handlers) process.off(name, handler)
    void backend.stop().finally(() => {
      // Others listening decide how the process ends; alone, end it as the signal would have.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    })
  }] as const)
  for (const [name, handler] of handlers) process.once(name, handler)
  const stop = backend.stop
  backend.stop = () => {
    for (const [name, handler] of handlers) process.off(name, handler)
    return stop()
  }
}

/** Once per started backend: who can sign in, and the tokens the `custom` API accepts. */
function printUsers(backend: LocalBackend, logger: ConsolaInstance): void {
  const lines = backend.users.map(user => `  ${user.username} / ${user.password}${user.groups.length ? ` (groups: ${user.groups.join(', ')})` : ''}; custom token: ${user.customToken}`)
  logger.box([
    'Offline backend (amplify.local) — development only, on loopback:',
    `user pool ${backend.urls.userPool}, identity ${backend.urls.identity}, REST ${backend.urls.rest}`,
    'Users:',
    ...lines,
  ].join('\n'))
}
