// `session: 'server'`, the browser plugin's part: Amplify without a user pool or token store (the
// browser never holds a token), its own REST functions failing with one clear error, `$restApi`
// through the same-origin proxy, and the store hydrated from the payload.
import type { NuxtApp } from '#app'
import { Amplify } from 'aws-amplify'
import { watch } from 'vue'
import { navigateTo } from '#imports'
import type { ResolvedOptions } from '../shared/option-types'
import type { RestApi } from '../shared/rest-types'
import { AmplifyRestError } from '../shared/errors'
import { toResourcesConfig } from '../shared/amplify-config'
import { createProxyRestApi } from '../shared/proxy-client'
import { afterSignIn } from '../shared/session'
import { restHooks } from './rest-hooks'
import type { useAmplifyAuthStore } from './stores/amplify-auth'

export const AMPLIFY_REST_IN_SERVER_MODE = 'amplify.session is "server": the browser holds no token or API key, so Amplify\'s own get/post/put/patch/del/head cannot authorize a call; use $restApi (useRestApi()), which goes through this app\'s server'

export async function setupServerSessionMode(nuxtApp: NuxtApp, options: ResolvedOptions, store: ReturnType<typeof useAmplifyAuthStore>): Promise<RestApi> {
  const { Auth: _auth, ...resources } = toResourcesConfig(options)
  Amplify.configure(resources, {
    ssr: false,
    API: { REST: { headers: () => Promise.reject(new AmplifyRestError(AMPLIFY_REST_IN_SERVER_MODE)) } },
  })
  const restApi = createProxyRestApi({ options: () => options, getCustomToken: () => store.customToken, ...restHooks(nuxtApp) })
  await store.init()
  watch(() => store.isSignedIn, (signedIn) => {
    const target = signedIn ? afterSignIn(nuxtApp.$router.currentRoute.value, options.redirect) : undefined
    if (target) navigateTo(target)
  })
  return restApi
}
