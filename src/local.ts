// `nuxt-amplify-rest/local`: see src/local/index.ts.
export * from './local/index'
