// The OAuth endpoints of a Cognito domain, for `signInWithRedirect` offline (opt-in:
// `startLocalBackend({ oauth: true })`). Amplify builds `https://<domain>/oauth2/...` URLs, so this
// server speaks HTTPS with a self-signed certificate made at start (openssl; the browser must trust
// it, e.g. Chromium's --ignore-certificate-errors in tests). Endpoints:
//  - GET /oauth2/authorize: checks client, response_type=code, PKCE S256 challenge and that the
//    redirect_uri is one of the app client's callback URLs (exactly, as Cognito does), then shows a small login page (the pool's username/password) and a fake "social"
//    provider that vouches for a seeded user;
//  - POST /oauth2/token: authorization_code grant, the code once, same client and redirect_uri,
//    and the PKCE verifier checked against the challenge; answers the pool's own tokens (issued by
//    cognito-local through InitiateAuth, so the module's server verifies them like any other);
//  - GET /logout: back to a logout_uri that is one of the app client's logout URLs.
// A redirect_uri / logout_uri not registered gets an error page and no redirect, as from Cognito.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { listenOnFreePort, readBody, requestRefusal, sendJson, sendPreflight, urlHost, LocalBackendError, type RequestPolicy, type StartedServer } from './http'

export interface LocalOAuthRequest {
  endpoint: 'authorize' | 'login' | 'social' | 'token' | 'logout'
  status: number
  /** For `token`: whether the PKCE verifier matched the challenge of the code. */
  pkceVerified?: boolean
  username?: string
  reason?: string
}

export interface OAuthTokens { idToken: string, accessToken: string, refreshToken: string, expiresIn: number }

export interface OAuthServerOptions {
  host: string
  dir: string
  clientId: () => string
  /** Signs a user in at the pool (cognito-local InitiateAuth); undefined for a wrong password. */
  signIn: (username: string, password: string) => Promise<OAuthTokens | undefined>
  /** The fake social provider's users: username → password (it signs them in at the pool). */
  socialUsers: () => Array<{ username: string, password: string }>
  /** The app client's registered callback (sign-in redirect) and logout URLs, compared exactly. */
  callbackUrls: readonly string[]
  logoutUrls: readonly string[]
  policy: RequestPolicy
  requests: LocalOAuthRequest[]
}

interface Grant { tokens: OAuthTokens, clientId: string, redirectUri: string, challenge: string, expires: number, username: string }
interface AuthorizeParams { client_id: string, redirect_uri: string, state: string, code_challenge: string, identity_provider: string, scope: string }

const CODE_LIFETIME_MS = 5 * 60_000

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/** A self-signed certificate for the bound host (and `dnsNames`), made with openssl in `dir`. Also used by storage.ts. */
export async function makeCertificate(dir: string, host: string, use: { file: string, what: string, dnsNames?: string[] } = { file: 'oauth', what: 'The OAuth endpoints (oauth: true)' }): Promise<{ key: Buffer, cert: Buffer }> {
  const keyFile = join(dir, `${use.file}-key.pem`)
  const certFile = join(dir, `${use.file}-cert.pem`)
  const altNames = ['IP:127.0.0.1', 'DNS:localhost', ...(host !== '127.0.0.1' && host !== 'localhost' ? [/^[\d.]+$/.test(host) ? `IP:${host}` : `DNS:${host}`] : []), ...(use.dnsNames ?? []).map(name => `DNS:${name}`)]
  try {
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=nuxt-amplify-rest local ${use.file}`, '-addext', `subjectAltName=${altNames.join(',')}`])
  }
  catch (error) {
    throw new LocalBackendError(`Local backend: ${use.what} need \`openssl\` on the PATH to make their HTTPS certificate`, { cause: error })
  }
  return { key: await readFile(keyFile), cert: await readFile(certFile) }
}

