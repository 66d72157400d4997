// The auth state both sides derive from the same tokens: identical on the server and in the
// browser (no hydration mismatch), with a machine's clock drift applied only to refresh decisions.
import { describe, expect, it } from 'vitest'
import { afterSignIn, needsRefresh, sessionFromTokens } from '../../src/runtime/shared/session'

const jwt = (payload: Record<string, unknown>, text: string) => ({ payload, toString: () => text })
const EXP = 1_900_000_000
const tokens = {
  idToken: jwt({ 'sub': 's1', 'cognito:username': 'alice', 'email': 'a@example.com', 'iat': EXP - 3600, 'exp': EXP }, 'id.token.sig'),
  accessToken: jwt({ 'sub': 's1', 'username': 'alice', 'cognito:groups': ['admin'], 'iat': EXP - 3600, 'exp': EXP - 10 }, 'access.token.sig'),
}

describe('sessionFromTokens', () => {
  it('expiresAt is the sooner token\'s own exp and refreshAt a minute before it: no machine clock involved', () => {
    const state = sessionFromTokens(tokens)
    expect(state).toMatchObject({
      status: 'signedIn',
      user: { userId: 's1', username: 'alice', email: 'a@example.com', groups: ['admin'] },
      expiresAt: (EXP - 10) * 1000,
      refreshAt: (EXP - 10) * 1000 - 60_000,
    })
  })

  it('signed out without both tokens', () => {
    expect(sessionFromTokens({ idToken: tokens.idToken })).toMatchObject({ status: 'signedOut', expiresAt: null })
  })
})

describe('needsRefresh', () => {
  const state = sessionFromTokens(tokens)
  const at = state.refreshAt!

  it('from refreshAt on, in the tokens\' clock', () => {
    expect(needsRefresh(state, at - 1)).toBe(false)
    expect(needsRefresh(state, at)).toBe(true)
  })

  it('a clock 10 minutes behind the user pool\'s (drift +10 min) refreshes at the same real moment', () => {
    const drift = 600_000
    expect(needsRefresh(state, at - drift - 1, drift)).toBe(false)
    expect(needsRefresh(state, at - drift, drift)).toBe(true)
  })

  it('never for a signed-out state', () => {
    expect(needsRefresh(sessionFromTokens(undefined), Number.MAX_SAFE_INTEGER)).toBe(false)
  })
})

describe('afterSignIn', () => {
  const redirect = { login: '/login', home: '/' }
  it('sends a user on the login route to the same-origin redirect, else home; elsewhere nowhere', () => {
    expect(afterSignIn({ path: '/login', query: { redirect: '/private?tab=2' } }, redirect)).toBe('/private?tab=2')
    expect(afterSignIn({ path: '/login', query: {} }, redirect)).toBe('/')
    expect(afterSignIn({ path: '/login', query: { redirect: '//evil.example/x' } }, redirect)).toBe('/')
    expect(afterSignIn({ path: '/login', query: { redirect: 'https://evil.example' } }, redirect)).toBe('/')
    expect(afterSignIn({ path: '/private', query: { redirect: '/x' } }, redirect)).toBeUndefined()
  })
})
