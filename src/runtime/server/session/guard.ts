// What every `session: 'server'` route does first: refuse anything that is not this app's own
// page calling (403, before Cognito or an API hear of it), and read the options it works with.
import type { H3Event } from 'h3'
import { createError, getRequestHeaders, getRequestURL, setResponseHeader, setResponseStatus } from 'h3'
import { consola } from 'consola'
import type { ResolvedOptions } from '../../shared/option-types'
import { crossSiteProblem, ERROR_HEADER } from '../../shared/session-routes'
import { AmplifyRestError } from '../../shared/errors'
import { errorStatus, errorToWire } from '../../shared/proxy-request'
import { sessionRouteOptions } from './options'

const log = consola.withTag('nuxt-amplify-rest')

/** Throws 403 for a cross-site request; returns the options (public joined with the private ones). */
export function guardSessionRoute(event: H3Event): ResolvedOptions {
  const problem = crossSiteProblem({
    headers: getRequestHeaders(event),
    origin: getRequestURL(event, { xForwardedHost: true, xForwardedProto: true }).origin,
  })
  if (problem) throw createError({ statusCode: 403, statusMessage: 'Forbidden', message: `Refused: only this app's own pages may call it (${problem})` })
  return sessionRouteOptions()
}

/** Answers with a typed error the browser turns back into its class; anything else is a 500 that says nothing about it. */
export function sendTypedError(event: H3Event, error: unknown): Record<string, unknown> {
  let typed: AmplifyRestError
  if (error instanceof AmplifyRestError) {
    typed = error
  }
  else {
    // Only the name: an unexpected error's message could quote a request (and its token).
    log.error(`a session route failed: ${(error as Error)?.name ?? typeof error}`)
    typed = new AmplifyRestError('The server could not complete the request')
  }
  setResponseStatus(event, errorStatus(typed))
  setResponseHeader(event, ERROR_HEADER, typed.name)
  setResponseHeader(event, 'cache-control', 'no-store')
  return errorToWire(typed)
}
