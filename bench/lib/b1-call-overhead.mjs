// B1 — call overhead. Sequential signed-in GETs of `echo` from one Chromium page that frames the
// apps: `$restApi.get` (module) against the hand-written Amplify set-up, per auth mode, on equal
// token storage: cookies (module `ssr: true` against hand-written `ssr: true`) and localStorage
// (module `ssr: false` against hand-written `ssr: false`). Rounds interleaved (ABBA…) so that a
// noisy neighbour hits both. Plain `fetch` with a fixed, precomputed header runs in the module's
// frame as the floor (context).
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import { ECHO_FIELDS, openFrames, pickEcho, signInBoth } from './session.mjs'
import { median, quartiles, round } from './util.mjs'

export const B1_MODES = ['userPool', 'iam', 'apiKey']

/** Median and quartiles of candidate ÷ baseline within each round. */
function pairedSummary(candidate, baseline) {
  const ratios = candidate.map((v, i) => v / baseline[i])
  const { q1, q3 } = quartiles(ratios)
  return { median: round(median(ratios), 3), q1: round(q1, 3), q3: round(q3, 3), pairs: ratios.length }
}

// Each runner makes n sequential calls in the page and returns the elapsed ms for all n (the
// clock of a page that is not cross-origin isolated ticks in 0.1 ms, too coarse for one call).

/** In the module's frame: `$restApi.get('echo', { apiName })`. */
function moduleCalls({ apiName, n }) {
  return (async () => {
    const api = window.$restApi
    const started = performance.now()
    for (let i = 0; i < n; i++) {
      const body = await api.get('echo', { apiName })
      if (body?.verified !== true) throw new Error(`module call ${i} to ${apiName} was not verified: ${JSON.stringify(body)}`)
    }
    return performance.now() - started
  })()
}

/**
 * In the hand-written frame: `get(...).response` + `body.json()`. The apiKey call
 * passes `defaultAuthMode: 'none'` so that it goes out unsigned, like the module's (an `X-Api-Key`
 * header alone does not stop Amplify from signing).
 */
function handwrittenCalls({ apiName, n }) {
  return (async () => {
    const { get } = window.$handwritten
    const started = performance.now()
    for (let i = 0; i < n; i++) {
      const { body } = await get({ apiName, path: '/echo', options: apiName === 'apiKey' ? { defaultAuthMode: 'none' } : undefined }).response
      const json = await body.json()
      if (json?.verified !== true) throw new Error(`hand-written call ${i} to ${apiName} was not verified: ${JSON.stringify(json)}`)
    }
    return performance.now() - started
  })()
}

/** Plain `fetch(url, { headers })` + `json()` with headers fixed in advance. */
function fetchCalls({ url, headers, n }) {
  return (async () => {
    const started = performance.now()
    for (let i = 0; i < n; i++) {
      const response = await fetch(url, { headers })
      const json = await response.json()
      if (json?.verified !== true) throw new Error(`fetch call ${i} to ${url} was not verified: ${JSON.stringify(json)}`)
    }
    return performance.now() - started
  })()
}

/** SigV4 headers for `GET url`, signed once in Node with the backend's authenticated-role credentials. */
async function presignedIamHeaders(url, backend) {
  const { accessKeyId, secretAccessKey, sessionToken } = backend.credentials.authenticated
  const target = new URL(url)
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    region: backend.amplify.rest.iam.region,
    service: 'execute-api',
    sha256: Sha256,
  })
  const signed = await signer.sign({
    method: 'GET',
    protocol: target.protocol,
    hostname: target.hostname,
    port: Number(target.port) || undefined,
    path: target.pathname,
    query: {},
    headers: { host: target.host },
  })
  const headers = { ...signed.headers }
  delete headers.host // the browser sends it
  return headers
}

async function fixedHeaders(apiName, frames, backend) {
  const { rest } = backend.amplify
  if (apiName === 'userPool') return { Authorization: await frames.module.evaluate(() => window.$amplifyAuth.idToken) }
  if (apiName === 'apiKey') return { 'X-Api-Key': rest.apiKey.apiKey }
  return presignedIamHeaders(`${rest.iam.endpoint}/echo`, backend) // re-signed every round (5-minute clock skew)
}

/** The variants: frames of the same two builds, served with cookie or localStorage token storage. */
export const B1_VARIANTS = ['module', 'handwrittenCookies', 'moduleSpa', 'handwritten', 'fetch']

async function runVariant(variant, apiName, n, frames, backend) {
  if (variant === 'module' || variant === 'moduleSpa') return frames[variant].evaluate(moduleCalls, { apiName, n })
  if (variant === 'handwritten' || variant === 'handwrittenCookies') return frames[variant].evaluate(handwrittenCalls, { apiName, n })
  const headers = await fixedHeaders(apiName, frames, backend)
  return frames.module.evaluate(fetchCalls, { url: `${backend.amplify.rest[apiName].endpoint}/echo`, headers, n })
}

