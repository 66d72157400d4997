// Sending an Amplify REST call in a given Amplify context, and the one-call context an `iam` call
// is signed in: its only credentials are the ones checked for that call, so Amplify cannot look
// them up again (a lookup that failed would make it send the request unsigned). Used by the
// browser plugin and by each server request alike.
import type { AmplifyContext, AuthSession, ResourcesConfig } from '@aws-amplify/core'
import { createAmplifyContext } from 'aws-amplify'
// The REST package's own server entry, not `aws-amplify/api/server`: that one also exports the
// GraphQL client, which would put graphql, rxjs and the data schema into every server bundle.
import { del, get, head, patch, post, put } from '@aws-amplify/api-rest/server'
import type { AmplifyOperation, CheckedCredentials, LibraryHeaders, RestMethod } from './rest-types'
import { NotSignedInError } from './errors'
import { credentialsError } from './rest-outcome'

type ContextRest = (context: AmplifyContext, input: unknown) => AmplifyOperation
const rest = { GET: get, POST: post, PUT: put, PATCH: patch, DELETE: del, HEAD: head } as unknown as Record<RestMethod, ContextRest>

/**
 * The credentials an `iam` call is signed with, from one session lookup (the browser's or the
 * request's): a typed error, and nothing sent, when the lookup fails or finds none.
 */
export async function checkCredentials(apiName: string, lookup: () => Promise<AuthSession>): Promise<CheckedCredentials> {
  const session = await lookup().catch((cause: unknown) => {
    throw credentialsError(apiName, cause)
  })
  if (!session.credentials) throw new NotSignedInError(apiName, 'iam')
  return { credentials: session.credentials, identityId: session.identityId }
}

export function sendRest(method: RestMethod, context: AmplifyContext, input: unknown): AmplifyOperation {
  return rest[method](context, input)
}

/**
 * The last signing context of each core, by its headers function (one core: one browser app, or
 * one server request), so the context lives no longer than the core. Amplify hands out the same
 * credentials object while its credentials are cached, so consecutive calls of one core reuse one
 * context; other credentials, config or identity make a new one. (Keyed by the credentials object,
 * the server's credentials cache kept every request's context alive for as long as it kept the
 * credentials: about 90 kB per cached identity in B6.)
 */
const contexts = new WeakMap<LibraryHeaders, { resources: ResourcesConfig, credentials: object, identityId?: string, context: AmplifyContext }>()

export function signingContext(resources: ResourcesConfig, checked: CheckedCredentials, headers: LibraryHeaders): AmplifyContext {
  const cached = contexts.get(headers)
  if (cached && cached.resources === resources && cached.credentials === checked.credentials && cached.identityId === checked.identityId) return cached.context
  const context = createSigningContext(resources, checked, headers)
  contexts.set(headers, { resources, credentials: checked.credentials, identityId: checked.identityId, context })
  return context
}

function createSigningContext(resources: ResourcesConfig, checked: CheckedCredentials, headers: LibraryHeaders): AmplifyContext {
  return createAmplifyContext(resources, {
    Auth: {
      tokenProvider: { getTokens: async () => null },
      credentialsProvider: {
        getCredentialsAndIdentityId: async () => checked,
        clearCredentialsAndIdentityId: () => {},
      },
    },
    API: { REST: { headers } },
  })
}
