// `backend.env()`: the local backend's module options as the NUXT_PUBLIC_AMPLIFY_* (and, for
// serverOnly APIs, NUXT_AMPLIFY_*) variables a built app reads at start. Pure: no I/O, no Nuxt.
// Names follow Nitro's runtimeConfig rule (camelCase → SNAKE_CASE under the config path), the same
// rule the module's messages use (`envSegment`).

import type { LocalAmplifyOptions, LocalApiName } from './types'

/** The local backend's APIs, one per way of authorizing a call. */
export const LOCAL_API_NAMES: readonly LocalApiName[] = ['iam', 'apiKey', 'userPool', 'userPoolAccess', 'custom', 'none']

/**
 * Which local API an app's API is pointed at: a local API name, or with `serverOnly: true` for an
 * API the app declared `serverOnly` (its variables are then `NUXT_AMPLIFY_REST_<NAME>_*`).
 */
export type LocalEnvApi = LocalApiName | { api: LocalApiName, serverOnly?: boolean }

/** What `backend.env()` is asked for: the app's API names, each mapped to a local API. */
export interface LocalEnvOptions {
  /** Default: the six local APIs under their own names (`iam`, `apiKey`, … ), plus `defaultApi`. */
  rest?: Record<string, LocalEnvApi>
}

/** `rest.keyApi.apiKey` → `REST_KEY_API_API_KEY`: Nitro's runtimeConfig naming (camelCase split, dashes to `_`). */
export function envName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()
}

const API_NAME = /^[a-z][a-zA-Z0-9]*$/

/** Checks a `rest` mapping; throws one error naming every bad entry. */
function checkMapping(rest: Record<string, LocalEnvApi>): void {
  const problems: string[] = []
  for (const [name, target] of Object.entries(rest)) {
    if (!API_NAME.test(name)) problems.push(`"${name}" is not an API name the module accepts (letters and digits starting with a lower-case letter)`)
    const api = typeof target === 'string' ? target : target?.api
    if (!LOCAL_API_NAMES.includes(api as LocalApiName))
      problems.push(`rest.${name} is ${JSON.stringify(target)}; expected one of the local APIs ${LOCAL_API_NAMES.map(n => `"${n}"`).join(', ')} (or { api, serverOnly: true })`)
  }
  if (problems.length) throw new TypeError(`Local backend env(): ${problems.join('; ')}`)
}

/**
 * The variables that point a built app at the local backend. Every auth setting, and for each of
 * the app's APIs its endpoint, region, authMode, token (and the key of an `apiKey` API).
 * The app must have been built with those APIs (any placeholder endpoint): Nitro overrides only
 * keys the build put into runtimeConfig.
 */
export function localEnv(amplify: LocalAmplifyOptions, options: LocalEnvOptions = {}): Record<string, string> {
  const env: Record<string, string> = {}
  const put = (prefix: string, values: Record<string, string | boolean>) => {
    for (const [key, value] of Object.entries(values)) env[`${prefix}_${envName(key)}`] = String(value)
  }
  put('NUXT_PUBLIC_AMPLIFY_AUTH', { ...amplify.auth })
  const rest = options.rest ?? Object.fromEntries(LOCAL_API_NAMES.map(name => [name, name]))
  checkMapping(rest)
  for (const [name, target] of Object.entries(rest)) {
    const local = amplify.rest[typeof target === 'string' ? target : target.api]
    const serverOnly = typeof target === 'object' && target.serverOnly === true
    put(`${serverOnly ? 'NUXT_AMPLIFY' : 'NUXT_PUBLIC_AMPLIFY'}_REST_${envName(name)}`, {
      endpoint: local.endpoint,
      region: local.region,
      authMode: local.authMode,
      token: 'token' in local ? local.token : 'id',
      ...('apiKey' in local ? { apiKey: local.apiKey } : {}),
    })
  }
  if (!options.rest) env.NUXT_PUBLIC_AMPLIFY_DEFAULT_API = amplify.defaultApi
  return env
}

/**
 * `KEY=value` lines that both a shell (`set -a; . ./file`) and dotenv readers (Nuxt, `node --env-file`)
 * read back unchanged; a value either needs no quotes or is single-quoted (none of the backend's holds a quote).
 */
export function formatEnv(env: Record<string, string>): string {
  return Object.entries(env).map(([key, value]) => {
    if (/^[\w.:/@+-]*$/.test(value)) return `${key}=${value}`
    if (/['\n\r]/.test(value)) throw new TypeError(`Local backend env: the value of ${key} holds a quote or a line break; it cannot be written to an env file`)
    return `${key}='${value}'`
  }).join('\n') + '\n'
}
