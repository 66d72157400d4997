// `npm run bench`: benchmarks of nuxt-amplify-rest against the same work written by hand with
// Amplify, run side by side in one script (rounds interleaved, medians), against the offline local
// backend: in a real Chromium (B1, B2, B4) and on the server, SSR (B3, B5, B6); B9 times Lambda cold
// starts with and without the module. Prints a table and
// writes bench/results.json.
// See bench/README.md for what each bench measures and the flags.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadavg } from 'node:os'
import { createJiti } from 'jiti'
import { buildFixture, serveFixture, startFramePage } from './lib/apps.mjs'
import { B1_MODES, runB1 } from './lib/b1-call-overhead.mjs'
import { runB2 } from './lib/b2-refresh-storm.mjs'
import { runB4 } from './lib/b4-bundle.mjs'
import { runB3, runB3Stale } from './lib/b3-server-credentials.mjs'
import { runB5 } from './lib/b5-ssr-throughput.mjs'
import { runB6 } from './lib/b6-memory.mjs'
import { runB7 } from './lib/b7-session-proxy.mjs'
import { runB8 } from './lib/b8-data-throughput.mjs'
import { runB9 } from './lib/b9-cold-start.mjs'
import { signInSession } from './lib/ssr.mjs'
import { machineInfo, round } from './lib/util.mjs'
import { writeReadmeTable } from './readme-table.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    rebuild: { type: 'boolean', default: false },
    only: { type: 'string' },
    calls: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    identities: { type: 'string' },
    requests: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (args.help) {
  console.log(`node bench/run.mjs [--quick] [--rebuild] [--only B1,B2,B3,B4,B5,B6,B7,B8,B9] [--calls N] [--rounds R] [--seconds S] [--identities N] [--requests N] [--out file]
  --quick       tiny sizes (BENCH_QUICK=1 too); results go to bench/.work/results.quick.json
  --rebuild     rebuild the fixture apps even if their inputs did not change
  --only        run only these benches (default all: B1,B2,B3,B4,B5,B6,B7,B8,B9)
  --calls       B1 calls per variant and mode (default 2000, quick 60)
  --rounds      B1 rounds (default 100, quick 6), B7 (20, quick 4), B9 cold starts per app (20, quick 4); B2 rounds are 3 (quick 1); B5 has 5 rounds per page (quick 1)
  --seconds     B5 seconds per round (default 10, quick 3)
  --identities  B6 signed-in users, one session each (default 1200, more than the credentials cache's 1000 entries, so eviction runs; quick 20)
  --requests    B6 SSR requests in all (default 10000, quick 200)`)
  process.exit(0)
}

