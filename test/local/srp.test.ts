// USER_SRP_AUTH against the local backend, which emulates Cognito's side of SRP in its user pool
// proxy (cognito-local has none): Amplify's own SRP sign-in (its default flow) in Node, a wrong
// password, the NEW_PASSWORD_REQUIRED user, and forged or replayed proofs at the raw protocol.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { passwordClaim, srpClient } from '../../src/runtime/shared/srp'
import { amplifyConfigFor, jsonCall } from '../utils/local-helpers'

const TARGET = 'AWSCognitoIdentityProviderService'
const CAROL = { username: 'carol', password: 'Temp0rary!carol', email: 'carol@example.com', newPasswordRequired: true }
let backend: LocalBackend

beforeAll(async () => {
  backend = await startLocalBackend({
    users: [{ username: 'alice', password: 'Passw0rd!alice', email: 'alice@example.com', groups: ['admin'] }, CAROL],
  })
  Amplify.configure(amplifyConfigFor(backend))
}, 60_000)
afterEach(async () => {
  await signOut()
  backend.clearRequests()
})
afterAll(async () => {
  await backend?.stop()
})

const steps = () => backend.srp.map(({ step, username, outcome }) => `${step} ${username} ${outcome}`)

describe('USER_SRP_AUTH at the local user pool', () => {
  it('Amplify\'s SRP sign-in (its default flow) gets cognito-local\'s tokens after the proxy verified the proof', async () => {
    const result = await signIn({ username: 'alice', password: 'Passw0rd!alice', options: { authFlowType: 'USER_SRP_AUTH' } })
    expect(result).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } })
    expect(steps()).toEqual(['USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER alice verified'])
    const { tokens } = await fetchAuthSession()
    expect(tokens!.idToken!.payload).toMatchObject({ 'iss': backend.urls.issuer, 'cognito:username': 'alice' })
  })

  it('a wrong password: NotAuthorizedException, as from Cognito, and no tokens', async () => {
    const error = await signIn({ username: 'alice', password: 'Passw0rd!alicf', options: { authFlowType: 'USER_SRP_AUTH' } }).catch((e: Error) => e)
    expect(error).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
    expect(steps()).toEqual(['USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER alice refused'])
    expect((await fetchAuthSession()).tokens).toBeUndefined()
  })

  it('an unknown user: NotAuthorizedException at the first step', async () => {
    const error = await signIn({ username: 'mallory', password: 'whatever1!', options: { authFlowType: 'USER_SRP_AUTH' } }).catch((e: Error) => e)
    expect(error).toMatchObject({ name: 'NotAuthorizedException' })
    expect(steps()).toEqual(['USER_SRP_AUTH mallory refused'])
  })

  it('NEW_PASSWORD_REQUIRED after the temporary password is verified; the new password then signs in by SRP', async () => {
    const first = await signIn({ username: 'carol', password: CAROL.password, options: { authFlowType: 'USER_SRP_AUTH' } })
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED')
    expect(steps()).toEqual(['USER_SRP_AUTH carol challenge', 'PASSWORD_VERIFIER carol verified'])
    expect(await confirmSignIn({ challengeResponse: 'N3w!password-carol' })).toMatchObject({ isSignedIn: true })
    await signOut()
    backend.clearRequests()
    // The verifier comes from cognito-local's current password: the old one fails, the new one works.
    await expect(signIn({ username: 'carol', password: CAROL.password, options: { authFlowType: 'USER_SRP_AUTH' } })).rejects.toMatchObject({ name: 'NotAuthorizedException' })
    expect(await signIn({ username: 'carol', password: 'N3w!password-carol', options: { authFlowType: 'USER_SRP_AUTH' } })).toMatchObject({ isSignedIn: true })
    expect(steps()).toEqual(['USER_SRP_AUTH carol challenge', 'PASSWORD_VERIFIER carol refused', 'USER_SRP_AUTH carol challenge', 'PASSWORD_VERIFIER carol verified'])
  })

  it('refuses a replayed proof, a proof for another user and a malformed TIMESTAMP; each step is single-use', async () => {
    const { userPoolEndpoint, userPoolClientId, userPoolId } = backend.amplify.auth
    const call = (op: string, input: unknown) => jsonCall(userPoolEndpoint!, `${TARGET}.${op}`, input)
    const begin = async () => {
      const client = srpClient()
      const out = await call('InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: userPoolClientId, AuthParameters: { USERNAME: 'alice', SRP_A: client.A } })
      expect(out.body.ChallengeName).toBe('PASSWORD_VERIFIER')
      return { client, challenge: out.body.ChallengeParameters as { SRP_B: string, SALT: string, SECRET_BLOCK: string, USER_ID_FOR_SRP: string } }
    }
    const respond = (responses: Record<string, string>) => call('RespondToAuthChallenge', { ChallengeName: 'PASSWORD_VERIFIER', ClientId: userPoolClientId, ChallengeResponses: responses })

    const first = await begin()
    const claim = passwordClaim(first.client, first.challenge, userPoolId, 'Passw0rd!alice')
    expect((await respond({ ...claim, TIMESTAMP: '2026-12-02T04:05:06Z' })).body.__type).toBe('InvalidParameterException')
    expect(await respond({ ...claim, USERNAME: 'carol' })).toMatchObject({ status: 400, body: { __type: 'NotAuthorizedException' } })
    // That attempt used the step up: the right proof for it is now refused too.
    expect(await respond(claim)).toMatchObject({ status: 400, body: { __type: 'NotAuthorizedException' } })

    const second = await begin()
    const good = await respond(passwordClaim(second.client, second.challenge, userPoolId, 'Passw0rd!alice'))
    expect(good.status).toBe(200)
    expect(good.body.AuthenticationResult).toMatchObject({ IdToken: expect.any(String), RefreshToken: expect.any(String) })
    // Replaying the accepted proof (same secret block, signature, timestamp) gets nothing.
    expect(await respond(passwordClaim(second.client, second.challenge, userPoolId, 'Passw0rd!alice'))).toMatchObject({ status: 400, body: { __type: 'NotAuthorizedException' } })
    expect(steps()).toEqual([
      'USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER carol refused', 'PASSWORD_VERIFIER alice refused',
      'USER_SRP_AUTH alice challenge', 'PASSWORD_VERIFIER alice verified', 'PASSWORD_VERIFIER alice refused',
    ])
  })
})
