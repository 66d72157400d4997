// `runWithAmplify(event, contextSpec => …)` for pages and composables during SSR: the same request
// context as the module's server plugin and Nitro's `runWithAmplify` (server/utils/run-with-amplify.ts).
// In the browser it refuses: Amplify's client APIs (`aws-amplify/data`, `aws-amplify/storage`) run
// there directly, with the session the module keeps.
import type { H3Event } from 'h3'
import type { AmplifyContext } from '@aws-amplify/core'
import { useAmplifyOptions } from './options'

export async function runWithAmplify<T>(event: H3Event | undefined, operation: (contextSpec: AmplifyContext) => T | Promise<T>): Promise<T> {
  if (import.meta.server) {
    if (!event) throw new TypeError('runWithAmplify(event, operation): event is undefined; expected useRequestEvent() during server rendering')
    if (typeof operation !== 'function') throw new TypeError(`runWithAmplify(event, operation): operation is ${typeof operation}; expected a function of the Amplify context`)
    const options = useAmplifyOptions()
    const { useAmplifyServerContext } = await import('../server/context')
    return operation(useAmplifyServerContext(event, options).amplify)
  }
  throw new Error('runWithAmplify() runs on the server (SSR or Nitro routes); in the browser call Amplify\'s client APIs directly (e.g. generateClient() from aws-amplify/data)')
}
