// For experiments in the browser console (and the e2e tests, which drive the same objects):
// window.$restApi, window.$amplifyAuth, Amplify's own REST functions as window.$amplifyApi, and the router.
import * as amplifyApi from 'aws-amplify/api'

declare global {
  interface Window {
    $restApi: unknown
    $amplifyAuth: unknown
    $amplifyApi: typeof amplifyApi
    $router: unknown
  }
}

export default defineNuxtPlugin({
  name: 'playground-console',
  dependsOn: ['nuxt-amplify-rest'],
  setup(nuxtApp) {
    window.$restApi = nuxtApp.$restApi
    window.$amplifyAuth = useAmplifyAuth()
    window.$amplifyApi = amplifyApi
    window.$router = nuxtApp.$router
  },
})
