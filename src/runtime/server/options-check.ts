// The run-time options, checked once per server process: NUXT_PUBLIC_AMPLIFY_* and NUXT_AMPLIFY_*
// variables may have changed what the build validated. Same messages as the build's check; they
// never repeat an API key's value (see validateOptions).
import { useRuntimeConfig } from 'nitropack/runtime'
import { AmplifyOptionsError, envSegment, validateOptions } from '../shared/validate-options'
import type { ResolvedOptions } from '../shared/option-types'
import { withServerOnly } from '../shared/server-only'
import { sharedStateProblems } from './shared-server-state'

let problems: string[] | undefined

/** The problems of the server's run-time options ([] when fine), computed on first use. */
export function startupProblems(): string[] {
  if (problems) return problems
  const config = useRuntimeConfig()
  problems = [...validateOptions(withServerOnly(config.public.amplify, config.amplify)), ...publicKeyProblems(config.public.amplify), ...sharedStateProblems()]
  return problems
}

/** `session: 'server'` keeps API keys private: one set through a NUXT_PUBLIC_* variable would ship to every browser. */
function publicKeyProblems(options: ResolvedOptions | undefined): string[] {
  if (options?.session !== 'server' || !options.rest || typeof options.rest !== 'object') return []
  return Object.entries(options.rest)
    .filter(([, api]) => typeof api?.apiKey === 'string' && api.apiKey !== '')
    .map(([name]) => `amplify.rest.${name}.apiKey is set in the public runtime config (NUXT_PUBLIC_AMPLIFY_REST_${envSegment(name)}_API_KEY?), which every browser gets; with amplify.session "server" expected NUXT_AMPLIFY_REST_${envSegment(name)}_API_KEY`)
}

/** What the log and every answer say while the options are wrong. */
export function startupProblemsMessage(list: string[]): string {
  return `${new AmplifyOptionsError(list).message}\nEvery request is answered 500 until the environment variables are fixed and the server restarted.`
}
