import type { Pinia } from 'pinia'
import { defineNuxtPlugin, useRequestEvent } from '#imports'
import type { ObjectPlugin, Plugin } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { createRestCore } from '../../shared/rest-core'
import type { RestApi } from '../../shared/rest-types'
import { useAmplifyServerContext } from '../../server/context'
import { restHooks, useCheckedAmplifyOptions } from '../utils'

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
    store.attachServerSession({ server: true, getTokens: async o => (await context.tokens.getTokens(o)) ?? undefined }, await context.session())

    const { restApi } = createRestCore({
      options: () => options,
      getTokens: () => store.getFreshTokens(),
      getCustomToken: () => store.customToken,
      ...restHooks(nuxtApp),
      ensureCredentials: context.ensureCredentials,
      send: context.send,
    })
    return { provide: { restApi } }
  },
})

// Typed explicitly: the published declarations must not point into nuxt's own files.
export default plugin
