// Nitro helpers, auto-imported in server routes: the same `$restApi` methods with this request's
// identity, and the request's session.
import type { H3Event } from 'h3'
import { useNitroApp, useRuntimeConfig } from 'nitropack/runtime'
import type { RestApi } from '../../shared/rest-types'
import type { ResolvedOptions } from '../../shared/option-types'
import type { AuthSessionState } from '../../shared/session'
import { withServerOnly } from '../../shared/server-only'
import { useAmplifyServerContext } from '../context'
import { createServerRestApi } from '../rest-api'

const REST_API_KEY = '__amplifyRestApi'

function options(event: H3Event): ResolvedOptions {
  const config = useRuntimeConfig(event)
  return withServerOnly(config.public.amplify, config.amplify)
}

/**
 * `$restApi` for server routes: `await useServerRestApi(event).get('items')`. Calls carry the
 * identity of the request's cookies (`userPool` tokens, `iam` credentials of its identity).
 */
export function useServerRestApi(event: H3Event): RestApi {
  const context = event.context as Record<string, unknown>
  const nitroApp = useNitroApp()
  return (context[REST_API_KEY] as RestApi | undefined) ?? (context[REST_API_KEY] = createServerRestApi(event, options(event), {
    callHook: ctx => nitroApp.hooks.callHook('amplify:rest:request', ctx, event),
  }))
}

/**
 * The request's session (status, user, tokens) as read from its cookies, refreshed if near expiry.
 * `idToken` and `accessToken` are readable but not enumerable: a route that returns the session
 * (or spreads it into its answer) sends no token.
 */
export async function getServerAmplifySession(event: H3Event): Promise<AuthSessionState> {
  const session = await useAmplifyServerContext(event, options(event)).session()
  const { idToken, accessToken, ...rest } = session
  return Object.defineProperties({ ...rest } as AuthSessionState, {
    idToken: { value: idToken, enumerable: false },
    accessToken: { value: accessToken, enumerable: false },
  })
}

/** Sets the token that `custom` APIs get for the rest of this request. */
export function setServerCustomToken(event: H3Event, token: string | null): void {
  useAmplifyServerContext(event, options(event)).customToken = token
}
