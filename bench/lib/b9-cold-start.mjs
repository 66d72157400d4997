// B9: the module's cold-start cost on AWS Lambda. Two handlers built with Nitro's `aws-lambda`
// preset, the same app with the module (fixtures/cold-module) and without (fixtures/cold-plain);
// each round starts one fresh Node process per app (lib/lambda-child.mjs), which imports the
// handler and answers one API Gateway v2 event for the page, as a Lambda cold start does. Measured:
// the time from the process's start to the handler's first answer (and its parts), rounds
// alternating which app starts first (ABBA), medians with quartiles, the ratio with / without.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, quartiles, round } from './util.mjs'

const CHILD = fileURLToPath(new URL('./lambda-child.mjs', import.meta.url))
export const B9_PAGE = { path: '/', marker: /data-testid="cold-page"[^>]*>\s*cold-start bench page\s*</ }

/** One cold start of the handler in `dir`/.output/server/index.mjs, in a fresh process. */
export function coldStart(dir, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const server = join(dir, '.output', 'server')
    // As Lambda's environment would be: a few variables, production, no build-time state.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', TZ: 'UTC' }
    const spawnedAt = performance.now()
    const child = spawn(process.execPath, [CHILD, join(server, 'index.mjs'), B9_PAGE.path], { cwd: server, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr = (stderr + chunk).slice(-4_000)))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const wallMs = performance.now() - spawnedAt
      const line = stdout.trim().split('\n').at(-1)
      if (code !== 0 || !line) return reject(new Error(`cold start of ${dir} failed (${signal ?? `exit ${code}`}): ${stderr || stdout}`))
      const result = JSON.parse(line)
      resolve({ ...result, wallMs, stderr })
    })
  })
}

/**
 * The first answer is the page: 200, HTML with the page's marker; with the module, its auth store
 * in the payload, resolved on the server as signed out (so the module's server side ran); without
 * it, no such store.
 */
export function checkAnswer(result, variant) {
  const problems = []
  if (result.statusCode !== 200) problems.push(`status ${result.statusCode}`)
  if (!B9_PAGE.marker.test(result.body)) problems.push(`page marker missing (body starts ${JSON.stringify(result.body.slice(0, 200))})`)
  const payload = /<script[^>]*id="__NUXT_DATA__"[^>]*>([^<]*)</.exec(result.body)?.[1] ?? ''
  const store = payload.includes('"amplify-auth"')
  if (variant === 'module' && !(store && payload.includes('"signedOut"'))) problems.push('no signed-out amplify-auth store in the payload')
  if (variant === 'plain' && store) problems.push('an amplify-auth store in the payload of the app without the module')
  if (result.secondStatusCode !== 200) problems.push(`second invocation status ${result.secondStatusCode}`)
  return problems
}

function summary(values) {
  const { q1, q3 } = quartiles(values)
  return { median: round(median(values)), q1: round(q1), q3: round(q3), min: round(Math.min(...values)), max: round(Math.max(...values)) }
}

/**
 * `dirs`: { module, plain } fixture directories (built). `rounds` measured rounds after one
 * discarded warm-up start of each (file system cache).
 */
export async function runB9({ dirs, rounds, log = () => {} }) {
  const variants = ['module', 'plain']
  const failures = []
  const run = async (variant) => {
    const result = await coldStart(dirs[variant])
    const problems = checkAnswer(result, variant)
    if (problems.length) failures.push(`${variant}: ${problems.join('; ')}`)
    return result
  }
  for (const variant of variants) await run(variant)
  const samples = { module: [], plain: [] }
  const perRound = []
  for (let r = 0; r < rounds; r++) {
    // ABBA: module first in rounds 0, 3, 4, 7, …; the plain app first in the others.
    const order = r % 4 === 0 || r % 4 === 3 ? variants : [...variants].reverse()
    const round_ = {}
    for (const variant of order) {
      const { startedMs, importedMs, answeredMs, cpuMs, secondMs, wallMs } = await run(variant)
      const sample = { startedMs, importedMs, answeredMs, firstInvocationMs: answeredMs - importedMs, cpuMs, secondMs, wallMs }
      samples[variant].push(sample)
      round_[variant] = sample
    }
    perRound.push({ order, ...round_, ratio: round_.module.answeredMs / round_.plain.answeredMs })
    if ((r + 1) % 5 === 0 || r + 1 === rounds) log(`B9: round ${r + 1}/${rounds}: with ${round_.module.answeredMs.toFixed(0)} ms, without ${round_.plain.answeredMs.toFixed(0)} ms`)
  }
  const stats = variant => ({
    firstAnswerMs: summary(samples[variant].map(s => s.answeredMs)),
    importMs: summary(samples[variant].map(s => s.importedMs)),
    firstInvocationMs: summary(samples[variant].map(s => s.firstInvocationMs)),
    secondInvocationMs: summary(samples[variant].map(s => s.secondMs)),
    cpuMs: summary(samples[variant].map(s => s.cpuMs)),
    wallMs: summary(samples[variant].map(s => s.wallMs)),
  })
  const module = stats('module')
  const plain = stats('plain')
  return {
    rounds,
    page: B9_PAGE.path,
    module,
    plain,
    ratio: round(module.firstAnswerMs.median / plain.firstAnswerMs.median),
    importRatio: round(module.importMs.median / plain.importMs.median),
    paired: summary(perRound.map(r => r.ratio)),
    extraMs: round(module.firstAnswerMs.median - plain.firstAnswerMs.median, 1),
    checks: { starts: 2 * (rounds + 1), failures },
    perRound: perRound.map(r => ({ order: r.order, ratio: round(r.ratio), module: roundSample(r.module), plain: roundSample(r.plain) })),
  }
}

function roundSample(sample) {
  return Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, round(value, 1)]))
}
