// B3 — identity-pool credentials on the server. One signed-in user, 100 SSR requests (10 in flight)
// of a page that makes an `iam` call; how many GetCredentialsForIdentity calls reach the identity
// pool (the backend's counter, before and after). The module (its SSR page, b3-iam.vue) against
// Amplify's per-request server context written by hand (the hand-written app's Nitro route
// /b3-iam, server/utils/amplify-server.ts). Each variant starts from a fresh sign-in (a new ID
// token, so the module's cache starts cold for it). Every response must show that user's identity.
import { field, runLoad, signInSession } from './ssr.mjs'

/** The module app's credentials cache counters, as its SSR renderer sees them (bench-stats.vue). */
export async function moduleCacheStats(app) {
  const html = await (await fetch(`${app.url}bench-stats`)).text()
  const json = field(html, 'stats')
  return json ? JSON.parse(json.replace(/&quot;/g, '"')) : null
}

async function loadVariant({ backend, app, page, user, requests, concurrency }) {
  const session = await signInSession(backend, user)
  const before = { getCredentials: backend.stats.getCredentials, getId: backend.stats.getId, refreshes: backend.stats.refreshes }
  const seen = { identityIds: new Set(), usernames: new Set(), roles: new Set() }
  const wrong = []
  const started = Date.now()
  await runLoad(requests, concurrency, async (i) => {
    const response = await fetch(app.url + page, { headers: { cookie: session.cookie } })
    const html = await response.text()
    const got = { status: response.status, username: field(html, 'username'), role: field(html, 'role'), identityId: field(html, 'identity'), verified: field(html, 'verified'), renderedOn: field(html, 'rendered-on'), viewer: field(html, 'viewer'), error: field(html, 'error') }
    seen.identityIds.add(got.identityId)
    seen.usernames.add(got.username)
    seen.roles.add(got.role)
    const ok = got.status === 200 && got.username === user.username && got.role === 'authenticated' && got.verified === 'true' && got.renderedOn === 'server'
      && (got.viewer === null || got.viewer === user.username)
    if (!ok) wrong.push({ request: i, ...got })
  })
  const ms = Date.now() - started
  return {
    requests,
    concurrency,
    getCredentials: backend.stats.getCredentials - before.getCredentials,
    getId: backend.stats.getId - before.getId,
    refreshes: backend.stats.refreshes - before.refreshes,
    ms,
    correct: requests - wrong.length,
    wrong: wrong.slice(0, 5),
    identityIds: [...seen.identityIds],
    usernames: [...seen.usernames],
    roles: [...seen.roles],
  }
}

export async function runB3({ backend, apps, user, requests, concurrency, log }) {
  const cacheBefore = await moduleCacheStats(apps.moduleSsr)
  const module = await loadVariant({ backend, app: apps.moduleSsr, page: 'b3-iam', user, requests, concurrency })
  const cacheAfter = await moduleCacheStats(apps.moduleSsr)
  module.cache = cacheBefore && cacheAfter ? { hits: cacheAfter.hits - cacheBefore.hits, misses: cacheAfter.misses - cacheBefore.misses, size: cacheAfter.size } : null
  log(`B3: module ${module.getCredentials} GetCredentialsForIdentity for ${requests} requests (${module.correct}/${requests} correct)`)
  const handwritten = await loadVariant({ backend, app: apps.handwritten, page: 'b3-iam', user, requests, concurrency })
  log(`B3: hand-written ${handwritten.getCredentials} GetCredentialsForIdentity for ${requests} requests (${handwritten.correct}/${requests} correct)`)
  // One user: one identity id in every response of both apps, and nobody else's name.
  const identityIds = new Set([...module.identityIds, ...handwritten.identityIds])
  const leaks = (requests - module.correct) + (requests - handwritten.correct) + (identityIds.size === 1 ? 0 : 1)
  return { user: user.username, requests, concurrency, module, handwritten, identityIds: [...identityIds], leaks }
}

/** Cookie header after applying a response's Set-Cookie, as a browser keeps them. */
function keepSetCookies(cookie, response) {
  const jar = new Map(cookie.split('; ').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=')
    return [pair.slice(0, at), pair.slice(at + 1)]
  }))
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';')
    const at = pair.indexOf('=')
    const value = pair.slice(at + 1)
    if (value === '' || /max-age=0\b/i.test(line)) jar.delete(pair.slice(0, at))
    else jar.set(pair.slice(0, at), value)
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
}

/**
 * Context for B3: cookies whose tokens are past the refresh point. The server refreshes them for
 * the request (a new ID token), so the cache, keyed by the ID token, cannot help a request whose
 * cookies are stale: (a) `concurrent` requests at once with the same stale cookies (what a browser
 * sends before the first answer's Set-Cookie arrives); (b) `sequential` requests, keeping each
 * answer's Set-Cookie as a browser does. A backend with tokens valid `tokenSeconds`.
 */
export async function runB3Stale({ startLocalBackend, serve, tokenSeconds = 6, concurrent = 10, sequential = 20, log }) {
  const backend = await startLocalBackend({ tokenValidity: { idToken: tokenSeconds, accessToken: tokenSeconds } })
  try {
    const apps = { module: await serve('moduleSsr', backend), handwritten: await serve('handwritten', backend) }
    const user = backend.users[0]
    const out = {}
    try {
      // One session per app, then one wait: the apps refresh from exp − min(60 s, lifetime / 4).
      const sessions = { module: await signInSession(backend, user), handwritten: await signInSession(backend, user) }
      const refreshAt = Math.max(...Object.values(sessions).map((session) => {
        const { exp, iat } = JSON.parse(Buffer.from(session.idToken.split('.')[1], 'base64url').toString())
        return exp * 1000 - Math.min(60_000, ((exp - iat) * 1000) / 4)
      }))
      await new Promise(resolve => setTimeout(resolve, Math.max(0, refreshAt - Date.now() + 300)))
      for (const [name, app] of Object.entries(apps)) {
        const session = sessions[name]
        const counters = () => ({ refreshes: backend.stats.refreshes, getCredentials: backend.stats.getCredentials })
        const since = before => ({ refreshes: backend.stats.refreshes - before.refreshes, getCredentials: backend.stats.getCredentials - before.getCredentials })
        let wrong = 0
        const check = async (response) => {
          const html = await response.text()
          if (response.status !== 200 || field(html, 'username') !== user.username || field(html, 'role') !== 'authenticated') wrong++
        }
        let before = counters()
        await Promise.all(Array.from({ length: concurrent }, async () => check(await fetch(app.url + 'b3-iam', { headers: { cookie: session.cookie } }))))
        const parallel = since(before)
        before = counters()
        let cookie = session.cookie
        for (let i = 0; i < sequential; i++) {
          const response = await fetch(app.url + 'b3-iam', { headers: { cookie } })
          cookie = keepSetCookies(cookie, response)
          await check(response)
        }
        out[name] = { concurrent: { requests: concurrent, ...parallel }, sequentialKeepingCookies: { requests: sequential, ...since(before) }, wrong }
      }
    }
    finally {
      await apps.module.stop()
      await apps.handwritten.stop()
    }
    log(`B3 stale cookies: module ${JSON.stringify(out.module)}, hand-written ${JSON.stringify(out.handwritten)}`)
    return { tokenSeconds, ...out }
  }
  finally {
    await backend.stop()
  }
}
