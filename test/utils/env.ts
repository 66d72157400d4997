import { envSegment } from '../../src/runtime/shared/validate-options'

/**
 * Flattens module options into the NUXT_PUBLIC_AMPLIFY_* variables that override a built app's
 * runtime config: `rest.keyApi.apiKey` → NUXT_PUBLIC_AMPLIFY_REST_KEY_API_API_KEY.
 */
export function amplifyEnv(options: object, prefix = 'NUXT_PUBLIC_AMPLIFY'): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    const name = `${prefix}_${envSegment(key)}`
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(env, amplifyEnv(value, name))
    else if (value !== undefined) env[name] = String(value)
  }
  return env
}
