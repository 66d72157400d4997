import { playgroundOptions } from './placeholder'

export default defineNuxtConfig({
  modules: ['../src/module'],
  devtools: { enabled: false },
  compatibilityDate: '2026-11-01',
  amplify: playgroundOptions(),
})
