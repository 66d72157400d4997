// What the app-side runtime files share: the resolved options, and the wiring of the core's
// request/response callbacks to the app's runtime hooks.
import { useRuntimeConfig } from '#imports'
import type { NuxtApp } from '#app'
import type { RestCallRecord, RestCoreDeps, RestRequestContext } from '../shared/rest-types'
import type { ResolvedOptions } from '../shared/option-types'
import { AmplifyOptionsError, validateOptions } from '../shared/validate-options'
import type { PrivateAmplifyConfig } from '../shared/server-only'
import { withServerOnly } from '../shared/server-only'

/** `runtimeConfig.public.amplify`, typed; on the server joined with the private `serverOnly` APIs. */
export function useAmplifyOptions(): ResolvedOptions {
  const config = useRuntimeConfig()
  const options = config.public.amplify as unknown as ResolvedOptions
  return import.meta.server ? withServerOnly(options, config.amplify as PrivateAmplifyConfig | undefined) : options
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

/**
 * The core's callbacks as the runtime hooks `amplify:rest:request` and `amplify:rest:response`.
 * Apps get the hooks typed through the module's ModuleRuntimeHooks; the runtime's own sources do
 * not see that augmentation, hence the cast.
 */
export function restHooks(nuxtApp: NuxtApp): Pick<RestCoreDeps, 'callHook' | 'observe'> {
  const callHook = nuxtApp.callHook as (name: string, arg: RestRequestContext | RestCallRecord) => Promise<void>
  return {
    callHook: context => callHook('amplify:rest:request', context),
    observe: record => callHook('amplify:rest:response', record),
  }
}
