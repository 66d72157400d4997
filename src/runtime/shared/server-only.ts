// Where the resolved options live: everything in `runtimeConfig.public.amplify` ships to every
// browser (payload and client bundle), so `serverOnly` APIs are kept in the private
// `runtimeConfig.amplify.rest` instead, and joined back in on the server only. Pure: no Nuxt.
import type { ResolvedOptions, ResolvedRestApi } from './option-types'

/** The private part: `runtimeConfig.amplify` (overridable by `NUXT_AMPLIFY_*` variables). */
export interface PrivateAmplifyConfig {
  /** `serverOnly` APIs whole; with `session: 'server'` also the `apiKey` of every other API. */
  rest: Record<string, ResolvedRestApi | Pick<ResolvedRestApi, 'apiKey'>>
  /** Seals the shared server state (`NUXT_AMPLIFY_SESSION_SECRET`); required with a shared storage driver. */
  sessionSecret?: string
}

/**
 * Splits resolved options at build: `serverOnly` APIs go to the private part whole; the public
 * part keeps only their names (so the browser can say why it cannot call them).
 */
export function splitServerOnly(options: ResolvedOptions): { public: ResolvedOptions, private: PrivateAmplifyConfig } {
  const publicRest: Record<string, ResolvedRestApi> = {}
  const privateRest: PrivateAmplifyConfig['rest'] = {}
  const serverOnlyApis: string[] = []
  for (const [name, api] of Object.entries(options.rest)) {
    if (api.serverOnly === true) {
      privateRest[name] = { ...api, serverOnly: true }
      serverOnlyApis.push(name)
    }
    else {
      const { serverOnly: _, ...rest } = api
      publicRest[name] = rest
      // Browser calls go through the server's proxy then: the key is needed on the server only.
      if (options.session === 'server' && rest.apiKey) {
        publicRest[name] = { ...rest, apiKey: '' }
        privateRest[name] = { apiKey: rest.apiKey }
      }
    }
  }
  return {
    public: { ...options, rest: publicRest, serverOnlyApis },
    private: { rest: privateRest },
  }
}

/** The options as the server uses them: the public ones plus the private `serverOnly` APIs. */
export function withServerOnly(publicOptions: ResolvedOptions, privateConfig: Partial<PrivateAmplifyConfig> | undefined): ResolvedOptions {
  const privateRest = privateConfig?.rest
  if (!privateRest || typeof privateRest !== 'object' || !Object.keys(privateRest).length) return publicOptions
  if (!publicOptions || typeof publicOptions !== 'object' || !publicOptions.rest || typeof publicOptions.rest !== 'object') return publicOptions
  const rest = { ...publicOptions.rest }
  // Per API: a serverOnly API is private whole; a `session: 'server'` API keeps its key here.
  for (const [name, api] of Object.entries(privateRest)) rest[name] = { ...rest[name], ...api } as ResolvedRestApi
  return { ...publicOptions, rest }
}
