// The part of a Gen 2 `amplify_outputs.json` the module hands to Amplify's own `parseAmplifyConfig`
// at run time (`ResolvedOptions.outputs`). It ships in the public runtime config, so it is kept
// lean: what the module resolves itself (the pool and identity ids, region, guest access, the REST
// APIs of `custom.API`) is left out and written back from the resolved options, and of `custom`
// only `events` (read by Amplify) is kept. Pure: no Nuxt, no Amplify.
import type { AmplifyOutputs, ResolvedAuth } from './option-types'
import { isRecord } from './option-text'

/** The outputs keys that the resolved `auth` options carry (and env variables override). */
const RESOLVED_AUTH_KEYS = ['aws_region', 'user_pool_id', 'user_pool_client_id', 'identity_pool_id', 'unauthenticated_identities_enabled'] as const
/** Outputs sections Amplify's parser reads (besides `version`). */
const CATEGORIES = ['auth', 'data', 'storage', 'analytics', 'geo', 'notifications'] as const

/**
 * The outputs to keep for run time, or undefined when nothing beyond what the module resolves
 * itself is in the file (no `version` "1…", or only the ids and `custom.API`).
 */
export function leanOutputs(outputs: AmplifyOutputs | undefined): Record<string, unknown> | undefined {
  if (!isRecord(outputs) || typeof outputs.version !== 'string' || !outputs.version.startsWith('1')) return undefined
  const lean: Record<string, unknown> = {}
  for (const key of CATEGORIES) {
    const section = outputs[key]
    if (!isRecord(section)) continue
    if (key === 'auth') {
      const rest = Object.fromEntries(Object.entries(section).filter(([name]) => !(RESOLVED_AUTH_KEYS as readonly string[]).includes(name)))
      if (Object.keys(rest).length) lean.auth = rest
    }
    else {
      lean[key] = section
    }
  }
  if (isRecord(outputs.custom) && isRecord(outputs.custom.events)) lean.custom = { events: outputs.custom.events }
  if (!Object.keys(lean).length) return undefined
  return { version: outputs.version, ...lean }
}

/**
 * The outputs object as Amplify's parser expects it: the lean outputs with the resolved auth ids
 * written back (so `amplify.auth` options and env variables win over the file).
 */
export function withResolvedAuth(lean: Record<string, unknown>, auth: ResolvedAuth): Record<string, unknown> {
  if (!auth.userPoolId) {
    // Amplify's parser needs a user pool for its Auth section; without one the module's own
    // identity-pool-only Auth config is used and the file's auth section is dropped.
    const { auth: _, ...rest } = lean
    return rest
  }
  return {
    ...lean,
    auth: {
      ...(isRecord(lean.auth) ? lean.auth : {}),
      aws_region: auth.region,
      user_pool_id: auth.userPoolId,
      user_pool_client_id: auth.userPoolClientId,
      ...(auth.identityPoolId ? { identity_pool_id: auth.identityPoolId } : {}),
      unauthenticated_identities_enabled: auth.allowGuestAccess,
    },
  }
}
