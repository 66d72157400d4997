import { playgroundOptions } from './amplify-options'

export default defineNuxtConfig({
  modules: ['../src/module'],
  devtools: { enabled: true },
  compatibilityDate: '2026-11-01',
  // Production builds report hydration mismatches too, so the e2e tests can see any in the console.
  debug: { hydration: true },
  amplify: playgroundOptions(),
})
