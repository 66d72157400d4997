// Where B1's time goes: CPU-profiles the renderer (Chrome DevTools Protocol, Profiler domain) while
// each app makes the same sequential calls, maps every sample back through the fixtures' source maps
// to its npm package or to a file of the module's runtime, and prints per-call self time by group,
// module app against hand-written app. Profiles are saved to bench/.work/profiles/*.cpuprofile
// (open them in Chromium DevTools → Performance).
//
//   node bench/profile.mjs [--mode iam,apiKey,userPool] [--calls 400] [--repeat 2] [--spa]
//
// --spa profiles the module app served with NUXT_PUBLIC_AMPLIFY_SSR=false (tokens in localStorage)
// instead of the default (ssr: true, tokens in cookies).
//
// Needs the fixtures built by `npm run bench` (or it builds them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createJiti } from 'jiti'
import { buildFixture, serveFixture } from './lib/apps.mjs'
import { groupOf } from './lib/b4-bundle.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args } = parseArgs({ options: { mode: { type: 'string', default: 'iam,apiKey,userPool' }, calls: { type: 'string', default: '400' }, repeat: { type: 'string', default: '2' }, spa: { type: 'boolean', default: false } } })
const modes = args.mode.split(',').map(s => s.trim())
const calls = Number(args.calls)
const repeat = Number(args.repeat)
const outDir = join(root, 'bench/.work/profiles')
mkdirSync(outDir, { recursive: true })

let TraceMap, originalPositionFor
try {
  ({ TraceMap, originalPositionFor } = await import('@jridgewell/trace-mapping'))
}
catch {
  console.warn('[profile] @jridgewell/trace-mapping not found: time is grouped by chunk, not by source')
}

const maps = new Map()
function sourceOf(appDir, url, line, column) {
  if (!url) return null
  const { pathname } = new URL(url)
  if (!pathname.startsWith('/_nuxt/')) return pathname
  const mapFile = join(appDir, '.output/public', `${pathname}.map`)
  if (!maps.has(mapFile)) maps.set(mapFile, TraceMap && existsSync(mapFile) ? new TraceMap(readFileSync(mapFile, 'utf8')) : null)
  const map = maps.get(mapFile)
  if (!map) return pathname
  const position = originalPositionFor(map, { line: line + 1, column })
  return position.source ?? pathname
}

/** Self time (ms) per group, and per function for the module's own files. */
function aggregate(profile, appDir) {
  const byId = new Map(profile.nodes.map(node => [node.id, node]))
  const self = new Map()
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  const groups = {}
  const functions = {}
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id)
    let group
    if (!callFrame.url) group = callFrame.functionName.startsWith('(') ? callFrame.functionName : `native: ${callFrame.functionName || '(anonymous)'}`
    else group = groupOf(sourceOf(appDir, callFrame.url, callFrame.lineNumber, callFrame.columnNumber) ?? callFrame.url)
    groups[group] = (groups[group] ?? 0) + ms
    const fn = `${group} › ${callFrame.functionName || '(anonymous)'}`
    functions[fn] = (functions[fn] ?? 0) + ms
  }
  return { groups, functions }
}

async function profileCalls(page, cdp, app, apiName) {
  const run = app === 'module'
    ? ({ apiName, n }) => (async () => {
        for (let i = 0; i < n; i++) await window.$restApi.get('echo', { apiName })
      })()
    : ({ apiName, n }) => (async () => {
        for (let i = 0; i < n; i++) {
          const { body } = await window.$handwritten.get({ apiName, path: '/echo', options: apiName === 'apiKey' ? { defaultAuthMode: 'none' } : undefined }).response
          await body.json()
        }
      })()
  await page.evaluate(run, { apiName, n: 50 }) // warm-up
  await cdp.send('Profiler.start')
  const started = Date.now()
  await page.evaluate(run, { apiName, n: calls })
  const wall = Date.now() - started
  const { profile } = await cdp.send('Profiler.stop')
  return { profile, wall }
}

const jiti = createJiti(import.meta.url)
const { startLocalBackend } = await jiti.import(join(root, 'src/local/index.ts'))
const { launchBrowser } = await jiti.import(join(root, 'test/utils/browser.ts'))
const dirs = {}
for (const name of ['module', 'handwritten']) dirs[name] = (await buildFixture(root, name, { log: m => console.log(`[profile] ${m}`) })).dir

