// Resolved options → Amplify's ResourcesConfig. Everything of the outputs file goes through
// Amplify's own `parseAmplifyConfig` (Auth in full, Data, Storage, Geo, Analytics, Notifications,
// Events); the module then writes what it merges itself over it: the Cognito ids and endpoints of
// `amplify.auth` and the REST APIs (Amplify's parser drops `custom.API`).
import type { ResourcesConfig } from 'aws-amplify'
import { parseAmplifyConfig } from 'aws-amplify/utils'
import type { ResolvedOptions } from './option-types'
import { withResolvedAuth } from './outputs'

export function toResourcesConfig(options: ResolvedOptions): ResourcesConfig {
  const { auth } = options
  const parsed: ResourcesConfig = options.outputs ? parseAmplifyConfig(withResolvedAuth(options.outputs, auth) as never) : {}
  const cognito: Record<string, unknown> = { ...parsed.Auth?.Cognito }
  if (auth.userPoolId) {
    cognito.userPoolId = auth.userPoolId
    cognito.userPoolClientId = auth.userPoolClientId
    if (auth.userPoolEndpoint) cognito.userPoolEndpoint = auth.userPoolEndpoint
  }
  if (auth.identityPoolId) {
    cognito.identityPoolId = auth.identityPoolId
    cognito.allowGuestAccess = auth.allowGuestAccess
    if (auth.identityPoolEndpoint) cognito.identityPoolEndpoint = auth.identityPoolEndpoint
  }
  const rest: Record<string, { endpoint: string, region: string }> = {}
  for (const [name, api] of Object.entries(options.rest))
    rest[name] = { endpoint: api.endpoint, region: api.region }
  return {
    ...parsed,
    ...(Object.keys(cognito).length ? { Auth: { ...parsed.Auth, Cognito: cognito } } : {}),
    API: { ...parsed.API, REST: rest },
  } as ResourcesConfig
}
