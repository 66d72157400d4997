// App code's Amplify library options joined with the module's, in the browser (plugin) and in each
// server request's context: what the module needs (its REST headers, `ssr`) is kept, an app's own
// REST headers function is called next to the module's.
import type { LibraryOptions, ResourcesConfig } from '@aws-amplify/core'
import type { LibraryHeaders } from './rest-types'

/** What the `amplify:configure` hook receives: add to `libraryOptions`; `resourcesConfig` is for reading. */
export interface AmplifyConfigureContext {
  libraryOptions: LibraryOptions
  readonly resourcesConfig: ResourcesConfig
}

type HeadersFn = (input: { apiName: string, method?: string }) => Promise<Record<string, string>>

/**
 * The library options to configure: the app's, with the module's REST headers and `ssr` put back.
 * An app's own `API.REST.headers` runs after the module's (which must be read at once when a call
 * starts); the module's headers win on a clash (they carry the call's authorization).
 */
export function joinLibraryOptions(app: LibraryOptions, moduleHeaders: LibraryHeaders, ssr: boolean): LibraryOptions {
  const appHeaders = app.API?.REST?.headers as HeadersFn | undefined
  const headers: HeadersFn = appHeaders && appHeaders !== (moduleHeaders as unknown)
    ? (input) => {
        const own = moduleHeaders(input)
        const added = appHeaders(input)
        return Promise.all([added, own]).then(([a, o]) => ({ ...a, ...o }))
      }
    : moduleHeaders as HeadersFn
  return { ...app, ssr, API: { ...app.API, REST: { ...app.API?.REST, headers } } } as LibraryOptions
}
