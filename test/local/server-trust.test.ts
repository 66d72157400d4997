// The server's token check against the real local user pool: its key set fetched over HTTP from
// the user pool endpoint (as the module's server does), its issuer from the backend's options.
import { generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalBackend } from '../../src/local'
import type { LocalBackend } from '../../src/local'
import { createUserPoolTokenVerifier, jwksUrl } from '../../src/runtime/server/token-verifier'
import type { UserPoolTokenVerifier } from '../../src/runtime/server/token-verifier'
import { decodePayload, initiateAuth } from '../utils/local-helpers'
import type { Tokens } from '../utils/local-helpers'

describe('server token check against the local user pool', () => {
  let backend: LocalBackend
  let verify: UserPoolTokenVerifier
  let alice: Tokens
  beforeAll(async () => {
    backend = await startLocalBackend()
    verify = createUserPoolTokenVerifier(backend.amplify.auth)
    alice = await initiateAuth(backend, backend.users.find(u => u.username === 'alice')!)
  })
  afterAll(() => backend?.stop())

  it('reads the key set from the user pool endpoint', async () => {
    const url = jwksUrl(backend.amplify.auth)
    expect(url.startsWith(backend.amplify.auth.userPoolEndpoint)).toBe(true)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { keys: { kid: string }[] }).keys.map(k => k.kid)).toEqual(['CognitoLocal'])
  })

  it('accepts the tokens the pool issued', async () => {
    expect(await verify(alice.idToken, 'id')).toMatchObject({ ok: true, expired: false, payload: { 'cognito:username': 'alice' } })
    expect(await verify(alice.accessToken, 'access')).toMatchObject({ ok: true, expired: false })
  })

  it('refuses alice\'s claims signed with another key under the pool\'s kid', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT({ ...decodePayload(alice.idToken), 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(privateKey)
    expect(await verify(forged, 'id')).toMatchObject({ ok: false, reason: 'signature: not signed by the user pool' })
  })

  it('says so when the key set cannot be loaded, and refuses', async () => {
    const unreachable = createUserPoolTokenVerifier({ ...backend.amplify.auth, userPoolEndpoint: 'http://127.0.0.1:1' })
    const verdict = await unreachable(alice.idToken, 'id')
    expect(verdict.ok).toBe(false)
    expect(!verdict.ok && verdict.reason).toMatch(/keys could not be loaded/)
  })
})
