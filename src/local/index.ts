// Entry of `nuxt-amplify-rest/local`: an offline stand-in for the AWS pieces
// the module talks to (user pool, identity pool, API Gateway), for the
// playground, this repo's tests and users' own tests.

import { LocalBackendError } from './http'
import type { LocalBackend, LocalBackendOptions } from './types'

export type * from './types'
export { LocalBackendError }

/**
 * Starts cognito-local, a refresh proxy in front of it, an identity pool and a
 * REST server with one API per auth mode, all on loopback, and resolves with
 * module options pointing at them. Rejects with one `LocalBackendError` (and
 * nothing left running) if any part fails to start; call `stop()` when done.
 *
 * The implementation is loaded on demand so that a missing dependency
 * (jose, smithy, cognito-local) surfaces here as an actionable error instead of
 * as an import failure of `nuxt-amplify-rest/local` itself.
 */
export async function startLocalBackend(options: LocalBackendOptions = {}): Promise<LocalBackend> {
  let backend: typeof import('./backend')
  try {
    backend = await import('./backend')
  }
  catch (error) {
    throw missingDependency(error)
  }
  return backend.start(options)
}

function missingDependency(error: unknown): LocalBackendError {
  const message = (error as Error)?.message ?? String(error)
  const name = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1]
    ?? /Failed to (?:load|resolve)[^'"]*['"]([^'"]+)['"]/.exec(message)?.[1]
  const pkg = name && !name.startsWith('.') && !name.startsWith('/')
    ? name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/')
    : undefined
  return new LocalBackendError(pkg
    ? `Local backend: the package "${pkg}" cannot be loaded. Install it (npm i -D ${pkg}) next to nuxt-amplify-rest.`
    : `Local backend: its implementation failed to load (${message}). Reinstall dependencies (npm install).`, { cause: error })
}
