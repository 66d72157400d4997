// The `$restApi` of a server request, one builder for the SSR plugin and the Nitro helpers alike:
// the request's Amplify context (verified cookies, credentials, the request's one custom token)
// and the side's runtime hook.
import type { H3Event } from 'h3'
import type { ResolvedOptions } from '../shared/option-types'
import { createRestCore } from '../shared/rest-core'
import type { RestApi, RestCoreDeps } from '../shared/rest-types'
import { useAmplifyServerContext } from './context'

export function createServerRestApi(event: H3Event, options: ResolvedOptions, hooks: Pick<RestCoreDeps, 'callHook' | 'observe'>): RestApi {
  const amplify = useAmplifyServerContext(event, options)
  return createRestCore({
    options: () => options,
    getTokens: amplify.freshTokens,
    getCustomToken: () => amplify.customToken,
    ...hooks,
    ensureCredentials: amplify.ensureCredentials,
    send: amplify.send,
  }).restApi
}