const quick = args.quick
const positiveInt = (value, fallback, name) => {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number >= 1 (got ${value})`)
  return n
}
const config = {
  quick,
  b1: { calls: positiveInt(args.calls, quick ? 60 : 2000, 'calls'), rounds: positiveInt(args.rounds, quick ? 6 : 100, 'rounds'), warmup: quick ? 10 : 100, target: { cookies: 0.9, localStorage: 1.0 } },
  b2: { storm: 100, rounds: quick ? 1 : 3, tokenSeconds: 8, target: 1 },
  b4: { targetBytes: 2000 },
  b3: { requests: 100, concurrency: 10, target: 1 },
  b5: { seconds: positiveInt(args.seconds, quick ? 3 : 10, 'seconds'), warmupSeconds: quick ? 2 : 4, warmupPasses: quick ? 1 : 2, rounds: quick ? 1 : 5, connections: 10, target: 0.8 },
  // B6 is judged against its control (same requests to a page that keeps nothing per session): the
  // module's growth may exceed the control's by at most `marginBytes`. Node's own warm-up is in both.
  // B7: proxied (`session: 'server'`) vs direct per-call latency of the same $restApi.get.
  b7: { calls: positiveInt(args.calls, quick ? 30 : 200, 'calls'), rounds: positiveInt(args.rounds, quick ? 4 : 20, 'rounds'), warmup: quick ? 10 : 50, target: 1.5 },
  // B8 runs with B5's sizes (seconds, rounds, connections).
  b8: { target: 0.95 },
  // B9: fresh processes per app, rounds alternating (ABBA); the ratio is reported, no target.
  b9: { rounds: positiveInt(args.rounds, quick ? 4 : 20, 'rounds') },
  b6: { identities: positiveInt(args.identities, quick ? 20 : 1200, 'identities'), requests: positiveInt(args.requests, quick ? 200 : 12_000, 'requests'), early: 100, checkpoint: quick ? 100 : 1000, concurrency: 10, marginBytes: 32e6 },
}
const ALL = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9']
const selected = new Set((args.only ?? ALL.join(',')).split(',').map(s => s.trim().toUpperCase()).filter(Boolean))
for (const id of selected) {
  if (!ALL.includes(id)) throw new Error(`--only: unknown bench ${id} (known: ${ALL.join(', ')})`)
}
const inBrowser = ['B1', 'B2', 'B4'].some(id => selected.has(id))
const outFile = args.out ? join(process.cwd(), args.out) : join(root, quick ? 'bench/.work/results.quick.json' : 'bench/results.json')

const started = Date.now()
const log = message => console.log(`[bench +${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`)

// Everything started is stopped, in reverse order, also on Ctrl-C.
const cleanups = []
let cleaning
async function cleanup() {
  cleaning ??= (async () => {
    for (const stop of cleanups.reverse()) {
      try {
        await stop()
      }
      catch (error) {
        console.error(`[bench] cleanup: ${error.message}`)
      }
    }
  })()
  return cleaning
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`[bench] ${signal}: stopping servers and browser`)
    cleanup().finally(() => process.exit(130))
  })
}

const machine = machineInfo(root)
const rows = []
const results = { startedAt: new Date().toISOString(), quick, config, machine, benches: {} }

function fmtMs(value) {
  return value === null || value === undefined ? '—' : `${value.toFixed(3)} ms`
}
function fmtMb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`
}
function fmtKb(bytes) {
  return `${(bytes / 1000).toFixed(2)} kB`
}
function errorRow(bench, error) {
  const message = String(error?.message ?? error).split('\n')[0]
  rows.push({ bench, candidate: 'error', baseline: '', ratio: '', target: '', result: 'ERROR' })
  results.benches[bench] = { result: 'ERROR', error: String(error?.stack ?? error) }
  console.error(`[bench] ${bench} failed: ${error?.stack ?? error}`)
  return message
}

async function main() {
  log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}; ${quick ? 'QUICK sizes' : 'full sizes'}`)
  const jiti = createJiti(import.meta.url)
  const { startLocalBackend } = await jiti.import(join(root, 'src/local/index.ts'))
  const { launchBrowser } = await jiti.import(join(root, 'test/utils/browser.ts'))

  // The fixture apps are built from the working tree (module: src/ as it is now); only those the
  // selected benches use.
  const needed = new Set()
  if (inBrowser) needed.add('module').add('handwritten')
  if (selected.has('B4')) needed.add('handwrittenPinia')
  if (selected.has('B3')) needed.add('moduleSsr').add('handwritten')
  if (selected.has('B5') || selected.has('B6') || selected.has('B8')) needed.add('moduleSsr')
  if (selected.has('B5')) needed.add('handwrittenSsr')
  if (selected.has('B7')) needed.add('module').add('moduleServerSession')
  if (selected.has('B9')) needed.add('coldModule').add('coldPlain')
  const dirs = {}
  const builds = {}
  let buildError
  for (const name of ['module', 'handwritten', 'handwrittenPinia', 'moduleSsr', 'handwrittenSsr', 'moduleServerSession', 'coldPlain', 'coldModule'].filter(name => needed.has(name))) {
    try {
      builds[name] = await buildFixture(root, name, { force: args.rebuild, log })
      dirs[name] = builds[name].dir
    }
    catch (error) {
      buildError ??= error
      log(`${name}: build failed`)
    }
  }
  // Paths relative to the repository: results.json holds nothing of the machine's file system.
  results.builds = Object.fromEntries(Object.entries(builds).map(([name, build]) => [name, { ...build, dir: relative(root, build.dir) }]))
  if (buildError) throw buildError

  // B9 first, before the local backend runs (it needs none): only Node processes starting.
  if (selected.has('B9')) {
    const { rounds } = config.b9
    log(`B9: Lambda cold start, ${rounds} fresh processes per app (with / without the module), alternating …`)
    try {
      const b9 = await runB9({ dirs: { module: dirs.coldModule, plain: dirs.coldPlain }, rounds, log })
      const ok = b9.checks.failures.length === 0
      results.benches.B9 = { result: ok ? 'PASS' : 'MISS', target: 'every first answer a 200 with the page (check); the ratio is reported, no target', loadAverageBefore: machine.loadAverage, loadAverageAfter: loadavg().map(value => round(value, 2)), ...b9 }
      const q = ({ median: m, q1, q3 }) => `${m.toFixed(0)} ms (${q1.toFixed(0)}–${q3.toFixed(0)})`
      rows.push({ bench: `B9 Lambda cold start (aws-lambda preset): process start → first answer of a page, API Gateway v2 event, with vs without the module (median, quartiles, ${rounds} fresh processes each)`, candidate: q(b9.module.firstAnswerMs), baseline: q(b9.plain.firstAnswerMs), ratio: `${b9.ratio.toFixed(3)}× (paired ${b9.paired.median.toFixed(3)}×, +${b9.extraMs} ms)`, target: 'reported', result: '—' })
      rows.push({ bench: 'B9 · handler import only (context)', candidate: q(b9.module.importMs), baseline: q(b9.plain.importMs), ratio: `${b9.importRatio.toFixed(3)}×`, target: 'context', result: '—' })
      rows.push({ bench: 'B9 · first invocation after import / second (warm) invocation (context)', candidate: `${b9.module.firstInvocationMs.median.toFixed(1)} / ${b9.module.secondInvocationMs.median.toFixed(1)} ms`, baseline: `${b9.plain.firstInvocationMs.median.toFixed(1)} / ${b9.plain.secondInvocationMs.median.toFixed(1)} ms`, ratio: '—', target: 'context', result: '—' })
      rows.push({ bench: 'B9 · process CPU time (all threads) until the first answer (context)', candidate: q(b9.module.cpuMs), baseline: q(b9.plain.cpuMs), ratio: `${(b9.module.cpuMs.median / b9.plain.cpuMs.median).toFixed(3)}×`, target: 'context', result: '—' })
      rows.push({ bench: 'B9 · first answers 200 with the page, with / without the module (check)', candidate: `${b9.checks.starts / 2 - b9.checks.failures.filter(f => f.startsWith('module')).length}/${b9.checks.starts / 2}`, baseline: `${b9.checks.starts / 2 - b9.checks.failures.filter(f => f.startsWith('plain')).length}/${b9.checks.starts / 2}`, ratio: '—', target: 'all', result: ok ? 'PASS' : 'MISS' })
    }
    catch (error) {
      errorRow('B9', error)
    }
    if (![...selected].some(id => id !== 'B9')) return
  }

  log('starting the local backend …')
  const backend = await startLocalBackend()
  cleanups.push(() => backend.stop())
  const credentials = { username: backend.users[0].username, password: backend.users[0].password }
  // Each server is registered for cleanup as soon as it runs.
  const serve = async (name, on, env, options) => {
    const server = await serveFixture(root, name, on, env, options)
    cleanups.push(() => server.stop())
    return server
  }
  const apps = {}
  let framePage
  let browser
  if (inBrowser) {
    apps.module = await serve('module', backend)
    apps.handwritten = await serve('handwritten', backend)
    framePage = await startFramePage()
    cleanups.push(() => framePage.stop())
    browser = await launchBrowser()
    cleanups.push(() => browser.close())
    machine.chromium = browser.version()
    log(`apps: module ${apps.module.url}, hand-written ${apps.handwritten.url}; Chromium ${machine.chromium}`)
  }

  if (selected.has('B4')) {
    log('B4: client bundle …')
    try {
      const handwrittenPinia = await serve('handwrittenPinia', backend)
      const b4 = await runB4({ browser, backend, apps: { ...apps, handwrittenPinia }, dirs, user: credentials, targetBytes: config.b4.targetBytes })
      const pass = b4.usedDiff <= config.b4.targetBytes
      results.benches.B4 = { result: pass ? 'PASS' : 'MISS', ...b4 }
      rows.push({ bench: 'B4 client JS used (load, sign-in, get/post/del, sign-out), gzip, vs hand-written + Pinia auth store', candidate: fmtKb(b4.module.used.gzip), baseline: fmtKb(b4.handwrittenPinia.used.gzip), ratio: `${b4.usedDiff >= 0 ? '+' : ''}${fmtKb(b4.usedDiff)}`, target: '≤ +2.00 kB', result: pass ? 'PASS' : 'MISS' })
      rows.push({ bench: 'B4 · initial JS until idle, gzip (context)', candidate: fmtKb(b4.module.initial.gzip), baseline: fmtKb(b4.handwrittenPinia.initial.gzip), ratio: `${b4.initialDiff >= 0 ? '+' : ''}${fmtKb(b4.initialDiff)}`, target: 'context', result: '—' })
      rows.push({ bench: 'B4 · module vs hand-written without Pinia, JS used, gzip (context)', candidate: fmtKb(b4.module.used.gzip), baseline: fmtKb(b4.handwritten.used.gzip), ratio: `${b4.noPiniaDiff >= 0 ? '+' : ''}${fmtKb(b4.noPiniaDiff)}`, target: 'context', result: '—' })
      rows.push({ bench: 'B4 · hand-written + @pinia/nuxt + store vs without, JS used, gzip (context)', candidate: fmtKb(b4.handwrittenPinia.used.gzip), baseline: fmtKb(b4.handwritten.used.gzip), ratio: `${b4.piniaStoreDiff >= 0 ? '+' : ''}${fmtKb(b4.piniaStoreDiff)}`, target: 'context', result: '—' })
      rows.push({ bench: 'B4 · all client chunks, gzip (context)', candidate: fmtKb(b4.module.all.gzip), baseline: fmtKb(b4.handwrittenPinia.all.gzip), ratio: `${b4.allDiff >= 0 ? '+' : ''}${fmtKb(b4.allDiff)}`, target: 'context', result: '—' })
    }
    catch (error) {
      errorRow('B4', error)
    }
  }

  if (selected.has('B1')) {
    log(`B1: call overhead, ${config.b1.calls} calls per variant and mode in ${config.b1.rounds} rounds …`)
    try {
      const moduleSpa = await serve('module', backend, { NUXT_PUBLIC_AMPLIFY_SSR: 'false' })
      const handwrittenCookies = await serve('handwritten', backend, { NUXT_PUBLIC_BENCH_SSR: 'true' })
      const url = framePage.page('/b1', { module: apps.module.url, handwrittenCookies: handwrittenCookies.url, moduleSpa: moduleSpa.url, handwritten: apps.handwritten.url })
      const b1 = await runB1({ browser, backend, framePageUrl: url, user: credentials, ...config.b1, log })
      let pass = true
      for (const mode of B1_MODES) {
        const r = b1[mode]
        for (const [storage, label, candidate, baseline] of [['cookies', 'cookies (ssr: true)', r.module, r.handwrittenCookies], ['localStorage', 'localStorage (ssr: false)', r.moduleSpa, r.handwritten]]) {
          const target = config.b1.target[storage]
          const ok = r[storage].ratio <= target
          pass &&= ok
          rows.push({ bench: `B1 ${mode}, tokens in ${label}: $restApi.get vs hand-written Amplify get (per call)`, candidate: fmtMs(candidate.medianMs), baseline: fmtMs(baseline.medianMs), ratio: `${r[storage].ratio.toFixed(3)}× (paired ${r[storage].paired.median.toFixed(3)}×)`, target: `≤ ${target.toFixed(2)}×`, result: ok ? 'PASS' : 'MISS' })
        }
        rows.push({ bench: `B1 ${mode} · module with cookies vs hand-written with localStorage (unequal, context)`, candidate: fmtMs(r.module.medianMs), baseline: fmtMs(r.handwritten.medianMs), ratio: `${r.unequalRatio.toFixed(3)}×`, target: 'context', result: '—' })
        rows.push({ bench: `B1 ${mode} · plain fetch, fixed header vs hand-written with cookies (context)`, candidate: fmtMs(r.fetch.medianMs), baseline: fmtMs(r.handwrittenCookies.medianMs), ratio: `${r.fetchRatio.toFixed(3)}×`, target: 'context', result: '—' })
      }
      results.benches.B1 = { result: pass ? 'PASS' : 'MISS', target: '$restApi median ≤ 0.90 × hand-written Amplify median with cookies, ≤ 1.00 × with localStorage, per mode', ...b1 }
    }
    catch (error) {
      errorRow('B1', error)
    }
  }

  if (selected.has('B2')) {
    log(`B2: refresh storm (tokens valid ${config.b2.tokenSeconds} s, ${config.b2.storm} concurrent calls, ${config.b2.rounds} round(s)) …`)
    try {
      // A second backend whose tokens live only a few seconds.
      const stormBackend = await startLocalBackend({ tokenValidity: { idToken: config.b2.tokenSeconds, accessToken: config.b2.tokenSeconds } })
      cleanups.push(() => stormBackend.stop())
      const stormApps = { module: await serve('module', stormBackend), handwritten: await serve('handwritten', stormBackend) }
      const url = framePage.page('/b2', { module: stormApps.module.url, handwritten: stormApps.handwritten.url })
      const stormUser = stormBackend.users[0]
      const b2 = await runB2({ browser, backend: stormBackend, framePageUrl: url, user: { username: stormUser.username, password: stormUser.password }, ...config.b2, log })
      const pass = b2.module.maxRefreshes === config.b2.target && Math.min(...b2.module.refreshes) === config.b2.target
      results.benches.B2 = { result: pass ? 'PASS' : 'MISS', target: 'exactly 1 refresh reaches the user pool in every round', ...b2 }
      rows.push({ bench: `B2 refresh storm: refreshes for ${config.b2.storm} concurrent userPool calls after expiry (median of ${b2.rounds})`, candidate: `${b2.module.medianRefreshes} (max ${b2.module.maxRefreshes})`, baseline: `${b2.handwritten.medianRefreshes} (max ${b2.handwritten.maxRefreshes})`, ratio: '—', target: '= 1', result: pass ? 'PASS' : 'MISS' })
    }
    catch (error) {
      errorRow('B2', error)
    }
  }

  // Server side (SSR): the module's SSR app (bench/fixtures/module-ssr), requests carrying only cookies.
  if (selected.has('B3') || selected.has('B5') || selected.has('B8')) {
    apps.moduleSsr ??= await serve('moduleSsr', backend)
    log(`SSR app: ${apps.moduleSsr.url}`)
  }

  if (selected.has('B3')) {
    const { requests, concurrency } = config.b3
    log(`B3: credentials on the server, ${requests} SSR requests of one user (${concurrency} in flight) per app …`)
    try {
      apps.handwritten ??= await serve('handwritten', backend)
      const b3 = await runB3({ backend, apps, user: credentials, requests, concurrency, log })
      b3.staleCookies = await runB3Stale({ startLocalBackend, serve, log })
      b3.leaks += b3.staleCookies.module.wrong + b3.staleCookies.handwritten.wrong
      const pass = b3.module.getCredentials <= config.b3.target && b3.leaks === 0
      results.benches.B3 = { result: pass ? 'PASS' : 'MISS', target: `module: ≤ ${config.b3.target} GetCredentialsForIdentity per credential lifetime (here: for ${requests} requests of one session), every response that user's own identity`, ...b3 }
      rows.push({ bench: `B3 iam SSR: GetCredentialsForIdentity for ${requests} requests of one signed-in user (${concurrency} in flight)`, candidate: String(b3.module.getCredentials), baseline: String(b3.handwritten.getCredentials), ratio: '—', target: `≤ ${config.b3.target}`, result: pass ? 'PASS' : 'MISS' })
      rows.push({ bench: 'B3 · responses showing that user\'s verified identity (one identity id in all) (check)', candidate: `${b3.module.correct}/${requests}`, baseline: `${b3.handwritten.correct}/${requests}`, ratio: `${b3.identityIds.length} id`, target: `${requests}/${requests}, 1 id`, result: b3.leaks === 0 ? 'PASS' : 'MISS' })
      rows.push({ bench: 'B3 · GetId calls for the same requests (context)', candidate: String(b3.module.getId), baseline: String(b3.handwritten.getId), ratio: '—', target: 'context', result: '—' })
      const stale = b3.staleCookies
      const pair = r => `${r.refreshes} / ${r.getCredentials}`
      rows.push({ bench: `B3 · stale cookies (past refresh point): ${stale.module.concurrent.requests} concurrent requests, refreshes / GetCredentialsForIdentity (context)`, candidate: pair(stale.module.concurrent), baseline: pair(stale.handwritten.concurrent), ratio: '—', target: 'context', result: '—' })
      rows.push({ bench: `B3 · stale cookies: ${stale.module.sequentialKeepingCookies.requests} sequential requests keeping Set-Cookie, refreshes / GetCredentialsForIdentity (context)`, candidate: pair(stale.module.sequentialKeepingCookies), baseline: pair(stale.handwritten.sequentialKeepingCookies), ratio: '—', target: 'context', result: '—' })
    }
    catch (error) {
      errorRow('B3', error)
    }
  }

  if (selected.has('B5')) {
    const { seconds, rounds, connections } = config.b5
    log(`B5: SSR throughput, ${rounds} round(s) of ${seconds} s per page, ${connections} connections …`)
    try {
      apps.handwrittenSsr ??= await serve('handwrittenSsr', backend)
      const b5 = await runB5({ backend, apps: { module: apps.moduleSsr, fetch: apps.moduleSsr, handwritten: apps.handwrittenSsr }, user: credentials, ...config.b5, log })
      const pass = b5.ratio >= config.b5.target
      results.benches.B5 = { result: pass ? 'PASS' : 'MISS', target: `$restApi page median req/s ≥ ${config.b5.target} × the hand-written adapter-core page's`, ...b5 }
      const ci = ({ low, high }) => low === null ? '' : `, 95 % CI ${low.toFixed(3)}–${high.toFixed(3)}`
      rows.push({ bench: `B5 SSR throughput, userPool echo: $restApi page vs an app without the module using adapter-core as Amplify's Nuxt guide (median of ${rounds} × ${seconds} s, ${connections} conn.)`, candidate: `${b5.module.medianRps.toFixed(1)} req/s`, baseline: `${b5.handwritten.medianRps.toFixed(1)} req/s`, ratio: `${b5.ratio.toFixed(3)}× (paired ${b5.paired.median.toFixed(3)}×${ci(b5.paired.ci95)})`, target: `≥ ${config.b5.target.toFixed(2)}×`, result: pass ? 'PASS' : 'MISS' })
      rows.push({ bench: 'B5 · $restApi page vs $fetch + raw ID token in the module\'s own app (context)', candidate: `${b5.module.medianRps.toFixed(1)} req/s`, baseline: `${b5.fetch.medianRps.toFixed(1)} req/s`, ratio: `${b5.fetchRatio.toFixed(3)}× (paired ${b5.pairedFetch.median.toFixed(3)}×${ci(b5.pairedFetch.ci95)})`, target: 'context', result: '—' })
      rows.push({ bench: 'B5 · latency p50 / p99 (median over rounds), module vs hand-written (context)', candidate: `${b5.module.medianLatencyP50Ms} / ${b5.module.medianLatencyP99Ms} ms`, baseline: `${b5.handwritten.medianLatencyP50Ms} / ${b5.handwritten.medianLatencyP99Ms} ms`, ratio: '—', target: 'context', result: '—' })
    }
    catch (error) {
      errorRow('B5', error)
    }
  }

  if (selected.has('B8')) {
    const { seconds, rounds, connections } = config.b5
    log(`B8: SSR throughput of useRestApiData, ${rounds} round(s) of ${seconds} s per page, ${connections} connections …`)
    try {
      const b8 = await runB8({ backend, app: apps.moduleSsr, user: credentials, ...config.b5, log })
      const pass = b8.ratio >= config.b8.target
      results.benches.B8 = { result: pass ? 'PASS' : 'MISS', target: `useRestApiData page median req/s ≥ ${config.b8.target} × the useAsyncData + $restApi page's`, ...b8 }
      rows.push({ bench: `B8 SSR throughput, userPool echo: useRestApiData page vs useAsyncData + $restApi (median of ${rounds} × ${seconds} s, ${connections} conn.)`, candidate: `${b8.data.medianRps.toFixed(1)} req/s`, baseline: `${b8.asyncData.medianRps.toFixed(1)} req/s`, ratio: `${b8.ratio.toFixed(3)}× (paired ${b8.paired.median.toFixed(3)}×)`, target: `≥ ${config.b8.target.toFixed(2)}×`, result: pass ? 'PASS' : 'MISS' })
    }
    catch (error) {
      errorRow('B8', error)
    }
  }

  if (selected.has('B6')) {
    const { identities, requests } = config.b6
    log(`B6: server memory, ${requests} SSR requests from ${identities} sessions …`)
    try {
      const b6 = await runB6({ startLocalBackend, serve, ...config.b6, log })
      const excess = b6.rssGrowthBytes - b6.control.rssGrowthBytes
      const pass = excess < config.b6.marginBytes && b6.correct === requests && b6.control.correct === requests
      results.benches.B6 = { result: pass ? 'PASS' : 'MISS', target: `server RSS growth (after ${config.b6.early} → after ${requests} requests) ≤ the control page's growth + ${fmtMb(config.b6.marginBytes)}, every response its own session's user`, excessBytes: excess, ...b6 }
      rows.push({ bench: `B6 server RSS growth, ${requests} SSR iam requests from ${identities} sessions (cache capped at 1000), vs the same requests to a page that keeps nothing`, candidate: `+${fmtMb(b6.rssGrowthBytes)}`, baseline: `+${fmtMb(b6.control.rssGrowthBytes)}`, ratio: `${excess >= 0 ? '+' : ''}${fmtMb(excess)}`, target: `< +${fmtMb(config.b6.marginBytes)}`, result: pass ? 'PASS' : 'MISS' })
      const signed = bytes => `${bytes >= 0 ? '+' : ''}${fmtMb(bytes)}`
      rows.push({ bench: 'B6 · heap used after a full GC (context)', candidate: fmtMb(b6.final.heapUsedAfterGcBytes), baseline: fmtMb(b6.early.heapUsedAfterGcBytes), ratio: signed(b6.heapGrowthAfterGcBytes), target: 'context', result: '—' })
      rows.push({ bench: `B6 · control: same requests to the $fetch page (no iam, nothing cached), RSS (context)`, candidate: fmtMb(b6.control.final.rssBytes), baseline: fmtMb(b6.control.early.rssBytes), ratio: signed(b6.control.rssGrowthBytes), target: 'context', result: '—' })
      rows.push({ bench: `B6 · control: heap used after a full GC (context)`, candidate: fmtMb(b6.control.final.heapUsedAfterGcBytes), baseline: fmtMb(b6.control.early.heapUsedAfterGcBytes), ratio: signed(b6.control.heapGrowthAfterGcBytes), target: 'context', result: '—' })
      const warm = b6.points.find(point => point.requests === 1000)
      if (warm && requests > 1000)
        rows.push({ bench: `B6 · RSS after ${requests} vs after 1000 (warm server, cache full) (context)`, candidate: fmtMb(b6.final.rssBytes), baseline: fmtMb(warm.rssBytes), ratio: signed(b6.final.rssBytes - warm.rssBytes), target: 'context', result: '—' })
      rows.push({ bench: 'B6 · credentials cache entries / GetCredentialsForIdentity calls (context)', candidate: `${b6.final.cacheSize} / ${b6.final.credentialFetches}`, baseline: `${b6.early.cacheSize} / ${b6.early.credentialFetches}`, ratio: '—', target: 'context', result: '—' })
      rows.push({ bench: 'B6 · responses showing their own session\'s user, iam page / control page (check)', candidate: `${b6.correct}/${requests}`, baseline: `${b6.control.correct}/${requests}`, ratio: '—', target: `${requests}/${requests}`, result: b6.correct === requests && b6.control.correct === requests ? 'PASS' : 'MISS' })
    }
    catch (error) {
      errorRow('B6', error)
    }
  }

  if (selected.has('B7')) {
    log('B7: session \'server\' proxy vs direct, per-call latency …')
    try {
      // The bare pass-through route (context row) forwards with this session's ID token.
      const bare = await signInSession(backend, credentials)
      const server = await serve('moduleServerSession', backend, { BENCH_BARE_UPSTREAM: backend.amplify.rest.userPool.endpoint, BENCH_BARE_TOKEN: bare.idToken })
      const direct = apps.module ?? await serve('module', backend)
      if (!browser) {
        browser = await launchBrowser()
        cleanups.push(() => browser.close())
      }
      const b7 = await runB7({ browser, urls: { server: server.url, browser: direct.url }, user: credentials, ...config.b7, log })
      const pass = b7.paired.median <= config.b7.target
      results.benches.B7 = { result: pass ? 'PASS' : 'MISS', target: `proxied $restApi.get median ≤ ${config.b7.target} × the same call in 'browser' mode (paired per round)`, ...b7 }
      rows.push({ bench: `B7 userPool echo: $restApi.get through the session 'server' proxy vs 'browser' mode (per call, ${b7.rounds} × ${b7.calls})`, candidate: fmtMs(b7.server.medianMs), baseline: fmtMs(b7.browser.medianMs), ratio: `${b7.ratio.toFixed(3)}× (paired ${b7.paired.median.toFixed(3)}×)`, target: `≤ ${config.b7.target.toFixed(2)}×`, result: pass ? 'PASS' : 'MISS' })
      rows.push({ bench: 'B7 · bare pass-through Nitro route (fixed token, nothing checked) vs \'browser\' mode: the floor of any proxy (context)', candidate: fmtMs(b7.bare.medianMs), baseline: fmtMs(b7.browser.medianMs), ratio: `paired ${b7.bare.pairedVsBrowser.toFixed(3)}×`, target: 'context', result: '—' })
      rows.push({ bench: 'B7 · the module\'s proxy vs the bare pass-through route (context)', candidate: fmtMs(b7.server.medianMs), baseline: fmtMs(b7.bare.medianMs), ratio: `paired ${b7.bare.proxyPairedVsBare.toFixed(3)}×`, target: 'context', result: '—' })
    }
    catch (error) {
      errorRow('B7', error)
    }
  }
}

