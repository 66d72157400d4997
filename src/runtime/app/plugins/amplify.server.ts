import type { Pinia } from 'pinia'
import { defineNuxtPlugin, useRequestEvent } from '#imports'
import type { ObjectPlugin, Plugin } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import type { RestApi } from '../../shared/rest-types'
import { useAmplifyServerContext } from '../../server/context'
import { createServerRestApi } from '../../server/rest-api'
import { useCheckedAmplifyOptions } from '../options'
import { restHooks } from '../rest-hooks'

const plugin: Plugin<{ restApi: RestApi }> & ObjectPlugin<{ restApi: RestApi }> = defineNuxtPlugin({
  name: 'nuxt-amplify-rest',
  dependsOn: ['pinia'],
  async setup(nuxtApp) {
    const options = useCheckedAmplifyOptions()

    const event = useRequestEvent()!
    const context = useAmplifyServerContext(event, options)
    const store = useAmplifyAuthStore(nuxtApp.$pinia as Pinia)
    // The store's state (status, user, expiry: no token) goes to the browser in the payload, so it
    // hydrates signed in with no flash; the tokens stay in this request's store instance.
    // The store's custom token on the server is the request's own (setServerCustomToken sets the same).
    store.attachServerSession({
      server: true,
      getTokens: async o => (await context.tokens.getTokens(o)) ?? undefined,
      customToken: { get: () => context.customToken, set: (token) => { context.customToken = token } },
    }, await context.session())

    // The same `$restApi` a Nitro route of this request gets, with the app's runtime hooks.
    return { provide: { restApi: createServerRestApi(event, options, restHooks(nuxtApp)) } }
  },
})

// Typed explicitly: the published declarations must not point into nuxt's own files.
export default plugin
