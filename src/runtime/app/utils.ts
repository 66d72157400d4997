// What the app-side runtime files share: the resolved options, and the wiring of the core's
// request/response callbacks to the app's runtime hooks.
import { useRuntimeConfig } from '#imports'
import type { NuxtApp } from '#app'
import type { RestCallRecord, RestCoreDeps, RestRequestContext } from '../shared/client'
import type { ResolvedOptions } from '../shared/options'
import { AmplifyOptionsError, validateOptions } from '../shared/options'
import type { PrivateAmplifyConfig } from '../shared/server-only'
import { withServerOnly } from '../shared/server-only'

/** `runtimeConfig.public.amplify`, typed; on the server joined with the private `serverOnly` APIs. */
export function useAmplifyOptions(): ResolvedOptions {
  const config = useRuntimeConfig()
  const options = config.public.amplify as unknown as ResolvedOptions
  return import.meta.server ? withServerOnly(options, config.amplify as PrivateAmplifyConfig | undefined) : options
}

/** The options, checked again at app start: NUXT_PUBLIC_AMPLIFY_* variables may have changed what the build checked. */
export function useCheckedAmplifyOptions(): ResolvedOptions {
  const options = useAmplifyOptions()
  const problems = validateOptions(options)
  if (problems.length) throw new AmplifyOptionsError(problems)
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
