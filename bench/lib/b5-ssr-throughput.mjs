// B5 — SSR throughput. Requests per second (autocannon on loopback, in its own process, fixed
// duration and connections) for two pages of the same app that render a userPool echo fetched on
// the server: through `$restApi` (b5-restapi.vue) and with `$fetch` plus the raw ID token read
// from the request's cookie (b5-fetch.vue). Same signed-in cookies for both. Rounds alternate
// (A B, B A, A B, …) after warm-up runs of each; the result is the median over rounds.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { field, signInSession } from './ssr.mjs'
import { median, quartiles, round } from './util.mjs'

const LOAD_CHILD = fileURLToPath(new URL('./load-child.mjs', import.meta.url))

export const B5_PAGES = { module: 'b5-restapi', fetch: 'b5-fetch' }

/** One autocannon run in a child process (async: the backend in this process must keep answering). */
export function autocannonRun(options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD_CHILD, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr = (stderr + chunk).slice(-4000)))
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${stderr}`))
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)))
      }
      catch {
        reject(new Error(`autocannon printed no result: ${stdout.slice(0, 500)} ${stderr}`))
      }
    })
  })
}

/** A few plain requests: 200, verified, the signed-in user's name, an ID token. */
async function sample(app, page, session, n = 3) {
  for (let i = 0; i < n; i++) {
    const response = await fetch(app.url + page, { headers: { cookie: session.cookie } })
    const html = await response.text()
    const got = { status: response.status, verified: field(html, 'verified'), username: field(html, 'username'), tokenUse: field(html, 'token-use'), error: field(html, 'error') }
    if (got.status !== 200 || got.verified !== 'true' || got.username !== session.username || got.tokenUse !== 'id')
      throw new Error(`B5 ${page}: a sampled response is not the verified page of ${session.username}: ${JSON.stringify(got)}`)
  }
  return n
}

export async function runB5({ backend, app, user, seconds, warmupSeconds, warmupPasses, rounds, connections, log }) {
  const session = await signInSession(backend, user)
  const refreshesBefore = backend.stats.refreshes
  const run = async (variant, duration) => {
    backend.clearRequests()
    const result = await autocannonRun({ url: app.url + B5_PAGES[variant], connections, duration, headers: { cookie: session.cookie } })
    if (result.non2xx || result.errors || result.timeouts || !result.requestsTotal)
      throw new Error(`B5 ${variant}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requestsTotal} requests`)
    return result
  }
  let sampled = 0
  for (const variant of ['module', 'fetch']) sampled += await sample(app, B5_PAGES[variant], session)
  // Warm-up: the server's JIT and heap settle over the first few thousand requests.
  for (let pass = 0; pass < warmupPasses; pass++) {
    for (const variant of ['module', 'fetch']) await run(variant, warmupSeconds)
  }
  const runs = { module: [], fetch: [] }
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['module', 'fetch'] : ['fetch', 'module']
    for (const variant of order) {
      runs[variant].push(await run(variant, seconds))
      sampled += await sample(app, B5_PAGES[variant], session)
    }
    log(`B5: round ${r + 1}/${rounds}: $restApi ${runs.module.at(-1).requestsPerSecond} req/s, $fetch ${runs.fetch.at(-1).requestsPerSecond} req/s`)
  }
  backend.clearRequests()
  const rps = variant => runs[variant].map(result => result.requestsPerSecond)
  const summary = (variant) => {
    const values = rps(variant)
    const { q1, q3 } = quartiles(values)
    return {
      medianRps: round(median(values), 1),
      q1Rps: round(q1, 1),
      q3Rps: round(q3, 1),
      roundsRps: values,
      medianLatencyP50Ms: median(runs[variant].map(result => result.latencyMs.p50)),
      medianLatencyP99Ms: median(runs[variant].map(result => result.latencyMs.p99)),
      requests: runs[variant].reduce((sum, result) => sum + result.requestsTotal, 0),
      runs: runs[variant],
    }
  }
  const paired = rps('module').map((value, i) => value / rps('fetch')[i])
  return {
    seconds,
    warmupSeconds,
    warmupPasses,
    rounds,
    connections,
    pages: B5_PAGES,
    module: summary('module'),
    fetch: summary('fetch'),
    ratio: round(median(rps('module')) / median(rps('fetch')), 3),
    paired: { median: round(median(paired), 3), values: paired.map(v => round(v, 3)) },
    sampledResponses: sampled,
    refreshes: backend.stats.refreshes - refreshesBefore,
  }
}
