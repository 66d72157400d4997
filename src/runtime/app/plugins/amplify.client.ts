import type { Pinia } from 'pinia'
import { Amplify } from 'aws-amplify'
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito'
import { del, get, head, patch, post, put } from 'aws-amplify/api'
import { watch } from 'vue'
import { defineNuxtPlugin, navigateTo } from '#imports'
import type { ObjectPlugin, Plugin } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { toResourcesConfig } from '../../shared/amplify-config'
import { createRestCore } from '../../shared/rest-core'
import type { AmplifySend, RestApi, RestMethod } from '../../shared/rest-types'
import { cookieSecure } from '../../shared/cookies'
import { checkCredentials, sendRest, signingContext } from '../../shared/signing'
import { afterSignIn } from '../../shared/session'
import { sizeCheckedStorage } from '../../shared/token-size'
import { useCheckedAmplifyOptions } from '../options'
import { restHooks } from '../rest-hooks'
import { CachedCookieStorage } from '../cookie-jar'
import { warnCustomEndpointsOnce } from '../../shared/amplify-warnings'
import { joinLibraryOptions, watchReconfigure, type AmplifyConfigureContext } from '../library-options'
import { listenForRedirect } from '../auth-redirect'
import { iamSessionLookup } from '../iam-session'

const amplifyRest = {
  GET: get, POST: post, PUT: put, PATCH: patch, DELETE: del, HEAD: head,
} as unknown as Record<RestMethod, (input: Parameters<AmplifySend>[1]) => ReturnType<AmplifySend>>

const plugin: Plugin<{ restApi: RestApi }> & ObjectPlugin<{ restApi: RestApi }> = defineNuxtPlugin({
  name: 'nuxt-amplify-rest',
  dependsOn: ['pinia'],
  async setup(nuxtApp) {
    const options = useCheckedAmplifyOptions()

    const store = useAmplifyAuthStore(nuxtApp.$pinia as Pinia)
    // Tokens only in HttpOnly cookies: the browser's calls and sign-in go through the server.
    // Loaded only then: apps with browser sessions do not ship the proxy client.
    if (options.session === 'server') {
      const { setupServerSessionMode } = await import('../server-session')
      return { provide: { restApi: await setupServerSessionMode(nuxtApp, options, store) } }
    }
    const resources = toResourcesConfig(options)
    const lookupSession = iamSessionLookup(options.ssr, () => store.idToken)
    const core = createRestCore({
      options: () => options,
      getTokens: () => store.getFreshTokens(),
      getCustomToken: () => store.customToken,
      ...restHooks(nuxtApp),
      // One credentials lookup per iam call, remembered while the token storage is unchanged, and
      // the call is signed with exactly what it found: never sent unsigned if a later lookup failed.
      ensureCredentials: apiName => checkCredentials(apiName, lookupSession),
      send: (method, input, headers, checked) => checked
        ? sendRest(method, signingContext(resources, checked, headers), input)
        : amplifyRest[method](input),
    })
    warnCustomEndpointsOnce()
    // App code adds library options through the `amplify:configure` hook (library-options.ts).
    const configure: AmplifyConfigureContext = { libraryOptions: {}, resourcesConfig: resources }
    await nuxtApp.callHook('amplify:configure', configure)
    const libraryOptions = joinLibraryOptions(configure.libraryOptions, core.libraryHeaders, options.ssr)
    Amplify.configure(resources, libraryOptions)
    watchReconfigure({ restApis: Object.keys(resources.API?.REST ?? {}) })
    // A Hosted UI / social sign-in callback is completed by Amplify's OAuth listener.
    await listenForRedirect(resources)
    if (options.ssr) {
      // The token cookies with the app's attributes; the server writes the same ones on a refresh.
      // A token too big for a cookie fails the sign-in or refresh (TokenTooLargeError), not silently.
      const { domain, maxAge, sameSite } = options.cookie
      cognitoUserPoolsTokenProvider.setKeyValueStorage(sizeCheckedStorage(new CachedCookieStorage({
        path: '/',
        ...(domain ? { domain } : {}),
        expires: maxAge / 86_400,
        sameSite,
        secure: cookieSecure(options.cookie.secure, { https: location.protocol === 'https:', sameSite }),
      })))
    }
    // The payload carries no tokens: a page rendered signed in waits for this browser's own tokens
    // (read from its cookies) before hydrating, so whatever the server rendered from them matches.
    const reading = store.init()
    if (nuxtApp.isHydrating && store.isSignedIn) await reading

    // Back to the page the amplify-auth middleware came from, once the user signs in on the login route.
    watch(() => store.isSignedIn, (signedIn) => {
      const target = signedIn ? afterSignIn(nuxtApp.$router.currentRoute.value, options.redirect) : undefined
      if (target) navigateTo(target)
    })
    return { provide: { restApi: core.restApi } }
  },
})

// Typed explicitly: the published declarations must not point into nuxt's own files.
export default plugin
