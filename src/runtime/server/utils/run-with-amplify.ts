// `runWithAmplify(event, contextSpec => …)`: runs any Amplify server API (Data, Storage, Auth…)
// with the request's Amplify context: the same verified cookies, token refreshes and credentials
// cache as `$restApi` and `useServerRestApi`, the whole outputs file configured. Auto-imported in
// Nitro routes; pages use the same function during SSR (`useRequestEvent()`), see app/run-with-amplify.ts.
import type { H3Event } from 'h3'
import type { AmplifyContext } from '@aws-amplify/core'
import { useRuntimeConfig } from 'nitropack/runtime'
import { withServerOnly } from '../../shared/server-only'
import { useAmplifyServerContext } from '../context'

/**
 * Runs `operation` with the request's Amplify context, e.g.
 * `await runWithAmplify(event, ctx => generateClient<Schema>({ config: ctx.resourcesConfig }).models.Todo.list(ctx))`
 * with `generateClient` from `aws-amplify/data/server`, or `list(ctx, { path })` from `aws-amplify/storage/server`.
 */
export async function runWithAmplify<T>(event: H3Event, operation: (contextSpec: AmplifyContext) => T | Promise<T>): Promise<T> {
  if (!event || typeof event !== 'object' || !('context' in event))
    throw new TypeError(`runWithAmplify(event, operation): event is ${event === null ? 'null' : typeof event}; expected the request's H3 event`)
  if (typeof operation !== 'function')
    throw new TypeError(`runWithAmplify(event, operation): operation is ${typeof operation}; expected a function of the Amplify context`)
  const config = useRuntimeConfig(event)
  return operation(useAmplifyServerContext(event, withServerOnly(config.public.amplify, config.amplify)).amplify)
}
