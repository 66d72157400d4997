// The Nuxt app that the `nuxt` vitest project boots (environment: 'nuxt'): the module's runtime
// (plugin, store, composables) runs inside it in happy-dom. Not the playground, not a fixture.
export default defineNuxtConfig({
  modules: ['./src/module'],
  compatibilityDate: '2026-11-01',
  amplify: {
    auth: {
      region: 'us-east-1',
      userPoolId: 'us-east-1_unit',
      userPoolClientId: 'unitclient',
      identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
    },
    rest: {
      items: { endpoint: 'http://127.0.0.1:9/items-api', authMode: 'userPool' },
      open: { endpoint: 'http://127.0.0.1:9/open', authMode: 'none' },
    },
    defaultApi: 'items',
  },
})
