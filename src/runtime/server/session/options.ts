// The options the session routes work with: the public runtime config joined with the private one,
// built once per process. Nitro's `useRuntimeConfig()` without an event is the configuration read
// at start (frozen); with an event it would copy it and re-read the environment on every request.
import { useRuntimeConfig } from 'nitropack/runtime'
import type { ResolvedOptions } from '../../shared/option-types'
import { withServerOnly } from '../../shared/server-only'

const joined = new WeakMap<object, ResolvedOptions>()

export function sessionRouteOptions(): ResolvedOptions {
  const config = useRuntimeConfig()
  let options = joined.get(config)
  if (!options) joined.set(config, options = withServerOnly(config.public.amplify, config.amplify))
  return options
}
