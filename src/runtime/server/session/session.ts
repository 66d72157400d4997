// GET /api/_amplify/auth/session: the request's session as the store keeps it (status, user,
// expiry; no token), refreshed first when near expiry. POST `{ force: true }` refreshes anyway.
import { defineEventHandler, readBody } from 'h3'
import { SIGNED_OUT, sessionFromTokens } from '../../shared/session'
import { useAmplifyServerContext } from '../context'
import { guardSessionRoute, sendTypedError } from './guard'
import { publicSession } from './tokens'

export default defineEventHandler(async (event) => {
  const options = guardSessionRoute(event)
  try {
    const context = useAmplifyServerContext(event, options)
    const force = event.method === 'POST' && (await readBody<{ force?: unknown } | undefined>(event).catch(() => undefined))?.force === true
    const state = force
      ? await context.tokens.getTokens({ forceRefresh: true }).then(tokens => sessionFromTokens(tokens ?? undefined), () => ({ ...SIGNED_OUT }))
      : await context.session()
    return publicSession(state)
  }
  catch (error) {
    return sendTypedError(event, error)
  }
})
