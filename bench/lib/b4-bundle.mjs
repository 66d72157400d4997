// B4 — client bundle. Gzip size of the client JS of the module fixture against the hand-written
// fixture (same page, same Amplify features). Three views:
//  - used:    the JS the page loads as scripts to start, sign in, get/post/del on three APIs and
//             sign out (recorded in Chromium, so lazy chunks count once used) — the target's view;
//  - initial: the scripts loaded until the page is idle, before any interaction;
//  - all:     every .js under .output/public/_nuxt (including chunks only ever prefetched).
// Plus where the bytes come from: each client chunk's modules (recorded at build time by
// fixtures/size-report.ts), minified one by one and gzipped per package; and the hand-written app
// built once more with @pinia/nuxt added (fixtures/handwritten-pinia), which the module installs.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSize, round } from './util.mjs'

function jsFiles(dir, prefix = '') {
  const files = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) files.push(...jsFiles(join(dir, entry.name), `${prefix}${entry.name}/`))
    else if (entry.name.endsWith('.js')) files.push(`${prefix}${entry.name}`)
  }
  return files
}

function sizeOf(publicDir, files) {
  let raw = 0
  let gzip = 0
  for (const file of files) {
    const buffer = readFileSync(join(publicDir, file))
    raw += buffer.length
    gzip += gzipSize(buffer)
  }
  return { files: files.length, raw, gzip }
}

/** Which `_nuxt/*.js` files the app's page requests: idle after load, then after using every feature. */
async function recordLoadedJs(browser, app, backend, user) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const requested = new Set()
  page.on('request', (request) => {
    // Scripts the page runs; `<link rel="prefetch">` downloads (resource type "other") are only
    // speculative, and a prefetched chunk that gets used is requested again as a script.
    const { pathname } = new URL(request.url())
    if (request.resourceType() === 'script' && pathname.startsWith('/_nuxt/') && pathname.endsWith('.js')) requested.add(pathname.slice(1))
  })
  try {
    await page.goto(app.url)
    await page.waitForLoadState('networkidle')
    if (app.name === 'module') await page.waitForFunction(() => window.$restApi !== undefined && window.$amplifyAuth?.status !== 'unknown')
    else await page.waitForFunction(() => window.$handwritten !== undefined)
    const initial = [...requested].sort()

    const used = await page.evaluate(async ({ name, username, password }) => {
      const done = []
      if (name === 'module') {
        const api = window.$restApi
        await window.$amplifyAuth.signIn({ username, password })
        for (const apiName of ['userPool', 'iam', 'apiKey']) done.push((await api.get('echo', { apiName })).verified)
        const item = await api.post('items', { apiName: 'userPool', body: { name: 'bench' } })
        done.push((await api.del(`items/${item.id}`, { apiName: 'userPool' })).deleted === item.id)
        await window.$amplifyAuth.signOut()
      }
      else {
        const { signIn, signOut, get, post, del } = window.$handwritten
        await signIn(username, password)
        for (const apiName of ['userPool', 'iam', 'apiKey']) {
          const { body } = await get({ apiName, path: '/echo', options: apiName === 'apiKey' ? { defaultAuthMode: 'none' } : undefined }).response
          done.push((await body.json()).verified)
        }
        const item = await (await post({ apiName: 'userPool', path: '/items', options: { body: { name: 'bench' } } }).response).body.json()
        const deleted = await (await del({ apiName: 'userPool', path: `/items/${item.id}` }).response).body.json()
        done.push(deleted.deleted === item.id)
        await signOut()
      }
      return done
    }, { name: app.name, ...user })
    if (!used.every(Boolean)) throw new Error(`B4: ${app.name} app did not complete every call: ${JSON.stringify(used)}`)
    await page.waitForLoadState('networkidle')
    return { initial, used: [...requested].sort() }
  }
  finally {
    await context.close()
  }
}

