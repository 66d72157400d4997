// The one-call context an `iam` call is signed in: it signs with exactly the credentials checked
// for the call, and is reused only for the same credentials object, config and headers function
// (one core), never across cores or credentials.
import { describe, expect, it } from 'vitest'
import { fetchAuthSession } from 'aws-amplify/auth/server'
import type { ResourcesConfig } from '@aws-amplify/core'
import { signingContext } from '../../src/runtime/shared/signing'
import type { CheckedCredentials, LibraryHeaders } from '../../src/runtime/shared/rest-types'

const resources: ResourcesConfig = { API: { REST: { items: { endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod', region: 'eu-west-1' } } } }
const checked = (key: string): CheckedCredentials => ({ credentials: { accessKeyId: key, secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3_600_000) }, identityId: `id-${key}` })
const headers: LibraryHeaders = async () => ({})

describe('signingContext', () => {
  it('signs with exactly the checked credentials: Amplify\'s session lookup in it returns them', async () => {
    const alice = checked('AKALICE')
    const session = await fetchAuthSession(signingContext(resources, alice, headers))
    expect(session.credentials).toBe(alice.credentials)
    expect(session.identityId).toBe('id-AKALICE')
    expect(session.tokens).toBeUndefined()
  })

  it('is reused for the same credentials object, config and headers function only', () => {
    const alice = checked('AKALICE')
    const first = signingContext(resources, alice, headers)
    expect(signingContext(resources, alice, headers)).toBe(first)
    expect(signingContext(resources, checked('AKALICE'), headers)).not.toBe(first) // another credentials object
    expect(signingContext(resources, alice, async () => ({}))).not.toBe(first) // another core
    expect(signingContext({ ...resources }, alice, headers)).not.toBe(first) // another request's config
    expect(signingContext(resources, { ...alice, identityId: 'other' }, headers)).not.toBe(first)
  })
})
