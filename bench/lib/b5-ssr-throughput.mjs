// B5 — SSR throughput. Requests per second (autocannon on loopback, in its own process, fixed
// duration and connections) of three pages that render a userPool echo fetched on the server, same
// signed-in cookies for all:
// - module: `$restApi` in the module's SSR app (bench/fixtures/module-ssr, b5-restapi.vue);
// - handwritten (the baseline): an app WITHOUT the module doing the same call with Amplify's
//   adapter-core as Amplify's Nuxt guide shows (bench/fixtures/handwritten-ssr, b5-handwritten.vue);
// - fetch (context): `$fetch` plus the raw ID token read from the cookie, in the module's app (so the
//   module's server plugin runs on this side too).
// Rounds rotate the order of the pages after warm-up runs of each; results are medians over rounds,
// plus the within-round ratios ("paired") with a 95 % confidence interval (Student's t over rounds).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { field, signInSession } from './ssr.mjs'
import { median, quartiles, round } from './util.mjs'

const LOAD_CHILD = fileURLToPath(new URL('./load-child.mjs', import.meta.url))

export const B5_PAGES = { module: 'b5-restapi', handwritten: 'b5-handwritten', fetch: 'b5-fetch' }
const VARIANTS = Object.keys(B5_PAGES)

// Two-sided 95 % Student's t quantiles by degrees of freedom (1–12); beyond, the normal 1.96.
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179]

/** Mean of `values` with a 95 % confidence interval (null bounds for fewer than 2 values). */
export function meanInterval(values) {
  const n = values.length
  const mean = values.reduce((sum, v) => sum + v, 0) / n
  if (n < 2) return { mean: round(mean, 3), low: null, high: null, n }
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1))
  const half = (T95[n - 2] ?? 1.96) * sd / Math.sqrt(n)
  return { mean: round(mean, 3), low: round(mean - half, 3), high: round(mean + half, 3), n }
}

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

/** `apps`: { module, handwritten, fetch } → the served app each page is requested from. */
export async function runB5({ backend, apps, user, seconds, warmupSeconds, warmupPasses, rounds, connections, log }) {
  const session = await signInSession(backend, user)
  const refreshesBefore = backend.stats.refreshes
  const run = async (variant, duration) => {
    backend.clearRequests()
    const result = await autocannonRun({ url: apps[variant].url + B5_PAGES[variant], connections, duration, headers: { cookie: session.cookie } })
    if (result.non2xx || result.errors || result.timeouts || !result.requestsTotal)
      throw new Error(`B5 ${variant}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requestsTotal} requests`)
    return result
  }
  let sampled = 0
  for (const variant of VARIANTS) sampled += await sample(apps[variant], B5_PAGES[variant], session)
  // Warm-up: the server's JIT and heap settle over the first few thousand requests.
  for (let pass = 0; pass < warmupPasses; pass++) {
    for (const variant of VARIANTS) await run(variant, warmupSeconds)
  }
  const runs = Object.fromEntries(VARIANTS.map(variant => [variant, []]))
  for (let r = 0; r < rounds; r++) {
    // Each page takes each position in turn (rotation), so drift over time spreads evenly.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length])
    for (const variant of order) {
      runs[variant].push(await run(variant, seconds))
      sampled += await sample(apps[variant], B5_PAGES[variant], session)
    }
    log(`B5: round ${r + 1}/${rounds}: ${VARIANTS.map(v => `${v} ${runs[v].at(-1).requestsPerSecond} req/s`).join(', ')}`)
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
  const pairedWith = baseline => rps('module').map((value, i) => value / rps(baseline)[i])
  const paired = pairedWith('handwritten')
  const pairedFetch = pairedWith('fetch')
  return {
    seconds,
    warmupSeconds,
    warmupPasses,
    rounds,
    connections,
    pages: B5_PAGES,
    module: summary('module'),
    handwritten: summary('handwritten'),
    fetch: summary('fetch'),
    // The judged ratio: module against the hand-written adapter-core app.
    ratio: round(median(rps('module')) / median(rps('handwritten')), 3),
    paired: { median: round(median(paired), 3), ci95: meanInterval(paired), values: paired.map(v => round(v, 3)) },
    // Context: module against `$fetch` in its own app.
    fetchRatio: round(median(rps('module')) / median(rps('fetch')), 3),
    pairedFetch: { median: round(median(pairedFetch), 3), ci95: meanInterval(pairedFetch), values: pairedFetch.map(v => round(v, 3)) },
    sampledResponses: sampled,
    refreshes: backend.stats.refreshes - refreshesBefore,
  }
}