function printTable() {
  const header = { bench: 'bench', candidate: 'candidate', baseline: 'baseline', ratio: 'ratio', target: 'target', result: 'result' }
  const keys = Object.keys(header)
  const widths = keys.map(k => Math.max(...[header, ...rows].map(r => String(r[k]).length)))
  const line = r => `| ${keys.map((k, i) => String(r[k]).padEnd(widths[i])).join(' | ')} |`
  console.log()
  console.log(line(header))
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows) console.log(line(r))
  console.log()
  console.log(`candidate = nuxt-amplify-rest (bench/fixtures/module, for B3/B5/B6 its SSR pages in bench/fixtures/module-ssr), baseline = hand-written Amplify (bench/fixtures/handwritten); B1 values are medians over rounds (interleaved ABBA) of the mean time per call, ratio = candidate median / baseline median, paired = median over rounds of candidate / baseline in the same round; B4 ratio column is the gzip difference; B3 counts GetCredentialsForIdentity calls at the local identity pool; B5's baseline is an app without the module (bench/fixtures/handwritten-ssr) using aws-amplify/adapter-core as Amplify's Nuxt guide shows, with the module app's own $fetch page as context; B6 compares the module's own server with itself (RSS after all requests vs after the first 100), ratio column = growth.`)
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load ${machine.loadAverage.join(' ')}; node ${machine.node}; Chromium ${machine.chromium ?? '?'}; nuxt ${machine.versions.nuxt}, aws-amplify ${machine.versions['aws-amplify']}; git ${machine.git.commit}${machine.git.srcChanged ? ` + ${machine.git.srcChanged} changed file(s) under src/ (src hash ${machine.git.srcHash})` : ''}`)
  const b4 = results.benches.B4
  if (b4?.delta?.length) {
    console.log('B4 where the difference comes from (≈ gzip per group, module app − hand-written app, used chunks):')
    for (const row of b4.delta.slice(0, 10)) console.log(`  ${row.delta >= 0 ? '+' : ''}${(row.delta / 1000).toFixed(2).padStart(6)} kB  ${row.group}`)
  }
}

let exitCode = 0
try {
  await main()
}
catch (error) {
  exitCode = 1
  console.error(`[bench] ${error?.stack ?? error}`)
  results.error = String(error?.stack ?? error)
}
finally {
  await cleanup()
}
results.seconds = round((Date.now() - started) / 1000, 1)
if (Object.values(results.benches).some(b => b.result === 'ERROR')) exitCode = 1
results.table = rows
printTable()
mkdirSync(dirname(outFile), { recursive: true })
writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`)
// A full run that wrote the tracked results also rewrites the README's table from them.
if (!quick && !args.only && outFile === join(root, 'bench/results.json') && exitCode === 0) writeReadmeTable(root, results)
log(`wrote ${relative(process.cwd(), outFile)} (${results.seconds} s in all)`)
process.exit(exitCode)
