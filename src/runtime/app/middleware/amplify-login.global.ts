import { defineNuxtRouteMiddleware, navigateTo, useRuntimeConfig } from '#imports'
import type { RouteMiddleware } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import type { ResolvedOptions } from '../../shared/options'
import { safeRedirect } from '../../shared/session'

/** A signed-in user who lands on the login route is sent on: to `?redirect=` (same-origin paths only) or home. */
const middleware: RouteMiddleware = defineNuxtRouteMiddleware((to) => {
  const { redirect } = useRuntimeConfig().public.amplify as unknown as ResolvedOptions
  if (to.path !== redirect.login) return
  const store = useAmplifyAuthStore()
  if (!store.isSignedIn) return
  return navigateTo(safeRedirect(to.query.redirect) ?? redirect.home)
})

export default middleware
