import { defineNuxtPlugin, useRequestEvent, useRuntimeConfig } from '#imports'
import type { ObjectPlugin, Plugin } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { createRestCore } from '../../shared/client'
import type { RestApi, RestCallRecord, RestRequestContext } from '../../shared/client'
import { AmplifyOptionsError, validateOptions } from '../../shared/options'
import type { ResolvedOptions } from '../../shared/options'
import { useAmplifyServerContext } from '../../server/context'

const plugin: Plugin<{ restApi: RestApi }> & ObjectPlugin<{ restApi: RestApi }> = defineNuxtPlugin({
  name: 'nuxt-amplify-rest',
  dependsOn: ['pinia'],
  async setup(nuxtApp) {
    const options = useRuntimeConfig().public.amplify as unknown as ResolvedOptions
    const problems = validateOptions(options)
    if (problems.length) throw new AmplifyOptionsError(problems)

    const event = useRequestEvent()!
    const context = useAmplifyServerContext(event, options)
    const store = useAmplifyAuthStore(nuxtApp.$pinia as never)
    // The store's state goes to the browser in the payload: it hydrates signed in, with no flash.
    store.attachServerSession({ server: true, getTokens: async o => (await context.tokens.getTokens(o)) ?? undefined }, await context.session())

    const { restApi } = createRestCore({
      options: () => options,
      getTokens: () => store.getFreshTokens(),
      getCustomToken: () => store.customToken,
      callHook: ctx => (nuxtApp.callHook as (name: string, ctx: RestRequestContext) => Promise<void>)('amplify:rest:request', ctx),
      observe: record => (nuxtApp.callHook as (name: string, record: RestCallRecord) => Promise<void>)('amplify:rest:response', record),
      ensureCredentials: context.ensureCredentials,
      send: context.send,
    })
    return { provide: { restApi } }
  },
})

// Typed explicitly: the published declarations must not point into nuxt's own files.
export default plugin