/** One echo per variant and mode: every variant must get the same verdict from the server. */
async function checkEquivalence(frames, backend) {
  const seen = {}
  for (const apiName of B1_MODES) {
    const module = await frames.module.evaluate(apiName => window.$restApi.get('echo', { apiName }), apiName)
    const moduleSpa = await frames.moduleSpa.evaluate(apiName => window.$restApi.get('echo', { apiName }), apiName)
    const handwrittenEcho = frame => frame.evaluate(async (apiName) => {
      const { body } = await window.$handwritten.get({ apiName, path: '/echo', options: apiName === 'apiKey' ? { defaultAuthMode: 'none' } : undefined }).response
      return body.json()
    }, apiName)
    const handwritten = await handwrittenEcho(frames.handwritten)
    const handwrittenCookies = await handwrittenEcho(frames.handwrittenCookies)
    const headers = await fixedHeaders(apiName, frames, backend)
    const plain = await frames.module.evaluate(async ({ url, headers }) => (await fetch(url, { headers })).json(), { url: `${backend.amplify.rest[apiName].endpoint}/echo`, headers })
    seen[apiName] = { module: pickEcho(module), handwritten: pickEcho(handwritten), handwrittenCookies: pickEcho(handwrittenCookies), moduleSpa: pickEcho(moduleSpa), fetch: pickEcho(plain) }
    const differs = ECHO_FIELDS.filter(key => ['handwritten', 'handwrittenCookies', 'moduleSpa'].some(other => seen[apiName][other][key] !== seen[apiName].module[key]))
    if (differs.length || module?.verified !== true)
      throw new Error(`B1 ${apiName}: the module and the hand-written call (cookies and localStorage each) do not send the same thing (${differs.join(', ') || 'not verified'}): ${JSON.stringify(seen[apiName])}`)
    if (plain?.verified !== true || plain.mode !== module.mode) throw new Error(`B1 ${apiName}: the plain fetch is not verified: ${JSON.stringify(seen[apiName].fetch)}`)
  }
  return seen
}

/**
 * Rounds that take turns: in each round every variant makes `calls / rounds` calls in one go, the
 * module first in even rounds and the hand-written set-up first in odd ones (ABBA…), so that a
 * neighbour's burst of CPU lands on both sides. A round's value is its mean time per call; the
 * bench's value is the median over rounds. "paired" is the median over rounds of module ÷
 * hand-written within the same round, which cancels drift between rounds.
 */
export async function runB1({ browser, backend, framePageUrl, user, calls, rounds, warmup, log }) {
  const { context, frames, errors } = await openFrames(browser, framePageUrl, ['module', 'handwrittenCookies', 'moduleSpa', 'handwritten'])
  try {
    await signInBoth(frames, user)
    const equivalence = await checkEquivalence(frames, backend)
    log(`B1: every variant verified the same (${B1_MODES.map(m => `${m}: ${equivalence[m].module.role ?? equivalence[m].module.tokenUse ?? (equivalence[m].module.hasApiKey ? 'key' : '?')}`).join(', ')})`)

    const perRound = Math.max(1, Math.round(calls / rounds))
    const variants = B1_VARIANTS
    const samples = Object.fromEntries(B1_MODES.map(m => [m, Object.fromEntries(variants.map(v => [v, []]))]))
    for (const apiName of B1_MODES) {
      for (const variant of variants) await runVariant(variant, apiName, warmup, frames, backend)
    }
    const started = Date.now()
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['module', 'handwrittenCookies', 'moduleSpa', 'handwritten', 'fetch'] : ['handwrittenCookies', 'module', 'handwritten', 'moduleSpa', 'fetch']
      for (const apiName of B1_MODES) {
        for (const variant of order) samples[apiName][variant].push(await runVariant(variant, apiName, perRound, frames, backend) / perRound)
      }
      if (r % 10 === 9) backend.clearRequests()
      if ((r + 1) % Math.max(1, Math.round(rounds / 4)) === 0 || r === rounds - 1) log(`B1: round ${r + 1}/${rounds} done (${((Date.now() - started) / 1000).toFixed(0)} s)`)
    }

    const results = {}
    for (const apiName of B1_MODES) {
      const s = samples[apiName]
      const summary = (variant) => {
        const { q1, q3 } = quartiles(s[variant])
        return {
          medianMs: round(median(s[variant]), 4),
          q1Ms: round(q1, 4),
          q3Ms: round(q3, 4),
          meanMs: round(s[variant].reduce((a, b) => a + b, 0) / s[variant].length, 4),
          roundsMs: s[variant].map(v => round(v, 4)),
        }
      }
      results[apiName] = {
        callsPerVariant: perRound * rounds,
        rounds,
        callsPerRound: perRound,
        module: summary('module'),
        handwrittenCookies: summary('handwrittenCookies'),
        moduleSpa: summary('moduleSpa'),
        handwritten: summary('handwritten'),
        fetch: summary('fetch'),
        // Equal storage: cookies against cookies, localStorage against localStorage.
        cookies: { ratio: round(median(s.module) / median(s.handwrittenCookies), 3), paired: pairedSummary(s.module, s.handwrittenCookies) },
        localStorage: { ratio: round(median(s.moduleSpa) / median(s.handwritten), 3), paired: pairedSummary(s.moduleSpa, s.handwritten) },
        // Context: the old, unequal comparison (module with cookies against hand-written with localStorage).
        unequalRatio: round(median(s.module) / median(s.handwritten), 3),
        fetchRatio: round(median(s.fetch) / median(s.handwrittenCookies), 3),
        echo: equivalence[apiName],
      }
    }
    if (errors.length) results.pageErrors = errors.slice(0, 5)
    return results
  }
  finally {
    await context.close()
  }
}
