import { defineNuxtRouteMiddleware, navigateTo } from '#imports'
import type { RouteMiddleware } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { useAmplifyOptions } from '../utils'
import { safeRedirect } from '../../shared/session'

/** A signed-in user who lands on the login route is sent on: to `?redirect=` (same-origin paths only) or home. */
const middleware: RouteMiddleware = defineNuxtRouteMiddleware((to) => {
  const { redirect } = useAmplifyOptions()
  if (to.path !== redirect.login) return
  const store = useAmplifyAuthStore()
  if (!store.isSignedIn) return
  return navigateTo(safeRedirect(to.query.redirect) ?? redirect.home)
})

export default middleware
