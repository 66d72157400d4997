// B6 — server memory under many sessions. A fresh server of the module's SSR app, against its own
// local backend seeded with `identities` users, each signed in once (one session, one ID token
// each: what the module's credentials cache keys on). SSR requests of the `iam` page (b3-iam.vue)
// go round-robin over the sessions (request i is session i mod N), 10 in flight; the server's
// resident set (VmRSS from /proc/<pid>/status) is read after the first 100 requests and after every
// `checkpoint`, the load paused while reading. Every response must show its own session's user.
// Context (control): the same requests, on another fresh server of the same app, to the page that
// fetches with `$fetch` (b5-fetch.vue: no `iam` call, no credentials, nothing cached per session),
// to tell what the module's per-session state costs from what Node and Nuxt grow to under load.
import { moduleCacheStats } from './b3-server-credentials.mjs'
import { field, residentBytes, runLoad, signInMany } from './ssr.mjs'
import { round, sleep } from './util.mjs'

const MB = 1e6

/** One fresh server, `requests` requests of `page` round-robin over `sessions`; memory at checkpoints. */
async function loadServer({ backend, serve, sessions, page, requests, early, checkpoint, concurrency, label, log }) {
  const server = await serve('moduleSsr', backend, {}, { nodeArgs: ['--expose-gc'] })
  try {
    const credentialsBefore = backend.stats.getCredentials
    const wrong = []
    const points = []
    let sent = 0
    const measure = async () => {
      await sleep(300) // let the last responses finish on the server
      const rss = residentBytes(server.pid)
      const memory = await (await fetch(`${server.url}_bench/memory?gc=1`)).json()
      const cache = await moduleCacheStats(server)
      points.push({
        requests: sent,
        rssBytes: rss,
        heapUsedAfterGcBytes: memory.heapUsed,
        heapTotalAfterGcBytes: memory.heapTotal,
        externalBytes: memory.external,
        rssAfterGcBytes: memory.rss,
        cacheSize: cache?.size ?? null,
        credentialFetches: backend.stats.getCredentials - credentialsBefore,
      })
    }
    const segment = async (count) => {
      const offset = sent
      await runLoad(count, concurrency, async (j) => {
        const i = offset + j
        const session = sessions[i % sessions.length]
        const response = await fetch(server.url + page, { headers: { cookie: session.cookie } })
        const html = await response.text()
        const got = { status: response.status, username: field(html, 'username'), verified: field(html, 'verified'), viewer: field(html, 'viewer'), role: field(html, 'role') }
        const ok = got.status === 200 && got.username === session.username && got.verified === 'true'
          && (page !== 'b3-iam' || (got.viewer === session.username && got.role === 'authenticated'))
        if (!ok) wrong.push({ request: i, expected: session.username, ...got, error: field(html, 'error') })
      })
      sent += count
      backend.clearRequests()
    }
    const started = Date.now()
    await segment(Math.min(early, requests))
    await measure()
    while (sent < requests) {
      await segment(Math.min(checkpoint - (sent % checkpoint), requests - sent))
      await measure()
      const last = points.at(-1)
      if (sent === requests || sent % (checkpoint * 5) === 0)
        log(`B6 ${label}: after ${sent} requests RSS ${(last.rssBytes / MB).toFixed(1)} MB, heap after GC ${(last.heapUsedAfterGcBytes / MB).toFixed(1)} MB, cache ${last.cacheSize} entries (${((Date.now() - started) / 1000).toFixed(0)} s)`)
    }
    const first = points[0]
    const last = points.at(-1)
    return {
      page,
      early: first,
      final: last,
      rssGrowthBytes: last.rssBytes - first.rssBytes,
      heapGrowthAfterGcBytes: last.heapUsedAfterGcBytes - first.heapUsedAfterGcBytes,
      correct: requests - wrong.length,
      wrong: wrong.slice(0, 5),
      credentialFetches: last.credentialFetches,
      seconds: round((Date.now() - started) / 1000, 1),
      points,
    }
  }
  finally {
    await server.stop()
  }
}

export async function runB6({ startLocalBackend, serve, identities, requests, early, checkpoint, concurrency, marginBytes, log }) {
  const timings = {}
  let started = Date.now()
  const users = Array.from({ length: identities }, (_, i) => ({ username: `b6user${String(i).padStart(4, '0')}`, password: `B6-bench-${i}-Pw!` }))
  const backend = await startLocalBackend({ users })
  try {
    timings.seedSeconds = round((Date.now() - started) / 1000, 1)
    started = Date.now()
    const sessions = await signInMany(backend, users, { concurrency: 8 })
    timings.signInSeconds = round((Date.now() - started) / 1000, 1)
    log(`B6: ${identities} users seeded in ${timings.seedSeconds} s, signed in in ${timings.signInSeconds} s`)
    const common = { backend, serve, sessions, requests, early, checkpoint, concurrency, log }
    const module = await loadServer({ ...common, page: 'b3-iam', label: '$restApi iam page' })
    const control = await loadServer({ ...common, page: 'b5-fetch', label: 'control, $fetch page' })
    return {
      identities,
      sessionsPerUser: 1,
      requests,
      concurrency,
      marginBytes,
      // The bench's result is the module's iam page; the control is context.
      ...module,
      control,
      timings,
    }
  }
  finally {
    await backend.stop()
  }
}
