import { Amplify } from 'aws-amplify'
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito'
import { CookieStorage, Hub } from 'aws-amplify/utils'
import { del, get, head, patch, post, put } from 'aws-amplify/api'
import { watch } from 'vue'
import { defineNuxtPlugin, navigateTo } from '#imports'
import type { ObjectPlugin, Plugin } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { toResourcesConfig } from '../../shared/amplify-config'
import { createRestCore, credentialsError } from '../../shared/client'
import type { AmplifySend, RestApi, RestMethod } from '../../shared/client'
import { NotSignedInError } from '../../shared/errors'
import { safeRedirect } from '../../shared/session'
import { sizeCheckedStorage } from '../../shared/token-size'
import { restHooks, useCheckedAmplifyOptions } from '../utils'

const amplifyRest = {
  GET: get, POST: post, PUT: put, PATCH: patch, DELETE: del, HEAD: head,
} as unknown as Record<RestMethod, (input: Parameters<AmplifySend>[1]) => ReturnType<AmplifySend>>

const plugin: Plugin<{ restApi: RestApi }> & ObjectPlugin<{ restApi: RestApi }> = defineNuxtPlugin({
  name: 'nuxt-amplify-rest',
  dependsOn: ['pinia'],
  async setup(nuxtApp) {
    const options = useCheckedAmplifyOptions()

    const store = useAmplifyAuthStore(nuxtApp.$pinia as never)
    // Until when the last credentials check holds: Amplify caches the credentials itself, so a check
    // while they are valid only costs time (it reads every token cookie). Any auth event resets it.
    let credentialsUntil = 0
    Hub.listen('auth', () => {
      credentialsUntil = 0
    })
    const core = createRestCore({
      options: () => options,
      getTokens: () => store.getFreshTokens(),
      getCustomToken: () => store.customToken,
      ...restHooks(nuxtApp),
      ensureCredentials: async (apiName) => {
        if (Date.now() < credentialsUntil) return
        const { fetchAuthSession } = await import('aws-amplify/auth')
        const session = await fetchAuthSession().catch((cause: unknown) => {
          throw credentialsError(apiName, cause)
        })
        if (!session.credentials) throw new NotSignedInError(apiName, 'iam')
        credentialsUntil = (session.credentials.expiration?.getTime() ?? 0) - 60_000
      },
      send: (method, input) => amplifyRest[method](input),
    })
    Amplify.configure(toResourcesConfig(options), {
      ssr: options.ssr,
      API: { REST: { headers: core.libraryHeaders } },
    })
    if (options.ssr) {
      // The token cookies with the app's attributes; the server writes the same ones on a refresh.
      // A token too big for a cookie fails the sign-in or refresh (TokenTooLargeError), not silently.
      const { domain, maxAge, sameSite } = options.cookie
      cognitoUserPoolsTokenProvider.setKeyValueStorage(sizeCheckedStorage(new CookieStorage({
        path: '/',
        ...(domain ? { domain } : {}),
        expires: maxAge / 86_400,
        sameSite,
        secure: sameSite === 'none' || location.protocol === 'https:',
      })))
    }
    // The payload carries no tokens: a page rendered signed in waits for this browser's own tokens
    // (read from its cookies) before hydrating, so whatever the server rendered from them matches.
    const reading = store.init()
    if (nuxtApp.isHydrating && store.isSignedIn) await reading

    // Back to the page the amplify-auth middleware came from, once the user signs in on the login route.
    watch(() => store.isSignedIn, (signedIn) => {
      const route = nuxtApp.$router.currentRoute.value
      if (signedIn && route.path === options.redirect.login)
        navigateTo(safeRedirect(route.query.redirect) ?? options.redirect.home)
    })
    return { provide: { restApi: core.restApi } }
  },
})

// Typed explicitly: the published declarations must not point into nuxt's own files.
export default plugin
