// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { localStorageFingerprint } from '../../src/runtime/app/iam-session'

describe('localStorageFingerprint (ssr: false: what the remembered iam lookup watches)', () => {
  beforeEach(() => localStorage.clear())

  it('changes with any of Amplify\'s keys (tokens, signed-in user, identity id), not with the app\'s own', () => {
    localStorage.setItem('theme', 'dark')
    const empty = localStorageFingerprint()
    expect(empty).toBe('')
    localStorage.setItem('CognitoIdentityServiceProvider.client.LastAuthUser', 'bob')
    localStorage.setItem('CognitoIdentityServiceProvider.client.bob.idToken', 'header.payload.sig-1')
    const signedIn = localStorageFingerprint()
    expect(signedIn).toContain('bob')
    localStorage.setItem('theme', 'light')
    expect(localStorageFingerprint()).toBe(signedIn)
    localStorage.setItem('CognitoIdentityServiceProvider.client.bob.idToken', 'header.payload.sig-2')
    const refreshed = localStorageFingerprint()
    expect(refreshed).not.toBe(signedIn)
    localStorage.setItem('com.amplify.Cognito.eu-west-1:pool.identityId', 'eu-west-1:abc')
    expect(localStorageFingerprint()).not.toBe(refreshed)
    localStorage.removeItem('CognitoIdentityServiceProvider.client.LastAuthUser')
    localStorage.removeItem('CognitoIdentityServiceProvider.client.bob.idToken')
    localStorage.removeItem('com.amplify.Cognito.eu-west-1:pool.identityId')
    expect(localStorageFingerprint()).toBe(empty)
  })
})
