import { createError, defineNuxtPlugin, definePayloadReducer, definePayloadReviver, isNuxtError } from '#imports'
import type { ObjectPlugin, Plugin } from '#app'
import { adoptFields, fromRestErrorPayload, restErrorFields, toRestErrorPayload, typedCause } from '../../shared/error-transport'
import type { RestErrorPayload } from '../../shared/error-transport'

/** Gives the NuxtError Nuxt made from one of the module's errors that error's name, fields and status text. */
function adopt(error: unknown) {
  if (!isNuxtError(error)) return
  const typed = typedCause(error)
  if (!typed || error.name === typed.name) return
  error.statusMessage ||= typed.name
  adoptFields(error, restErrorFields(typed))
}

// The module's typed errors through Nuxt's error paths: an asyncData error or a page error keeps
// `name`, `statusCode`, `apiName`, `path` and `body` in the browser, in the SSR payload and after
// hydration. Runs before Nuxt's own payload plugins, so this reducer is asked before Nuxt's
// NuxtError reducer (which keeps only message, status and data) and the reviver exists when the
// payload is read.
const plugin: Plugin & ObjectPlugin = defineNuxtPlugin({
  name: 'nuxt-amplify-rest:errors',
  order: -40,
  setup(nuxtApp) {
    // A page error: named before Nuxt's error page is rendered from it (in the browser, and on the
    // server where the error page is rendered from its status, status text and message).
    nuxtApp.hook('app:error', adopt)
    if (import.meta.server) {
      definePayloadReducer('AmplifyRestError', toRestErrorPayload)
      nuxtApp.hook('app:rendered', ({ ssrContext }) => adopt(ssrContext?.payload?.error))
    }
    else {
      definePayloadReviver('AmplifyRestError', (payload: RestErrorPayload) => fromRestErrorPayload(payload, createError))
    }
  },
})

// Typed explicitly: the published declarations must not point into nuxt's own files.
export default plugin
