// The core's request/response callbacks wired to the app's runtime hooks.
import type { NuxtApp } from '#app'
import type { RestCoreDeps } from '../shared/rest-types'

/** The core's callbacks as the runtime hooks `amplify:rest:request` and `amplify:rest:response` (typed by the module's type template). */
export function restHooks(nuxtApp: NuxtApp): Pick<RestCoreDeps, 'callHook' | 'observe'> {
  return {
    callHook: context => nuxtApp.callHook('amplify:rest:request', context),
    observe: record => nuxtApp.callHook('amplify:rest:response', record),
  }
}
