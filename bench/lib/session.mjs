// Driving the two fixture apps inside a page: wait for their plugins, sign in through each app's own
// code (the module's store, and the hand-written signIn), and one echo call per variant.
import { waitFor } from './util.mjs'

const isModuleFrame = name => name.startsWith('module')

/** Opens `url` (the frame page) in a fresh context; resolves the page and its frames by name. */
export async function openFrames(browser, url, names = ['module', 'handwritten'], { timeoutMs = 30_000 } = {}) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', error => errors.push(error.message))
  await page.goto(url)
  const frames = await waitFor(() => {
    const found = Object.fromEntries(names.map(name => [name, page.frame({ name })]))
    return Object.values(found).every(Boolean) && found
  }, { timeoutMs, message: `frames ${names.join(', ')} did not attach` })
  for (const name of names) {
    if (isModuleFrame(name)) await frames[name].waitForFunction(() => window.$restApi !== undefined && window.$amplifyAuth?.status !== 'unknown', null, { timeout: timeoutMs })
    else await frames[name].waitForFunction(() => window.$handwritten !== undefined, null, { timeout: timeoutMs })
  }
  return { context, page, frames, errors }
}

/** Signs `user` in through each app's own code and waits until each app says it is signed in. */
export async function signInBoth(frames, user) {
  for (const [name, frame] of Object.entries(frames)) {
    if (isModuleFrame(name)) {
      await frame.evaluate(async ({ username, password }) => {
        const result = await window.$amplifyAuth.signIn({ username, password })
        if (!result?.isSignedIn) throw new Error(`module sign-in did not complete: ${JSON.stringify(result?.nextStep)}`)
      }, user)
      await frame.waitForFunction(() => window.$amplifyAuth.status === 'signedIn', null, { timeout: 15_000 })
    }
    else {
      await frame.evaluate(async ({ username, password }) => {
        // Frames on one host share cookies: a cookie-storage app finds the user the module's frame
        // signed in already (same user, same tokens); it signs in itself otherwise.
        if (!(await window.$handwritten.fetchAuthSession()).tokens) {
          const result = await window.$handwritten.signIn(username, password)
          if (!result?.isSignedIn) throw new Error(`hand-written sign-in did not complete: ${JSON.stringify(result?.nextStep)}`)
        }
        const { tokens } = await window.$handwritten.fetchAuthSession()
        if (!tokens?.idToken) throw new Error('hand-written app has no ID token after sign-in')
      }, user)
    }
  }
}

/** The echo fields that say what the server verified; must be the same for every variant. */
export const ECHO_FIELDS = ['mode', 'verified', 'role', 'tokenUse', 'signed', 'hasApiKey', 'username']

export function pickEcho(body) {
  return Object.fromEntries(ECHO_FIELDS.map(key => [key, body?.[key] ?? null]))
}
