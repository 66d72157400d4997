// The browser's credentials lookup for `iam` calls: Amplify's fetchAuthSession, remembered while
// the token storage is unchanged (shared/session-memo.ts). The fingerprint is the storage the
// module configures (`ssr: true`: the cookie string; otherwise Amplify's keys in localStorage)
// plus the store's ID token; any Amplify auth event in this tab forgets it too, so an app that
// set its own token storage is covered.
import { Hub } from 'aws-amplify/utils'
import { rememberSession, type RememberedSession } from '../shared/session-memo'

const AMPLIFY_KEY_PREFIXES = ['CognitoIdentityServiceProvider.', 'com.amplify.']

/** Amplify's keys in localStorage (tokens, user, identity id) and their values, as one string. */
export function localStorageFingerprint(): string {
  let out = ''
  for (let index = 0; index < localStorage.length; index++) {
    const key = localStorage.key(index)
    if (key && AMPLIFY_KEY_PREFIXES.some(prefix => key.startsWith(prefix))) out += `${key}=${localStorage.getItem(key)}\n`
  }
  return out
}

export function iamSessionLookup(ssr: boolean, idToken: () => string | null | undefined): RememberedSession {
  const storage = ssr ? () => document.cookie : localStorageFingerprint
  const lookup = rememberSession(
    async () => (await import('aws-amplify/auth')).fetchAuthSession(),
    () => `${storage()}\n${idToken() ?? ''}`,
  )
  Hub.listen('auth', lookup.forget)
  return lookup
}
