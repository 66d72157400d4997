// The server's one SharedState, handed from Nitro (plugins/shared-state.ts, which builds it from
// the storage mount and runtime config) to the per-request context through a process-wide slot.
// The context is also loaded by the app's SSR plugin, which must not import nitropack/runtime:
// Nuxt's dev server runs app code through vite-node, where Nitro's virtual modules do not resolve.
import type { SharedState } from './shared-state'

export interface SharedStateSlot {
  shared: SharedState | undefined
  /** Whether credentials entries reach other instances (a shared driver). */
  acrossInstances: boolean
}

const SLOT = Symbol.for('nuxt-amplify-rest.shared-state')
const NONE: SharedStateSlot = { shared: undefined, acrossInstances: false }

export function setSharedState(value: SharedStateSlot): void {
  (globalThis as Record<symbol, unknown>)[SLOT] = value
}

/** The state Nitro set at start; none (each process on its own) before that. */
export function sharedState(): SharedStateSlot {
  return ((globalThis as Record<symbol, unknown>)[SLOT] as SharedStateSlot | undefined) ?? NONE
}
