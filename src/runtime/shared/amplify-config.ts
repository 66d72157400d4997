// Resolved options → Amplify's ResourcesConfig. Amplify's own configure(outputs) drops
// `custom.API`, so the REST APIs are written here from the merged options instead.
import type { ResourcesConfig } from 'aws-amplify'
import type { ResolvedOptions } from './option-types'

export function toResourcesConfig(options: ResolvedOptions): ResourcesConfig {
  const { auth } = options
  const cognito: Record<string, unknown> = {}
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
    ...(Object.keys(cognito).length ? { Auth: { Cognito: cognito } } : {}),
    API: { REST: rest },
  } as ResourcesConfig
}
