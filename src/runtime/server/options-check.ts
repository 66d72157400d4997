// The run-time options, checked once per server process: NUXT_PUBLIC_AMPLIFY_* and NUXT_AMPLIFY_*
// variables may have changed what the build validated. Same messages as the build's check; they
// never repeat an API key's value (see validateOptions).
import { useRuntimeConfig } from 'nitropack/runtime'
import { AmplifyOptionsError, validateOptions } from '../shared/validate-options'
import { withServerOnly } from '../shared/server-only'
import { sharedStateProblems } from './shared-server-state'

let problems: string[] | undefined

/** The problems of the server's run-time options ([] when fine), computed on first use. */
export function startupProblems(): string[] {
  if (problems) return problems
  const config = useRuntimeConfig()
  problems = [...validateOptions(withServerOnly(config.public.amplify, config.amplify)), ...sharedStateProblems()]
  return problems
}

/** What the log and every answer say while the options are wrong. */
export function startupProblemsMessage(list: string[]): string {
  return `${new AmplifyOptionsError(list).message}\nEvery request is answered 500 until the environment variables are fixed and the server restarted.`
}
