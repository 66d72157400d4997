// The two fixture apps (bench/fixtures/module and bench/fixtures/handwritten): build them (skipped
// when nothing they are built from changed), serve their .output on free loopback ports with the
// environment that points them at a local backend, and a top page that frames both side by side.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { freePort, hashInputs, sleep, waitFor } from './util.mjs'

const require = createRequire(import.meta.url)

export const FIXTURES = {
  module: {
    dir: 'bench/fixtures/module',
    // The module is built from src/ (module.ts and the runtime it adds).
    inputs: ['src', 'bench/fixtures/module', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
  // B3, B5, B6: the module app (as a layer, unchanged) plus SSR pages; see its nuxt.config.ts.
  moduleSsr: {
    dir: 'bench/fixtures/module-ssr',
    inputs: ['src', 'bench/fixtures/module-ssr', 'bench/fixtures/module', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
  // B7: the module app (as a layer, unchanged) with `amplify.session: 'server'`.
  moduleServerSession: {
    dir: 'bench/fixtures/module-server-session',
    inputs: ['src', 'bench/fixtures/module-server-session', 'bench/fixtures/module', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
  handwritten: {
    dir: 'bench/fixtures/handwritten',
    inputs: ['bench/fixtures/handwritten', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
  // B5 baseline: the hand-written app plus SSR as Amplify's Nuxt guide writes it (adapter-core).
  handwrittenSsr: {
    dir: 'bench/fixtures/handwritten-ssr',
    inputs: ['bench/fixtures/handwritten-ssr', 'bench/fixtures/handwritten', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
  // B9: the same small app built with the `aws-lambda` preset, without the module and with it.
  coldPlain: {
    dir: 'bench/fixtures/cold-plain',
    inputs: ['bench/fixtures/cold-plain', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
  coldModule: {
    dir: 'bench/fixtures/cold-module',
    inputs: ['src', 'bench/fixtures/cold-module', 'bench/fixtures/cold-plain', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
  // B4 context: the hand-written app plus @pinia/nuxt (which the module installs), nothing else.
  handwrittenPinia: {
    dir: 'bench/fixtures/handwritten-pinia',
    inputs: ['bench/fixtures/handwritten-pinia', 'bench/fixtures/handwritten', 'bench/fixtures/size-report.ts', 'package-lock.json'],
  },
}

/** nuxi's entry script, run with this Node (the system `node` may be older than the scripts' Node 22). */
function nuxiBin() {
  // @nuxt/cli does not export its package.json: walk up from its main entry to find it.
  let dir = dirname(require.resolve('@nuxt/cli'))
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== '@nuxt/cli') {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find @nuxt/cli; run npm install')
    dir = parent
  }
  const { bin } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  return join(dir, typeof bin === 'string' ? bin : bin.nuxi)
}

/** Runs a child to completion, keeping the tail of its output for the error message. */
function run(command, args, { cwd, env, timeoutMs, label }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const keep = chunk => (output = (output + chunk).slice(-20_000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else reject(new Error(`${label} failed (${signal ?? `exit ${code}`}):\n${output.split('\n').slice(-40).join('\n')}`))
    })
  })
}

/**
 * Builds a fixture unless its last build was made from the same inputs. The client build also
 * writes `.output/bench-modules.json` (see fixtures/size-report.ts) for the bundle breakdown.
 */
export async function buildFixture(root, name, { force = false, log = () => {} } = {}) {
  const fixture = FIXTURES[name]
  const dir = join(root, fixture.dir)
  const stamp = join(dir, '.output', 'bench-build.json')
  const hash = hashInputs(root, fixture.inputs)
  if (!force && existsSync(stamp) && existsSync(join(dir, '.output', 'bench-modules.json'))) {
    const previous = JSON.parse(readFileSync(stamp, 'utf8'))
    if (previous.hash === hash) {
      log(`${name}: build is current (inputs ${hash}), reused`)
      return { dir, hash, seconds: previous.seconds, reused: true }
    }
  }
  log(`${name}: building ${fixture.dir} …`)
  const started = Date.now()
  await run(process.execPath, [nuxiBin(), 'build', fixture.dir], {
    cwd: root,
    env: { ...process.env, BENCH_SIZE_REPORT: '1', NUXT_TELEMETRY_DISABLED: '1' },
    timeoutMs: 240_000,
    label: `nuxi build ${fixture.dir}`,
  })
  const seconds = (Date.now() - started) / 1000
  writeFileSync(stamp, JSON.stringify({ hash, seconds, builtAt: new Date().toISOString() }))
  log(`${name}: built in ${seconds.toFixed(1)} s`)
  return { dir, hash, seconds, reused: false }
}

/** `NUXT_PUBLIC_<PREFIX>_*` variables for an object, by Nitro's naming (`keyApi` → `KEY_API`). */
export function flattenEnv(options, prefix) {
  const env = {}
  for (const [key, value] of Object.entries(options)) {
    const name = `${prefix}_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()}`
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(env, flattenEnv(value, name))
    else if (value !== undefined) env[name] = String(value)
  }
  return env
}

/** Runtime config of each fixture, pointing at `backend`. */
export function fixtureEnv(name, backend) {
  const { auth, rest } = backend.amplify
  if (name === 'module' || name === 'moduleSsr') {
    // Only the APIs the fixture declares; Nitro ignores variables for keys the app does not have.
    return flattenEnv({ auth, rest: { userPool: rest.userPool, iam: rest.iam, apiKey: rest.apiKey }, defaultApi: 'userPool' }, 'NUXT_PUBLIC_AMPLIFY')
  }
  if (name === 'moduleServerSession') {
    // The API key is private config in this mode (a public one would fail the server's start).
    const { apiKey: key, ...apiKey } = rest.apiKey
    return {
      ...flattenEnv({ auth, rest: { userPool: rest.userPool, iam: rest.iam, apiKey }, defaultApi: 'userPool' }, 'NUXT_PUBLIC_AMPLIFY'),
      NUXT_AMPLIFY_REST_API_KEY_API_KEY: key,
    }
  }
  // handwritten, handwrittenSsr and handwrittenPinia
  return flattenEnv({
    bench: {
      region: auth.region,
      userPoolId: auth.userPoolId,
      userPoolClientId: auth.userPoolClientId,
      identityPoolId: auth.identityPoolId,
      userPoolEndpoint: auth.userPoolEndpoint,
      identityPoolEndpoint: auth.identityPoolEndpoint,
      userPoolApi: rest.userPool.endpoint,
      iamApi: rest.iam.endpoint,
      apiKeyApi: rest.apiKey.endpoint,
      apiKey: rest.apiKey.apiKey,
    },
  }, 'NUXT_PUBLIC')
}

/**
 * Serves a built fixture on a free loopback port; resolves once it answers. `nodeArgs` go before
 * the entry script (e.g. `--expose-gc`); `pid` is the server's own process (Node runs it directly).
 */
export async function serveFixture(root, name, backend, extraEnv = {}, { nodeArgs = [] } = {}) {
  const dir = join(root, FIXTURES[name].dir)
  const port = await freePort()
  const env = { ...process.env, ...fixtureEnv(name, backend), ...extraEnv, HOST: '127.0.0.1', PORT: String(port), NITRO_HOST: '127.0.0.1', NITRO_PORT: String(port), NODE_ENV: 'production' }
  const child = spawn(process.execPath, [...nodeArgs, join(dir, '.output/server/index.mjs')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = chunk => (output = (output + chunk).slice(-8_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  const exit = new Promise(resolve => child.on('exit', (code, signal) => {
    exited = signal ?? code
    resolve()
  }))
  const url = `http://127.0.0.1:${port}/`
  const server = {
    name,
    url,
    port,
    pid: child.pid,
    /** The last lines the server printed (for error messages). */
    output: () => output,
    async stop() {
      if (exited !== null) return
      child.kill('SIGTERM')
      await Promise.race([exit, sleep(5_000)])
      if (exited === null) {
        child.kill('SIGKILL')
        await Promise.race([exit, sleep(2_000)])
      }
    },
  }
  try {
    await waitFor(async () => {
      if (exited !== null) throw new Error(`server exited (${exited}): ${output}`)
      const response = await fetch(url)
      return response.ok
    }, { timeoutMs: 30_000, intervalMs: 150, message: `${name} server at ${url} did not answer` })
  }
  catch (error) {
    await server.stop()
    throw error
  }
  return server
}

/**
 * A page on its own loopback port that frames both apps, so both run in one Chromium page (one
 * renderer: the frames are same-site) and take turns on the same main thread.
 */
export async function startFramePage() {
  const pages = new Map()
  const server = createServer((req, res) => {
    const html = pages.get(new URL(req.url, 'http://x').pathname)
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(html ?? 'not found')
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const base = `http://127.0.0.1:${server.address().port}`
  return {
    /** Registers a page that frames `urls` (name → URL); returns its address. */
    page(path, urls) {
      const frames = Object.entries(urls).map(([name, url]) => `<iframe name="${name}" src="${url}" width="600" height="200"></iframe>`).join('\n')
      pages.set(path, `<!doctype html><html><head><title>bench</title></head><body>\n${frames}\n</body></html>`)
      return base + path
    },
    stop: () => new Promise(resolve => server.close(() => resolve())),
  }
}