export async function startOAuthServer(opts: OAuthServerOptions): Promise<StartedServer & { certificate: string }> {
  const { key, cert } = await makeCertificate(opts.dir, opts.host)
  const grants = new Map<string, Grant>()
  let self = ''

  const page = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`<!doctype html><html><head><title>Local Cognito domain</title></head><body>${body}</body></html>`)
  }
  const hidden = (params: AuthorizeParams) => Object.entries(params).map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`).join('')
  const loginPage = (params: AuthorizeParams, error = '') => `
    <h1>Sign in</h1>${error ? `<p data-testid="oauth-error">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="/login" data-testid="hosted-ui-form">${hidden(params)}
      <input name="username" placeholder="Username"><input name="password" type="password" placeholder="Password">
      <button type="submit">Sign in</button></form>
    <h2>FakeSocial</h2>
    ${opts.socialUsers().map(u => `<form method="post" action="/social">${hidden(params)}<input type="hidden" name="username" value="${escapeHtml(u.username)}"><button type="submit" data-testid="social-${escapeHtml(u.username)}">Continue with FakeSocial as ${escapeHtml(u.username)}</button></form>`).join('')}`

  function checkAuthorize(query: URLSearchParams): { params: AuthorizeParams } | { error: string } {
    const get = (name: string) => query.get(name) ?? ''
    if (get('client_id') !== opts.clientId()) return { error: 'client_id is not the pool\'s app client' }
    if (get('response_type') !== 'code') return { error: 'response_type must be code' }
    if (get('code_challenge_method') !== 'S256' || !get('code_challenge')) return { error: 'PKCE is required: code_challenge with code_challenge_method=S256' }
    if (!opts.callbackUrls.includes(get('redirect_uri'))) return { error: 'redirect_mismatch: redirect_uri is not one of the app client\'s callback URLs' }
    return { params: { client_id: get('client_id'), redirect_uri: get('redirect_uri'), state: get('state'), code_challenge: get('code_challenge'), identity_provider: get('identity_provider'), scope: get('scope') } }
  }

  function redirectWithCode(res: ServerResponse, params: AuthorizeParams, tokens: OAuthTokens, username: string) {
    const code = randomBytes(24).toString('base64url')
    grants.set(code, { tokens, clientId: params.client_id, redirectUri: params.redirect_uri, challenge: params.code_challenge, expires: Date.now() + CODE_LIFETIME_MS, username })
    const target = new URL(params.redirect_uri)
    target.searchParams.set('code', code)
    if (params.state) target.searchParams.set('state', params.state)
    res.writeHead(302, { 'location': target.href, 'cache-control': 'no-store' })
    res.end()
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', self)
    const form = req.method === 'POST' ? new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8')) : url.searchParams
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const checked = checkAuthorize(form)
      opts.requests.push({ endpoint: 'authorize', status: 'error' in checked ? 400 : 200, ...('error' in checked ? { reason: checked.error } : {}) })
      if ('error' in checked) return page(res, 400, `<p data-testid="oauth-error">${escapeHtml(checked.error)}</p>`)
      return page(res, 200, loginPage(checked.params))
    }
    if (req.method === 'POST' && (url.pathname === '/login' || url.pathname === '/social')) {
      const endpoint = url.pathname === '/login' ? 'login' : 'social'
      const checked = checkAuthorize(new URLSearchParams({ ...Object.fromEntries(form), response_type: 'code', code_challenge_method: 'S256' }))
      if ('error' in checked) return page(res, 400, `<p data-testid="oauth-error">${escapeHtml(checked.error)}</p>`)
      const username = form.get('username') ?? ''
      const password = endpoint === 'login' ? form.get('password') ?? '' : opts.socialUsers().find(u => u.username === username)?.password ?? ''
      const tokens = password ? await opts.signIn(username, password) : undefined
      opts.requests.push({ endpoint, status: tokens ? 302 : 401, username, ...(tokens ? {} : { reason: 'wrong username or password' }) })
      if (!tokens) return page(res, 401, loginPage(checked.params, 'Incorrect username or password.'))
      return redirectWithCode(res, checked.params, tokens, username)
    }
    // Amplify's token request carries x-amz-user-agent: the browser asks first.
    if (req.method === 'OPTIONS' && url.pathname === '/oauth2/token') return sendPreflight(req, res, { methods: 'POST,OPTIONS' })
    if (req.method === 'POST' && url.pathname === '/oauth2/token') {
      const refuse = (reason: string, pkceVerified?: boolean) => {
        opts.requests.push({ endpoint: 'token', status: 400, reason, ...(pkceVerified === undefined ? {} : { pkceVerified }) })
        sendJson(req, res, 400, { error: 'invalid_grant', error_description: reason })
      }
      if (form.get('grant_type') !== 'authorization_code') return refuse('grant_type must be authorization_code (refresh goes through the user pool endpoint)')
      const code = form.get('code') ?? ''
      const grant = grants.get(code)
      grants.delete(code)
      if (!grant || grant.expires < Date.now()) return refuse('unknown, used or expired code')
      if (form.get('client_id') !== grant.clientId) return refuse('client_id differs from the authorize request')
      if (form.get('redirect_uri') !== grant.redirectUri) return refuse('redirect_uri differs from the authorize request')
      const computed = Buffer.from(createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url'))
      const expected = Buffer.from(grant.challenge)
      if (computed.length !== expected.length || !timingSafeEqual(computed, expected)) return refuse('code_verifier does not match the code_challenge', false)
      opts.requests.push({ endpoint: 'token', status: 200, pkceVerified: true, username: grant.username })
      return sendJson(req, res, 200, { id_token: grant.tokens.idToken, access_token: grant.tokens.accessToken, refresh_token: grant.tokens.refreshToken, expires_in: grant.tokens.expiresIn, token_type: 'Bearer' }, { 'cache-control': 'no-store' })
    }
    if (req.method === 'GET' && url.pathname === '/logout') {
      const target = url.searchParams.get('logout_uri') ?? ''
      const reason = url.searchParams.get('client_id') !== opts.clientId()
        ? 'client_id is not the pool\'s app client'
        : opts.logoutUrls.includes(target) ? undefined : 'logout_uri is not one of the app client\'s logout URLs'
      opts.requests.push({ endpoint: 'logout', status: reason ? 400 : 302, ...(reason ? { reason } : {}) })
      if (reason) return page(res, 400, `<p data-testid="oauth-error">${escapeHtml(reason)}</p>`)
      res.writeHead(302, { 'location': target, 'cache-control': 'no-store' })
      return res.end()
    }
    sendJson(req, res, 404, { error: 'not_found' })
  }

  const server: Server = createServer({ key, cert }, (req, res) => {
    const origin = req.headers.origin
    // Its own login page posts with its own (https) origin; anyone else's must pass the policy.
    const refusal = requestRefusal(req.headers.host, origin === self.replace(/\/$/, '') ? undefined : origin, opts.policy)
    if (refusal) {
      res.writeHead(403, { 'content-type': 'text/plain' })
      return res.end(refusal)
    }
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(req, res, 500, { error: 'internal' })
      else res.destroy()
    })
  })
  const port = await listenOnFreePort(server, opts.host, 'the OAuth endpoints')
  self = `https://${urlHost(opts.host)}:${port}/`
  return {
    port,
    url: self.replace(/\/$/, ''),
    certificate: cert.toString('utf8'),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
