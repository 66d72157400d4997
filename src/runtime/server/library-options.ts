// The library options of each request's Amplify context: the module's (token and credentials
// providers, REST headers) joined with what app code adds through the Nitro runtime hook
// `amplify:configure` (e.g. a Storage prefix resolver, its own REST header). The hook is handed
// from Nitro (plugins/library-options.ts) through a process-wide slot, as the shared state is: the
// context is also built by the app's SSR plugin, which must not import nitropack/runtime.
import type { H3Event } from 'h3'
import type { LibraryOptions, ResourcesConfig } from '@aws-amplify/core'
import { joinLibraryOptions, type AmplifyConfigureContext } from '../shared/join-library-options'
import type { LibraryHeaders } from '../shared/rest-types'

/** Runs the app's server `amplify:configure` hooks for one request's context. */
export type ServerConfigure = (context: AmplifyConfigureContext, event: H3Event) => void

const SLOT = Symbol.for('nuxt-amplify-rest.server-configure')

export function setServerConfigure(configure: ServerConfigure | undefined): void {
  (globalThis as Record<symbol, unknown>)[SLOT] = configure
}

/**
 * The library options for `event`'s context. App code adds to `libraryOptions`; the module's Auth
 * providers replace any `Auth` it sets (they carry the verified session), its REST headers run
 * first and win on a clash.
 */
export function serverLibraryOptions(event: H3Event, resourcesConfig: ResourcesConfig, auth: LibraryOptions['Auth'] | undefined, moduleHeaders: LibraryHeaders): LibraryOptions {
  const own: LibraryOptions = { ...(auth ? { Auth: auth } : {}), API: { REST: { headers: moduleHeaders as NonNullable<NonNullable<LibraryOptions['API']>['REST']>['headers'] } } }
  const configure = (globalThis as Record<symbol, unknown>)[SLOT] as ServerConfigure | undefined
  if (!configure) return own
  const context: AmplifyConfigureContext = { libraryOptions: {}, resourcesConfig }
  configure(context, event)
  const { ssr: _ssr, ...joined } = joinLibraryOptions(context.libraryOptions, moduleHeaders, false)
  return auth ? { ...joined, Auth: auth } : joined
}

type Hook = (...args: unknown[]) => unknown

/** Calls each server `amplify:configure` hook in turn; one that returns a promise is refused by name. */
export function runConfigureHooks(hooks: Hook[], args: unknown[]): void {
  for (const hook of hooks) {
    const result = hook(...args)
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      throw new TypeError(`[nuxt-amplify-rest] a server "amplify:configure" hook${hook.name ? ` (${hook.name})` : ''} returned a promise; `
        + 'server hooks run while each request\'s Amplify context is built and must add library options synchronously, '
        + 'e.g. nitroApp.hooks.hook(\'amplify:configure\', ({ libraryOptions }) => { libraryOptions.Storage = { … } })')
    }
  }
}
