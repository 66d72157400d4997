// A Gen 2 outputs object for the local backend (started with `graphql: true`): auth with the
// backend's pool and identity pool, data at its GraphQL endpoint with the realistic fixture's
// model introspection (the `Todo` model), as `ampx generate outputs` would write it.
import { readFileSync } from 'node:fs'
import type { LocalBackend } from '../../src/local'
import type { AmplifyOutputs } from '../../src/runtime/shared/option-types'

const REALISTIC = JSON.parse(readFileSync(new URL('../fixtures/gen2/realistic_outputs.json', import.meta.url), 'utf8')) as AmplifyOutputs & { data: Record<string, unknown> }

export function gen2Outputs(backend: LocalBackend): AmplifyOutputs {
  const { auth } = backend.amplify
  if (!backend.graphql) throw new Error('gen2Outputs(backend): start the backend with { graphql: true }')
  return {
    version: '1.4',
    auth: {
      aws_region: auth.region,
      user_pool_id: auth.userPoolId,
      user_pool_client_id: auth.userPoolClientId,
      identity_pool_id: auth.identityPoolId,
      unauthenticated_identities_enabled: true,
      username_attributes: ['email'],
      standard_required_attributes: ['email'],
      password_policy: { min_length: 8, require_lowercase: true, require_numbers: true, require_symbols: true, require_uppercase: true },
    },
    data: {
      url: backend.graphql.url,
      aws_region: backend.graphql.region,
      api_key: backend.graphql.apiKey,
      default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
      authorization_types: ['API_KEY', 'AWS_IAM'],
      model_introspection: REALISTIC.data.model_introspection,
    },
  }
}