const backend = await startLocalBackend()
const stops = [() => backend.stop()]
try {
  const apps = { module: await serveFixture(root, 'module', backend, args.spa ? { NUXT_PUBLIC_AMPLIFY_SSR: 'false' } : {}), handwritten: await serveFixture(root, 'handwritten', backend) }
  stops.push(() => apps.module.stop(), () => apps.handwritten.stop())
  const browser = await launchBrowser()
  stops.push(() => browser.close())
  const user = backend.users[0]
  const pages = {}
  for (const app of ['module', 'handwritten']) {
    const page = await (await browser.newContext()).newPage()
    await page.goto(apps[app].url)
    if (app === 'module') {
      await page.waitForFunction(() => window.$restApi !== undefined && window.$amplifyAuth?.status !== 'unknown')
      await page.evaluate(u => window.$amplifyAuth.signIn(u), { username: user.username, password: user.password })
    }
    else {
      await page.waitForFunction(() => window.$handwritten !== undefined)
      await page.evaluate(u => window.$handwritten.signIn(u.username, u.password), { username: user.username, password: user.password })
    }
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 })
    pages[app] = { page, cdp }
  }

  for (const apiName of modes) {
    const totals = { module: { groups: {}, functions: {}, wall: 0 }, handwritten: { groups: {}, functions: {}, wall: 0 } }
    for (let r = 0; r < repeat; r++) {
      for (const app of r % 2 === 0 ? ['module', 'handwritten'] : ['handwritten', 'module']) {
        const { profile, wall } = await profileCalls(pages[app].page, pages[app].cdp, app, apiName)
        writeFileSync(join(outDir, `${apiName}-${app}-${r + 1}.cpuprofile`), JSON.stringify(profile))
        const { groups, functions } = aggregate(profile, dirs[app])
        for (const [k, v] of Object.entries(groups)) totals[app].groups[k] = (totals[app].groups[k] ?? 0) + v
        for (const [k, v] of Object.entries(functions)) totals[app].functions[k] = (totals[app].functions[k] ?? 0) + v
        totals[app].wall += wall
      }
    }
    const n = calls * repeat
    const perCall = ms => (ms / n * 1000).toFixed(1).padStart(7) // µs per call
    console.log(`\n== ${apiName}: renderer self time per call, µs (${n} calls per app; wall ${(totals.module.wall / n).toFixed(3)} ms vs ${(totals.handwritten.wall / n).toFixed(3)} ms per call)`)
    const names = new Set([...Object.keys(totals.module.groups), ...Object.keys(totals.handwritten.groups)])
    const rows = [...names].filter(g => g !== '(idle)').map(g => ({ g, m: totals.module.groups[g] ?? 0, h: totals.handwritten.groups[g] ?? 0 }))
    rows.sort((a, b) => Math.abs(b.m - b.h) - Math.abs(a.m - a.h))
    const busy = app => Object.entries(totals[app].groups).filter(([g]) => g !== '(idle)').reduce((sum, [, v]) => sum + v, 0)
    console.log(`${'busy (all but idle)'.padEnd(60)} module ${perCall(busy('module'))}  hand-written ${perCall(busy('handwritten'))}  diff ${perCall(busy('module') - busy('handwritten'))}`)
    for (const { g, m, h } of rows.slice(0, 18)) console.log(`${g.slice(0, 60).padEnd(60)} module ${perCall(m)}  hand-written ${perCall(h)}  diff ${perCall(m - h)}`)
    const fns = name => Object.entries(totals[name].functions).filter(([f]) => !f.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 12)
    console.log('-- module app, top functions (self µs per call):')
    for (const [f, v] of fns('module')) console.log(`   ${perCall(v)}  ${f}`)
    console.log('-- hand-written app, top functions (self µs per call):')
    for (const [f, v] of fns('handwritten')) console.log(`   ${perCall(v)}  ${f}`)
  }
}
finally {
  for (const stop of stops.reverse()) await stop().catch(error => console.error(error.message))
}
