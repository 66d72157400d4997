// Amplify refreshing on its own when short-lived tokens run out. Its own file:
// Amplify is a global singleton and this needs a backend with 7 s tokens.
//
// Amplify treats a token as expired 5 s before `exp` (isTokenExpired's default
// tolerance), so validities of 5 s or less make every fetchAuthSession refresh;
// 7 s gives a 2 s window in which the tokens are still used as they are.

import { afterAll, beforeAll, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifyConfigFor, fetchJson, sleep } from '../utils/local-helpers'

let backend: LocalBackend

beforeAll(async () => {
  backend = await startLocalBackend({ tokenValidity: { idToken: 7, accessToken: 7 } })
  Amplify.configure(amplifyConfigFor(backend))
})

afterAll(async () => {
  await signOut()
  await backend?.stop()
})

it('uses tokens until they are about to expire, then refreshes through the proxy by itself', async () => {
  const bob = backend.users[1]!
  await signIn({ username: bob.username, password: bob.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } })
  const first = await fetchAuthSession()
  const exp = first.tokens!.idToken!.payload.exp!
  expect(exp - first.tokens!.idToken!.payload.iat!).toBe(7)

  const again = await fetchAuthSession()
  expect(backend.stats.refreshes).toBe(0)
  expect(again.tokens!.idToken!.toString()).toBe(first.tokens!.idToken!.toString())

  // Past exp - 5 s, Amplify refreshes on the next call. Up to 1 s more: Amplify
  // subtracts its clock drift (iat is floored to the second, so drift is < 0).
  await sleep(Math.max(0, (exp - 5) * 1000 - Date.now()) + 1300)
  const refreshed = await fetchAuthSession()
  expect(backend.stats.refreshes).toBe(1)
  expect(refreshed.tokens!.idToken!.toString()).not.toBe(first.tokens!.idToken!.toString())

  // The refreshed ID token is valid for the userPool API; the old one is about to lapse.
  const res = await fetchJson(`${backend.amplify.rest.userPool.endpoint}/echo`, { headers: { authorization: refreshed.tokens!.idToken!.toString() } })
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ username: 'bob' })
})
