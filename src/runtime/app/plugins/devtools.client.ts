// Development only (the module adds this plugin when `nuxt.options.dev`): keeps the last REST calls
// and the auth state where the DevTools tab page, a same-origin frame, can read them.
import type { Pinia } from 'pinia'
import { defineNuxtPlugin } from '#imports'
import type { ObjectPlugin, Plugin } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import type { RestCallRecord } from '../../shared/rest-types'
import { mask } from '../../shared/rest-request'
import { useAmplifyOptions } from '../options'

const LOG_SIZE = 100

export interface AmplifyRestDevtoolsBridge {
  snapshot: () => unknown
  refresh: () => Promise<unknown>
  signOut: () => Promise<unknown>
  clear: () => void
}

const plugin: Plugin & ObjectPlugin = defineNuxtPlugin({
  name: 'nuxt-amplify-rest:devtools',
  dependsOn: ['nuxt-amplify-rest'],
  setup(nuxtApp) {
    const options = useAmplifyOptions()
    const store = useAmplifyAuthStore(nuxtApp.$pinia as Pinia)
    const calls: (RestCallRecord & { at: string })[] = []
    nuxtApp.hook('amplify:rest:response', (record) => {
      calls.unshift({ ...record, at: new Date().toISOString() })
      calls.length = Math.min(calls.length, LOG_SIZE)
    })
    const masked = (value: string | null) => value ? mask(value) : null
    // The identity id comes from Amplify's cached session; looked up now and then, never on every render.
    let identityId: string | null = null
    let identityCheckedAt = 0
    const lookUpIdentity = () => {
      if (Date.now() - identityCheckedAt < 5_000) return
      identityCheckedAt = Date.now()
      import('aws-amplify/auth')
        .then(({ fetchAuthSession }) => fetchAuthSession())
        .then((session) => {
          identityId = session.identityId ?? null
        })
        .catch(() => {
          identityId = null
        })
    }
    const expiry = (token: string | null) => {
      if (!token) return null
      try {
        const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))
        return new Date(payload.exp * 1000).toISOString()
      }
      catch {
        return null
      }
    }
    const bridge: AmplifyRestDevtoolsBridge = {
      snapshot: () => ({
        auth: {
          identityId: (lookUpIdentity(), identityId),
          status: store.status,
          user: store.user,
          idToken: masked(store.idToken),
          idTokenExpires: expiry(store.idToken),
          accessToken: masked(store.accessToken),
          accessTokenExpires: expiry(store.accessToken),
          customToken: masked(store.customToken),
          error: store.error,
        },
        apis: Object.fromEntries(Object.entries(options.rest).map(([name, api]) => [name, {
          endpoint: api.endpoint, authMode: api.authMode, token: api.authMode === 'userPool' ? api.token : undefined,
          apiKey: api.apiKey ? mask(api.apiKey) : undefined, default: name === options.defaultApi,
        }])),
        calls,
      }),
      refresh: () => store.refresh({ force: true }),
      signOut: () => store.signOut(),
      clear: () => {
        calls.length = 0
      },
    }
    ;(window as unknown as Record<string, unknown>).__NUXT_AMPLIFY_REST_DEVTOOLS__ = bridge
  },
})

// Typed explicitly: the published declarations must not point into nuxt's own files.
export default plugin
