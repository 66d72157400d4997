// Shared by the server-side benches (B3, B5, B6): signed-in sessions as cookies, HTML fields, a
// small load loop, and a server's resident memory.
import { readFileSync } from 'node:fs'

const TARGET = 'AWSCognitoIdentityProviderService'

/**
 * Signs `user` in with USER_PASSWORD_AUTH at the app's user pool endpoint (the InitiateAuth call
 * Amplify's `signIn` makes for this flow) and returns the Cookie header the browser's Amplify would
 * send afterwards: Amplify's cookie names, `CognitoIdentityServiceProvider.<clientId>.<username>.*`
 * and `…<clientId>.LastAuthUser`. Every sign-in is a new session with its own ID token.
 */
export async function signInSession(backend, user) {
  const { userPoolEndpoint, userPoolClientId } = backend.amplify.auth
  const response = await fetch(userPoolEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.InitiateAuth` },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: userPoolClientId, AuthParameters: { USERNAME: user.username, PASSWORD: user.password } }),
    signal: AbortSignal.timeout(15_000),
  })
  const body = await response.json().catch(() => ({}))
  const result = body.AuthenticationResult
  if (!response.ok || !result?.IdToken) throw new Error(`sign-in of ${user.username} failed (${response.status}): ${body.__type ?? ''} ${body.message ?? ''}`)
  const access = JSON.parse(Buffer.from(result.AccessToken.split('.')[1], 'base64url').toString())
  const username = access.username ?? user.username
  const prefix = `CognitoIdentityServiceProvider.${userPoolClientId}`
  const cookies = {
    [`${prefix}.${username}.idToken`]: result.IdToken,
    [`${prefix}.${username}.accessToken`]: result.AccessToken,
    [`${prefix}.${username}.refreshToken`]: result.RefreshToken,
    [`${prefix}.${username}.clockDrift`]: '0',
    [`${prefix}.LastAuthUser`]: username,
  }
  return {
    username,
    idToken: result.IdToken,
    cookie: Object.entries(cookies).map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('; '),
  }
}

/** Signs each user in `sessionsPerUser` times, `concurrency` at a time; sessions in user order. */
export async function signInMany(backend, users, { sessionsPerUser = 1, concurrency = 8 } = {}) {
  const jobs = users.flatMap(user => Array.from({ length: sessionsPerUser }, () => user))
  const sessions = Array.from({ length: jobs.length })
  let next = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++
      sessions[i] = await signInSession(backend, jobs[i])
    }
  }))
  return sessions
}

/** The text of the element with `data-testid="<testId>"` (the pages render one value per element). */
export function field(html, testId) {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)
  return match ? match[1].trim() : null
}

/**
 * Runs `total` requests, `concurrency` in flight; `request(i)` makes request i. Resolves when all
 * are done; calls `onProgress(done)` after each. Stops at the first error thrown by `request`.
 */
export async function runLoad(total, concurrency, request, onProgress = () => {}) {
  let next = 0
  let done = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) {
      const i = next++
      await request(i)
      onProgress(++done)
    }
  }))
}

/** VmRSS (bytes) of a process, from /proc (Linux). */
export function residentBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`)
  return Number(kb[1]) * 1024
}
