import { defineNuxtRouteMiddleware, navigateTo } from '#imports'
import type { RouteMiddleware } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { useAmplifyOptions } from '../options'

/**
 * `definePageMeta({ middleware: 'amplify-auth' })`: signed-out visitors go to the login route with
 * the page they wanted in `?redirect=`; the app returns there after sign-in.
 */
const middleware: RouteMiddleware = defineNuxtRouteMiddleware(async (to) => {
  const store = useAmplifyAuthStore()
  if (store.status === 'unknown') await store.refresh().catch(() => {})
  if (store.isSignedIn) return
  const { redirect } = useAmplifyOptions()
  if (to.path === redirect.login) return
  return navigateTo({ path: redirect.login, query: { redirect: to.fullPath } })
})

export default middleware
