import { defineNuxtRouteMiddleware, navigateTo } from '#imports'
import type { RouteMiddleware } from '#app'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { useAmplifyOptions } from '../options'
import { afterSignIn } from '../../shared/session'

/** A signed-in user who lands on the login route is sent on: to `?redirect=` (same-origin paths only) or home. */
const middleware: RouteMiddleware = defineNuxtRouteMiddleware((to) => {
  const target = afterSignIn(to, useAmplifyOptions().redirect)
  if (target && useAmplifyAuthStore().isSignedIn) return navigateTo(target)
})

export default middleware
