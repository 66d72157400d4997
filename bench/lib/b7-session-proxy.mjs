// B7 — the cost of `session: 'server'`. Sequential signed-in `$restApi.get('echo')` (userPool) in
// Chromium: through the same-origin proxy (module app built with session 'server') against the
// same call straight to the API (the module app in 'browser' mode). Each app in its own page,
// rounds interleaved (ABBA…) so a noisy neighbour hits both; the ratio is per call. Context: the
// same call through a bare pass-through route of the same server (fixed token, nothing checked),
// the floor of any same-origin proxy.
import { median, quartiles, round } from './util.mjs'

/** n sequential calls in the page; elapsed ms for all n (the page clock is too coarse for one call). */
function calls({ n }) {
  return (async () => {
    const api = window.$restApi
    const started = performance.now()
    for (let i = 0; i < n; i++) {
      const body = await api.get('echo', { apiName: 'userPool' })
      if (body?.verified !== true) throw new Error(`call ${i} was not verified: ${JSON.stringify(body)}`)
    }
    return performance.now() - started
  })()
}

/** n sequential GETs of the API's echo through the bare pass-through route (same page as the proxy). */
function bareCalls({ n }) {
  return (async () => {
    const started = performance.now()
    for (let i = 0; i < n; i++) {
      const body = await (await fetch('/api/bare/echo')).json()
      if (body?.verified !== true) throw new Error(`bare call ${i} was not verified: ${JSON.stringify(body)}`)
    }
    return performance.now() - started
  })()
}

async function open(browser, url, user) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(url)
  await page.waitForFunction(() => window.$restApi !== undefined && window.$amplifyAuth?.status !== 'unknown', null, { timeout: 30_000 })
  await page.evaluate(async ({ username, password }) => {
    const result = await window.$amplifyAuth.signIn({ username, password })
    if (!result?.isSignedIn) throw new Error(`sign-in did not complete: ${JSON.stringify(result?.nextStep)}`)
  }, user)
  await page.waitForFunction(() => window.$amplifyAuth.status === 'signedIn', null, { timeout: 15_000 })
  return { context, page }
}

export async function runB7({ browser, urls, user, calls: n, rounds, warmup, log }) {
  const pages = { server: await open(browser, urls.server, user), browser: await open(browser, urls.browser, user) }
  try {
    const run = (name, count) => name === 'bare' ? pages.server.page.evaluate(bareCalls, { n: count }) : pages[name].page.evaluate(calls, { n: count })
    for (const name of ['server', 'browser', 'bare']) await run(name, warmup)
    const perCall = { server: [], browser: [], bare: [] }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? ['browser', 'bare', 'server'] : ['server', 'bare', 'browser']
      for (const name of order) perCall[name].push(await run(name, n) / n)
      if (log && (r + 1) % 10 === 0) log(`B7: round ${r + 1}/${rounds}`)
    }
    const ratios = perCall.server.map((v, i) => v / perCall.browser[i])
    const bareRatios = perCall.bare.map((v, i) => v / perCall.browser[i])
    const overBare = perCall.server.map((v, i) => v / perCall.bare[i])
    const { q1, q3 } = quartiles(ratios)
    const server = round(median(perCall.server), 4)
    const browserMs = round(median(perCall.browser), 4)
    return {
      calls: n,
      rounds,
      server: { medianMs: server },
      browser: { medianMs: browserMs },
      ratio: round(server / browserMs, 3),
      paired: { median: round(median(ratios), 3), q1: round(q1, 3), q3: round(q3, 3) },
      bare: { medianMs: round(median(perCall.bare), 4), pairedVsBrowser: round(median(bareRatios), 3), proxyPairedVsBare: round(median(overBare), 3) },
    }
  }
  finally {
    for (const { context } of Object.values(pages)) await context.close()
  }
}
