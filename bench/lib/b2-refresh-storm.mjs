// B2 — refresh storm. With every token past its expiry, 100 concurrent userPool calls; how many
// token refreshes reach the user pool (the backend's counter, read before and after). The module
// and the hand-written set-up take turns (module first in even rounds), never at the same time,
// so that each delta belongs to one app. A round starts only when both apps' tokens have expired.
import { openFrames, signInBoth } from './session.mjs'
import { median, sleep, waitFor } from './util.mjs'

function moduleStorm({ n }) {
  return (async () => {
    const api = window.$restApi
    const started = performance.now()
    const settled = await Promise.allSettled(Array.from({ length: n }, () => api.get('echo', { apiName: 'userPool' })))
    const ms = performance.now() - started
    const failed = settled.filter(s => s.status === 'rejected' || s.value?.verified !== true)
    return { ms, ok: n - failed.length, firstError: failed[0] ? String(failed[0].reason?.name ?? '') + ': ' + String(failed[0].reason?.message ?? JSON.stringify(failed[0].value)) : null }
  })()
}

function handwrittenStorm({ n }) {
  return (async () => {
    const { get } = window.$handwritten
    const started = performance.now()
    const settled = await Promise.allSettled(Array.from({ length: n }, async () => {
      const { body } = await get({ apiName: 'userPool', path: '/echo' }).response
      return body.json()
    }))
    const ms = performance.now() - started
    const failed = settled.filter(s => s.status === 'rejected' || s.value?.verified !== true)
    return { ms, ok: n - failed.length, firstError: failed[0] ? String(failed[0].reason?.name ?? '') + ': ' + String(failed[0].reason?.message ?? JSON.stringify(failed[0].value)) : null }
  })()
}

/** Expiry (epoch ms) of the ID token the app holds, read from its storage without asking Amplify (which would refresh). */
function storedIdTokenExpiry() {
  const fromCookies = document.cookie.split('; ').map(pair => pair.split('=')).filter(([name]) => decodeURIComponent(name).endsWith('.idToken')).map(([, value]) => decodeURIComponent(value))
  const fromStorage = Object.keys(localStorage).filter(key => key.endsWith('.idToken')).map(key => localStorage.getItem(key))
  const token = [...fromStorage, ...fromCookies].find(Boolean)
  if (!token) return null
  const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')))
  return payload.exp * 1000
}

export async function runB2({ browser, backend, framePageUrl, user, storm, rounds, tokenSeconds, log }) {
  const { context, frames, errors } = await openFrames(browser, framePageUrl)
  try {
    await signInBoth(frames, user)
    const counts = { module: [], handwritten: [] }
    const timings = { module: [], handwritten: [] }
    const waitUntilExpired = async () => {
      for (const frame of [frames.module, frames.handwritten]) {
        await waitFor(async () => {
          const exp = frame === frames.module
            ? await frame.evaluate(`(window.$amplifyAuth.expiresAt ?? (${storedIdTokenExpiry})())`)
            : await frame.evaluate(storedIdTokenExpiry)
          if (exp === null) throw new Error('no stored ID token')
          return Date.now() > exp + 250
        }, { timeoutMs: (tokenSeconds + 10) * 1000, intervalMs: 250, message: 'tokens did not expire' })
      }
    }
    for (let r = 0; r < rounds; r++) {
      await waitUntilExpired()
      const order = r % 2 === 0 ? ['module', 'handwritten'] : ['handwritten', 'module']
      for (const variant of order) {
        const before = backend.stats.refreshes
        const outcome = variant === 'module'
          ? await frames.module.evaluate(moduleStorm, { n: storm })
          : await frames.handwritten.evaluate(handwrittenStorm, { n: storm })
        await sleep(300) // late refreshes (e.g. Hub listeners) still count for this app
        const refreshes = backend.stats.refreshes - before
        if (outcome.ok !== storm) throw new Error(`B2 ${variant}: ${storm - outcome.ok} of ${storm} calls failed after expiry (${outcome.firstError})`)
        counts[variant].push(refreshes)
        timings[variant].push(outcome.ms)
      }
      log(`B2: round ${r + 1}/${rounds}: refreshes module ${counts.module.at(-1)}, hand-written ${counts.handwritten.at(-1)}`)
      backend.clearRequests()
    }
    return {
      concurrentCalls: storm,
      rounds,
      tokenValiditySeconds: tokenSeconds,
      module: { refreshes: counts.module, medianRefreshes: median(counts.module), maxRefreshes: Math.max(...counts.module), stormMs: timings.module.map(Math.round) },
      handwritten: { refreshes: counts.handwritten, medianRefreshes: median(counts.handwritten), maxRefreshes: Math.max(...counts.handwritten), stormMs: timings.handwritten.map(Math.round) },
      ...(errors.length ? { pageErrors: errors.slice(0, 5) } : {}),
    }
  }
  finally {
    await context.close()
  }
}
