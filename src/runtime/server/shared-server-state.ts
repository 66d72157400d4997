// The server's one SharedState, over the Nitro storage mount `amplify` (memory unless the app
// mounts a shared driver, e.g. `nitro.storage.amplify = { driver: 'redis', url }`), sealed with
// `runtimeConfig.amplify.sessionSecret` (NUXT_AMPLIFY_SESSION_SECRET). A shared driver without a
// secret is a start-up problem (options-check); with the memory driver a per-process secret serves.
import { useRuntimeConfig, useStorage } from 'nitropack/runtime'
import { consola } from 'consola'
import { MIN_SECRET_LENGTH, processSecret } from '../shared/sealed'
import { SharedState } from './shared-state'
import { MOUNT, mountInfo } from './storage-mount'

const log = consola.withTag('nuxt-amplify-rest')
let state: { shared: SharedState | undefined, acrossInstances: boolean } | undefined

function secret(): unknown {
  return (useRuntimeConfig().amplify as { sessionSecret?: unknown } | undefined)?.sessionSecret
}

/** What is wrong with the shared-state configuration ([] when fine); never repeats the secret. */
export function sharedStateProblems(): string[] {
  const { shared, driver } = mountInfo(useStorage())
  const value = secret()
  const name = 'runtimeConfig.amplify.sessionSecret (NUXT_AMPLIFY_SESSION_SECRET)'
  if (value !== undefined && value !== '' && typeof value !== 'string')
    return [`${name}: must be a string; got ${typeof value}.`]
  const length = typeof value === 'string' ? value.length : 0
  if (shared && length === 0)
    return [`${name}: missing. The storage mount "${MOUNT}" uses the shared driver "${driver}", whose entries are encrypted with it: set it to the same random string of at least ${MIN_SECRET_LENGTH} characters on every instance.`]
  if (length > 0 && length < MIN_SECRET_LENGTH)
    return [`${name}: ${length} characters; expected at least ${MIN_SECRET_LENGTH} (a random string, e.g. \`openssl rand -base64 48\`).`]
  return []
}

/** The shared state, and whether its credentials entries reach other instances (a shared driver). */
export function useSharedState(): { shared: SharedState | undefined, acrossInstances: boolean } {
  if (state) return state
  if (sharedStateProblems().length) return state = { shared: undefined, acrossInstances: false }
  const info = mountInfo(useStorage())
  const configured = secret()
  const shared = new SharedState({ ...info, secret: typeof configured === 'string' && configured ? configured : processSecret(), log })
  return state = { shared, acrossInstances: info.shared }
}
