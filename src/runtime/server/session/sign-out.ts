// POST /api/_amplify/auth/sign-out: the token cookies are removed and the refresh token revoked at
// the user pool. The cookies go even when the user pool cannot be reached (`revoked: false` then).
import { defineEventHandler } from 'h3'
import { consola } from 'consola'
import { guardSessionRoute, sendTypedError } from './guard'
import { revokeRefreshToken } from './cognito'
import { clearPendingStep, clearTokens } from './tokens'

export default defineEventHandler(async (event) => {
  const options = guardSessionRoute(event)
  try {
    const refreshToken = await clearTokens(event, options)
    clearPendingStep(event, options)
    let revoked = false
    if (refreshToken) {
      revoked = await revokeRefreshToken(options.auth, refreshToken).then(() => true, (error: Error) => {
        consola.withTag('nuxt-amplify-rest').warn(`sign-out: the refresh token could not be revoked (${error.name}); its cookies are removed`)
        return false
      })
    }
    return { signedOut: true, revoked }
  }
  catch (error) {
    return sendTypedError(event, error)
  }
})
