// Driving the playground in a page: what its console plugin exposes (window.$restApi,
// window.$amplifyAuth) and the status line every page shows.
import type { Page } from 'playwright-core'
import type { LocalUser } from '../../src/local'

/** Waits until the app's plugins ran and `$restApi` is there. */
export async function waitForApp(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { $restApi?: unknown }).$restApi !== undefined, undefined, { timeout })
}

/** Signs `user` in through the store, as the sign-in form does, and waits for the status line. */
export async function signInPage(page: Page, user: Pick<LocalUser, 'username' | 'password'>): Promise<void> {
  await page.evaluate(async ([username, password]) => {
    const auth = (window as unknown as { $amplifyAuth: { signIn: (input: unknown) => Promise<unknown> } }).$amplifyAuth
    await auth.signIn({ username, password })
  }, [user.username, user.password] as const)
  await page.getByTestId('auth-status').filter({ hasText: `signedIn as ${user.username}` }).waitFor({ timeout: 15_000 })
}

/** Signs out through the store and waits for the status line. */
export async function signOutPage(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { $amplifyAuth: { signOut: () => Promise<void> } }).$amplifyAuth.signOut())
  await page.getByTestId('auth-status').filter({ hasText: 'signedOut' }).waitFor({ timeout: 15_000 })
}
