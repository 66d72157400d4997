// The emulated Cognito domain (startLocalBackend({ oauth: true })) over HTTPS, trusted through its
// own certificate: authorize → fake social provider → code, the token endpoint's PKCE check, logout.
import { createHash, randomBytes } from 'node:crypto'
import { request } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { decodePayload } from '../utils/local-helpers'

let backend: LocalBackend
const REDIRECT = 'http://localhost:3000/auth/callback'
const LOGOUT = 'http://localhost:3000/'
beforeAll(async () => {
  backend = await startLocalBackend({ oauth: { callbackUrls: [REDIRECT], logoutUrls: [LOGOUT] } })
})
afterAll(async () => {
  await backend?.stop()
})

function call(path: string, init: { method?: string, form?: Record<string, string> } = {}): Promise<{ status: number, location?: string, body: string }> {
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined
  return new Promise((resolve, reject) => {
    const req = request(`${backend.oauth!.url}${path}`, {
      method: init.method ?? 'GET',
      ca: backend.oauth!.certificate,
      headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    }, (res) => {
      let text = ''
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}
async function codeFor(challenge: string): Promise<string> {
  const params = { client_id: backend.amplify.auth.userPoolClientId, redirect_uri: REDIRECT, state: 's1', code_challenge: challenge, identity_provider: 'Google', scope: 'openid' }
  const answer = await call('/social', { method: 'POST', form: { ...params, username: 'alice' } })
  expect(answer.status).toBe(302)
  const location = new URL(answer.location!)
  expect(location.origin + location.pathname).toBe(REDIRECT)
  expect(location.searchParams.get('state')).toBe('s1')
  return location.searchParams.get('code')!
}

describe('the local Cognito domain', () => {
  it('shows a login page only for a PKCE authorize request of the pool\'s client', async () => {
    const { verifier: _, challenge } = pkce()
    const base = `/oauth2/authorize?client_id=${backend.amplify.auth.userPoolClientId}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&state=x`
    const page = await call(`${base}&code_challenge=${challenge}&code_challenge_method=S256`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('Continue with FakeSocial as alice')
    expect((await call(base)).status).toBe(400)
    expect((await call(`${base.replace(/client_id=[^&]+/, 'client_id=other')}&code_challenge=${challenge}&code_challenge_method=S256`)).status).toBe(400)
  })

  it('exchanges a code once, only with the verifier of its challenge, for the pool\'s tokens', async () => {
    const { verifier, challenge } = pkce()
    const wrong = await call('/oauth2/token', { method: 'POST', form: { grant_type: 'authorization_code', client_id: backend.amplify.auth.userPoolClientId, redirect_uri: REDIRECT, code: await codeFor(challenge), code_verifier: pkce().verifier } })
    expect(wrong.status).toBe(400)
    expect(backend.oauth!.requests.at(-1)).toMatchObject({ endpoint: 'token', pkceVerified: false })
    const code = await codeFor(challenge)
    const form = { grant_type: 'authorization_code', client_id: backend.amplify.auth.userPoolClientId, redirect_uri: REDIRECT, code, code_verifier: verifier }
    const good = await call('/oauth2/token', { method: 'POST', form })
    expect(good.status).toBe(200)
    const tokens = JSON.parse(good.body) as { id_token: string, access_token: string, refresh_token: string }
    expect(decodePayload(tokens.id_token)).toMatchObject({ 'cognito:username': 'alice', 'iss': backend.urls.issuer })
    expect(backend.oauth!.requests.at(-1)).toMatchObject({ endpoint: 'token', status: 200, pkceVerified: true, username: 'alice' })
    expect((await call('/oauth2/token', { method: 'POST', form })).status).toBe(400)
  })

  it('refuses a redirect_uri that is not a registered callback URL: an error page, no redirect (as Cognito)', async () => {
    const { challenge } = pkce()
    const clientId = backend.amplify.auth.userPoolClientId
    for (const other of ['http://localhost:3000/other', 'http://localhost:3001/auth/callback', 'https://evil.example/auth/callback']) {
      const page = await call(`/oauth2/authorize?client_id=${clientId}&response_type=code&redirect_uri=${encodeURIComponent(other)}&state=x&code_challenge=${challenge}&code_challenge_method=S256`)
      expect(page).toMatchObject({ status: 400, location: undefined })
      expect(page.body).toContain('redirect_mismatch')
      expect(backend.oauth!.requests.at(-1)).toMatchObject({ endpoint: 'authorize', status: 400 })
      // Posting the login form straight to the domain with that redirect_uri is refused the same way.
      const social = await call('/social', { method: 'POST', form: { client_id: clientId, redirect_uri: other, state: 's', code_challenge: challenge, identity_provider: 'Google', scope: 'openid', username: 'alice' } })
      expect(social).toMatchObject({ status: 400, location: undefined })
    }
  })

  it('refuses options naming no callback or logout URL, before starting anything', async () => {
    await expect(startLocalBackend({ oauth: { callbackUrls: [], logoutUrls: [LOGOUT] } })).rejects.toThrow(/oauth\.callbackUrls must be a non-empty array of URLs/)
    await expect(startLocalBackend({ oauth: { callbackUrls: [REDIRECT], logoutUrls: ['localhost:3000'] } })).rejects.toThrow(/oauth\.logoutUrls\[0\]: "localhost:3000" is not an http\(s\) URL/)
  })

  it('logs out back to a registered logout_uri only', async () => {
    const clientId = backend.amplify.auth.userPoolClientId
    const ok = await call(`/logout?client_id=${clientId}&logout_uri=${encodeURIComponent('http://localhost:3000/')}`)
    expect(ok).toMatchObject({ status: 302, location: 'http://localhost:3000/' })
    expect((await call(`/logout?client_id=${clientId}&logout_uri=${encodeURIComponent('https://evil.example/')}`)).status).toBe(400)
    const unregistered = await call(`/logout?client_id=${clientId}&logout_uri=${encodeURIComponent('http://localhost:3000/elsewhere')}`)
    expect(unregistered).toMatchObject({ status: 400, location: undefined })
    expect(unregistered.body).toContain('logout_uri is not one of the app client')
  })
})