/** Where a module comes from: its npm package, a file of the module's runtime, or the app/Nuxt. */
export function groupOf(id) {
  const clean = id.replace(/^\0/, '').split('?')[0]
  const at = clean.lastIndexOf('node_modules/')
  if (at >= 0) {
    const parts = clean.slice(at + 'node_modules/'.length).split('/')
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
  }
  const runtime = clean.indexOf('src/runtime/')
  if (runtime >= 0) return `nuxt-amplify-rest: ${clean.slice(runtime + 'src/runtime/'.length)}`
  if (clean.includes('bench/fixtures/') || /(?:^|\/)app\//.test(clean)) return 'fixture app code'
  return 'nuxt virtual/generated'
}

async function loadMinifier() {
  try {
    const { transformSync } = await import('esbuild')
    return (code) => {
      try {
        return transformSync(code, { minify: true, loader: 'js' }).code
      }
      catch {
        return code
      }
    }
  }
  catch {
    return null // no esbuild: sizes below are of unminified code
  }
}

/** Estimated gzip per source group (package, or file of the module's runtime) of the given chunks. */
async function breakdown(outputDir, chunkFiles) {
  const reportPath = join(outputDir, 'bench-modules.json')
  if (!existsSync(reportPath)) return null
  const chunks = JSON.parse(readFileSync(reportPath, 'utf8')).filter(chunk => chunkFiles.includes(chunk.fileName))
  const minify = await loadMinifier()
  const groups = new Map()
  for (const chunk of chunks) {
    for (const [id, code] of Object.entries(chunk.modules)) {
      if (!code) continue
      const group = groupOf(id)
      const entry = groups.get(group) ?? { modules: 0, code: [] }
      entry.modules++
      entry.code.push(minify ? minify(code) : code)
      groups.set(group, entry)
    }
  }
  const result = {}
  for (const [group, { modules, code }] of groups) {
    const text = code.join('\n')
    result[group] = { modules, minified: Buffer.byteLength(text), gzip: gzipSize(Buffer.from(text)) }
  }
  return { minified: Boolean(minify), groups: result }
}

export async function runB4({ browser, backend, apps, dirs, user, targetBytes }) {
  const out = {}
  for (const name of ['module', 'handwritten', 'handwrittenPinia']) {
    if (!apps[name]) continue
    const publicDir = join(dirs[name], '.output/public')
    const all = jsFiles(join(publicDir, '_nuxt')).map(file => `_nuxt/${file}`)
    const loaded = await recordLoadedJs(browser, apps[name], backend, user)
    out[name] = {
      used: { ...sizeOf(publicDir, loaded.used), list: loaded.used },
      initial: { ...sizeOf(publicDir, loaded.initial), list: loaded.initial },
      all: sizeOf(publicDir, all),
      breakdown: await breakdown(join(dirs[name], '.output'), loaded.used),
    }
  }
  // The baseline: hand-written Amplify with an equivalent Pinia auth store (like for like: the
  // module's job is headers from a Pinia store). Against the app without Pinia: context.
  const diff = view => out.module[view].gzip - out.handwrittenPinia[view].gzip
  // Groups by how much more (or less) the module app ships of them.
  const groups = new Set([...Object.keys(out.module.breakdown?.groups ?? {}), ...Object.keys(out.handwrittenPinia.breakdown?.groups ?? {})])
  const delta = [...groups].map((group) => {
    const m = out.module.breakdown?.groups[group]?.gzip ?? 0
    const h = out.handwrittenPinia.breakdown?.groups[group]?.gzip ?? 0
    return { group, module: m, handwritten: h, delta: m - h }
  }).filter(row => row.delta !== 0).sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
  const largest = Object.entries(out.module.breakdown?.groups ?? {}).map(([group, v]) => ({ group, gzip: v.gzip })).sort((a, b) => b.gzip - a.gzip).slice(0, 12)
  return {
    gzipLevel: 'zlib default (6), each file alone',
    targetBytes,
    usedDiff: diff('used'),
    initialDiff: diff('initial'),
    allDiff: diff('all'),
    ratio: round(out.module.used.gzip / out.handwrittenPinia.used.gzip, 3),
    // Context: the module against the hand-written app without Pinia, and what @pinia/nuxt plus the store add to it.
    noPiniaDiff: out.module.used.gzip - out.handwritten.used.gzip,
    piniaStoreDiff: out.handwrittenPinia.used.gzip - out.handwritten.used.gzip,
    module: out.module,
    handwritten: out.handwritten,
    handwrittenPinia: out.handwrittenPinia ?? null,
    breakdownNote: 'modules minified one by one (esbuild) and gzipped per group alone: an estimate, the groups do not add up to the chunk sizes',
    delta,
    largestInModuleApp: largest,
  }
}
