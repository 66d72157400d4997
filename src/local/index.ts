// Entry of `nuxt-amplify-rest/local`: an offline stand-in for the AWS pieces
// the module talks to (user pool, identity pool, API Gateway), for the
// playground, this repo's tests and users' own tests.

import { createRequire } from 'node:module'
import { LocalBackendError } from './http'
import type { LocalBackend, LocalBackendOptions } from './types'

export type * from './types'
export { LocalBackendError }
export { formatEnv, LOCAL_API_NAMES, localEnv } from './env'
export { localRestOpenApi } from './openapi'

/** The optional peer dependencies the local backend runs on; a user's production install has none of them. */
const LOCAL_BACKEND_PACKAGES = ['cognito-local', '@smithy/signature-v4', '@aws-crypto/sha256-js'] as const
const LOCAL_BACKEND_INSTALL = `npm i -D ${LOCAL_BACKEND_PACKAGES.join(' ')}`

/**
 * Starts cognito-local, a refresh proxy in front of it, an identity pool and a
 * REST server with one API per auth mode, all on loopback, and resolves with
 * module options pointing at them. Rejects with one `LocalBackendError` (and
 * nothing left running) if any part fails to start; call `stop()` when done.
 *
 * The implementation is loaded on demand, after its optional peer dependencies
 * were found, so that missing ones surface here as one actionable error before
 * anything starts, instead of as an import failure of `nuxt-amplify-rest/local`.
 */
export async function startLocalBackend(options: LocalBackendOptions = {}): Promise<LocalBackend> {
  const missing = missingPackages()
  if (missing.length) {
    throw new LocalBackendError(`Local backend: the package${missing.length > 1 ? 's' : ''} ${missing.map(name => `"${name}"`).join(', ')} `
      + `cannot be found. The offline backend's packages are optional peer dependencies of nuxt-amplify-rest, `
      + `not installed with it: run \`${LOCAL_BACKEND_INSTALL}\` in your app.`)
  }
  let backend: typeof import('./backend')
  try {
    backend = await import('./backend')
  }
  catch (error) {
    throw new LocalBackendError(`Local backend: its implementation failed to load (${(error as Error)?.message ?? String(error)}). `
      + `Reinstall dependencies (npm install; the offline backend also needs \`${LOCAL_BACKEND_INSTALL}\`).`, { cause: error })
  }
  return backend.start(options)
}

/** Peers that do not resolve from here (nothing is loaded: resolving a package.json runs no code). */
function missingPackages(): string[] {
  const require = createRequire(import.meta.url)
  return LOCAL_BACKEND_PACKAGES.filter((name) => {
    try {
      require.resolve(`${name}/package.json`)
      return false
    }
    catch (error) {
      // A package whose `exports` hides package.json is there all the same.
      return (error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED'
    }
  })
}
