// App code's Amplify library options joined with the module's (browser): the `amplify:configure`
// runtime hook hands app code the library options before the module's one `Amplify.configure`;
// what the module needs (its REST headers, `ssr`) is kept, an app's own REST headers function is
// called next to the module's. A later `Amplify.configure` by app code that drops the module's
// is reported at once on the console, naming what it cost and the fix.
import type { ResourcesConfig } from '@aws-amplify/core'
import { Hub } from 'aws-amplify/utils'

export { joinLibraryOptions, type AmplifyConfigureContext } from '../shared/join-library-options'

/**
 * Watches for `Amplify.configure` calls after the module's and says at once what they cost: Amplify
 * resets the token storage on every configure with Auth (the module's cookie storage is gone), a new
 * `libraryOptions` drops the module's REST headers, and a raw outputs file drops the REST APIs.
 */
export function watchReconfigure(expected: { restApis: string[] }, report: (message: string) => void = console.error): () => void {
  return Hub.listen('core', ({ payload }) => {
    if (payload.event !== 'configure') return
    const rest = (payload.data as ResourcesConfig | undefined)?.API?.REST ?? {}
    const missing = expected.restApis.filter(name => !(name in rest))
    const lost = [
      'the token storage (Amplify resets it to its default on every configure: the session cookies no longer follow amplify.cookie)',
      'its REST headers if libraryOptions were passed (API.REST.headers carries every authorization header of $restApi and of Amplify\'s get/post)',
      ...(missing.length ? [`the REST API${missing.length > 1 ? 's' : ''} ${missing.map(n => `"${n}"`).join(', ')} (Amplify's parser drops custom.API)`] : []),
    ]
    report(`[nuxt-amplify-rest] Amplify.configure() was called again by app code and replaced the module's configuration; lost: ${lost.join('; ')}. `
      + 'Do not call Amplify.configure() yourself: the module already configures every category of amplify_outputs.json. '
      + 'Add library options in a plugin with `enforce: \'pre\'` through the runtime hook: nuxtApp.hook(\'amplify:configure\', ({ libraryOptions }) => { libraryOptions.Storage = { … } }) (README: "Using it in a Gen 2 app").')
  })
}
