// More of the auth state derived from tokens (session.ts): where each user field comes from when
// a claim is missing, the refresh margin of short-lived tokens, and the redirect after sign-in.
import { describe, expect, it } from 'vitest'
import { afterSignIn, needsRefresh, REFRESH_MARGIN_MS, safeRedirect, SIGNED_OUT, sessionFromTokens } from '../../src/runtime/shared/session'

const jwt = (payload: Record<string, unknown>, text = 'h.p.s') => ({ payload, toString: () => text })
const EXP = 1_900_000_000

describe('sessionFromTokens: the user', () => {
  it('takes the ID token\'s claims when the access token lacks them', () => {
    const state = sessionFromTokens({
      idToken: jwt({ 'sub': 'id-sub', 'cognito:username': 'bob', 'cognito:groups': ['staff', 7], 'exp': EXP }, 'id.jwt'),
      accessToken: jwt({ exp: EXP }, 'access.jwt'),
    })
    expect(state.user).toEqual({ userId: 'id-sub', username: 'bob', email: undefined, groups: ['staff', '7'] })
    expect(state.idToken).toBe('id.jwt')
    expect(state.accessToken).toBe('access.jwt')
  })

  it('prefers the access token\'s sub, username and groups', () => {
    const state = sessionFromTokens({
      idToken: jwt({ 'sub': 'id-sub', 'cognito:username': 'id-name', 'cognito:groups': ['from-id'], 'email': 'b@example.com', 'exp': EXP }),
      accessToken: jwt({ 'sub': 'access-sub', 'username': 'access-name', 'cognito:groups': ['from-access'], 'exp': EXP }),
    })
    expect(state.user).toEqual({ userId: 'access-sub', username: 'access-name', email: 'b@example.com', groups: ['from-access'] })
  })

  it('claims that are missing or of the wrong type give empty values, not "undefined"', () => {
    const state = sessionFromTokens({ idToken: jwt({ 'email': 42, 'cognito:groups': 'admin' }), accessToken: jwt({}) })
    expect(state.status).toBe('signedIn')
    expect(state.user).toEqual({ userId: '', username: '', email: undefined, groups: [] })
    expect(state.expiresAt).toBe(0)
  })

  it('signed out (no tokens, or only one of them) is a fresh copy of SIGNED_OUT', () => {
    for (const tokens of [undefined, null, {}, { accessToken: jwt({ exp: EXP }) }]) {
      const state = sessionFromTokens(tokens)
      expect(state).toEqual({ status: 'signedOut', user: null, idToken: null, accessToken: null, expiresAt: null, refreshAt: null })
      expect(state).not.toBe(SIGNED_OUT)
    }
    expect(Object.isFrozen(SIGNED_OUT)).toBe(true)
  })
})

describe('sessionFromTokens: when to refresh', () => {
  const withLife = (iat: number | undefined, exp: number, idIat?: number) => sessionFromTokens({
    idToken: jwt({ exp, iat: idIat }),
    accessToken: jwt(iat === undefined ? { exp } : { exp, iat }),
  })

  it('a minute before expiry for a token that lives long', () => {
    const state = withLife(EXP - 3600, EXP)
    expect(state.expiresAt! - state.refreshAt!).toBe(REFRESH_MARGIN_MS)
    expect(REFRESH_MARGIN_MS).toBe(60_000)
  })

  it('a quarter of its life before expiry for a token that lives under four minutes', () => {
    const state = withLife(EXP - 100, EXP)
    expect(state.expiresAt).toBe(EXP * 1000)
    expect(state.refreshAt).toBe(EXP * 1000 - 25_000)
    expect(withLife(EXP - 240, EXP).refreshAt).toBe(EXP * 1000 - 60_000)
  })

  it('uses the ID token\'s iat when the access token has none, and never refreshes after expiry', () => {
    expect(withLife(undefined, EXP, EXP - 40).refreshAt).toBe(EXP * 1000 - 10_000)
    // iat after exp (a broken token): no margin, not a negative one.
    expect(withLife(EXP + 100, EXP).refreshAt).toBe(EXP * 1000)
    // no iat anywhere: the token's life is unknown, the full minute applies.
    expect(withLife(undefined, EXP).refreshAt).toBe(EXP * 1000 - 60_000)
  })
})

describe('needsRefresh: without a refresh time', () => {
  it('a signed-in state without refreshAt never asks for a refresh', () => {
    expect(needsRefresh({ status: 'signedIn', refreshAt: null }, Number.MAX_SAFE_INTEGER)).toBe(false)
    expect(needsRefresh({ status: 'signedIn', refreshAt: 0 }, 0)).toBe(true)
    expect(needsRefresh({ status: 'unknown', refreshAt: 0 }, 10)).toBe(false)
  })

  it('defaults to this machine\'s clock and no drift', () => {
    expect(needsRefresh({ status: 'signedIn', refreshAt: Date.now() - 1000 })).toBe(true)
    expect(needsRefresh({ status: 'signedIn', refreshAt: Date.now() + 3_600_000 })).toBe(false)
  })
})

describe('safeRedirect', () => {
  it('keeps same-origin paths', () => {
    for (const path of ['/', '/private', '/a/b?c=1#d', '/x%2F..'])
      expect(safeRedirect(path)).toBe(path)
  })

  it('refuses what could leave the site or is not a path', () => {
    for (const value of ['', 'private', '//evil.example', '/\\evil.example', '/a\\b', '/a\tb', '/a\nb', '/a\0b', '/a\x1Fb', '/a\x7Fb', 'https://evil.example', 42, null, undefined, ['/x']])
      expect(safeRedirect(value)).toBeUndefined()
  })

  it('afterSignIn falls back to home for a refused redirect', () => {
    expect(afterSignIn({ path: '/signin', query: { redirect: '/a\\b' } }, { login: '/signin', home: '/start' })).toBe('/start')
  })
})
