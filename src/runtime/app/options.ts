// The resolved options as the app side reads them (on the server joined with the private
// `serverOnly` APIs, and checked again there).
import { useRuntimeConfig } from '#imports'
import type { ResolvedOptions } from '../shared/option-types'
import { AmplifyOptionsError, validateOptions } from '../shared/validate-options'
import { withServerOnly } from '../shared/server-only'

/** `runtimeConfig.public.amplify`, typed; on the server joined with the private `serverOnly` APIs. */
export function useAmplifyOptions(): ResolvedOptions {
  const config = useRuntimeConfig()
  return import.meta.server ? withServerOnly(config.public.amplify, config.amplify) : config.public.amplify
}

/**
 * The options, checked again on the server: NUXT_PUBLIC_AMPLIFY_* variables may have changed what
 * the build checked (the server also checks them once at start). The browser gets what the server
 * checked, so it does not ship the validator.
 */
export function useCheckedAmplifyOptions(): ResolvedOptions {
  const options = useAmplifyOptions()
  if (import.meta.server) {
    const problems = validateOptions(options)
    if (problems.length) throw new AmplifyOptionsError(problems)
  }
  return options
}
