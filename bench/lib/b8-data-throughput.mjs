// B8 — useRestApiData's cost during SSR. Requests per second (autocannon in its own process, as
// B5) for two pages of the same app rendering the same userPool echo: through useRestApiData
// (b8-data.vue) and through hand-written useAsyncData + $restApi (b8-asyncdata.vue). Same
// signed-in cookies for both; rounds alternate (A B, B A, …) after warm-up; median over rounds.
import { autocannonRun } from './b5-ssr-throughput.mjs'
import { field, signInSession } from './ssr.mjs'
import { median, round } from './util.mjs'

export const B8_PAGES = { data: 'b8-data', asyncData: 'b8-asyncdata' }

/** A few plain requests: 200, verified, the signed-in user's name. */
async function sample(app, page, session, n = 3) {
  for (let i = 0; i < n; i++) {
    const response = await fetch(app.url + page, { headers: { cookie: session.cookie } })
    const html = await response.text()
    const got = { status: response.status, verified: field(html, 'verified'), username: field(html, 'username'), error: field(html, 'error') }
    if (got.status !== 200 || got.verified !== 'true' || got.username !== session.username)
      throw new Error(`B8 ${page}: a sampled response is not the verified page of ${session.username}: ${JSON.stringify(got)}`)
  }
  return n
}

export async function runB8({ backend, app, user, seconds, warmupSeconds, warmupPasses, rounds, connections, log }) {
  const session = await signInSession(backend, user)
  const variants = Object.keys(B8_PAGES)
  const run = async (variant, duration) => {
    backend.clearRequests()
    const result = await autocannonRun({ url: app.url + B8_PAGES[variant], connections, duration, headers: { cookie: session.cookie } })
    if (result.non2xx || result.errors || result.timeouts || !result.requestsTotal)
      throw new Error(`B8 ${variant}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requestsTotal} requests`)
    return result
  }
  let sampled = 0
  for (const variant of variants) sampled += await sample(app, B8_PAGES[variant], session)
  for (let pass = 0; pass < warmupPasses; pass++) {
    for (const variant of variants) await run(variant, warmupSeconds)
  }
  const runs = { data: [], asyncData: [] }
  for (let r = 0; r < rounds; r++) {
    for (const variant of r % 2 === 0 ? variants : [...variants].reverse()) {
      runs[variant].push(await run(variant, seconds))
      sampled += await sample(app, B8_PAGES[variant], session)
    }
    log(`B8: round ${r + 1}/${rounds}: useRestApiData ${runs.data.at(-1).requestsPerSecond} req/s, useAsyncData + $restApi ${runs.asyncData.at(-1).requestsPerSecond} req/s`)
  }
  backend.clearRequests()
  const rps = variant => runs[variant].map(result => result.requestsPerSecond)
  const summary = variant => ({
    medianRps: round(median(rps(variant)), 1),
    roundsRps: rps(variant),
    medianLatencyP50Ms: median(runs[variant].map(result => result.latencyMs.p50)),
    requests: runs[variant].reduce((sum, result) => sum + result.requestsTotal, 0),
  })
  const paired = rps('data').map((value, i) => value / rps('asyncData')[i])
  return {
    seconds, warmupSeconds, warmupPasses, rounds, connections,
    pages: B8_PAGES,
    data: summary('data'),
    asyncData: summary('asyncData'),
    ratio: round(median(rps('data')) / median(rps('asyncData')), 3),
    paired: { median: round(median(paired), 3), values: paired.map(v => round(v, 3)) },
    sampledResponses: sampled,
  }
}
