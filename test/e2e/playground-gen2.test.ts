// The playground's Gen 2 panel, built as `npm run dev` builds it with AMPLIFY_LOCAL_GEN2 (placeholder
// URLs, pointed at the local backend's GraphQL endpoint and Cognito domain at run time). Real
// Chromium: a guest's Data query (guest IAM, SigV4 verified), "Sign in with FakeSocial" (PKCE
// verified by the emulated domain), then a Data write and list as that user (JWT verified).
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import { freePort } from '../../src/local/http'
import type { LocalBackend } from '../../src/local'
import { launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { waitForApp } from '../utils/page'

describe('the playground\'s Gen 2 panel', async () => {
  let backend: LocalBackend
  let browser: Browser
  const port = await freePort('127.0.0.1')
  // Read by playground/amplify-options.ts when the app is built (in this worker, by setup's build).
  process.env.AMPLIFY_LOCAL_GEN2 = JSON.stringify({ dataUrl: 'http://127.0.0.1:1/graphql', apiKey: 'placeholder', oauthDomain: '127.0.0.1:1', redirectUris: [`http://127.0.0.1:${port}/`], storage: { bucket: 'placeholder-bucket', region: 'us-east-1' } })
  await setup({ rootDir: fileURLToPath(new URL('../../playground', import.meta.url)), build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000, port })

  beforeAll(async () => {
    backend = await startLocalBackend({ graphql: true, oauth: { callbackUrls: [`http://127.0.0.1:${port}/`], logoutUrls: [`http://127.0.0.1:${port}/`] }, storage: true, startupTimeout: 60_000 })
    await startServer({
      env: {
        ...amplifyEnv(backend.amplify),
        ...amplifyEnv({ outputs: { data: { url: backend.graphql!.url, api_key: backend.graphql!.apiKey } } }),
        ...amplifyEnv({ outputs: { auth: { oauth: { domain: backend.oauth!.domain } } } }),
        ...amplifyEnv({ outputs: { storage: { bucket_name: backend.storage!.bucket } } }),
      },
    })
    // Chromium reaches the bucket's S3 host name at the local storage server (see the README).
    browser = await launchBrowser([`--host-resolver-rules=MAP ${backend.storage!.host} 127.0.0.1:${backend.storage!.port}`])
  })
  afterAll(async () => {
    delete process.env.AMPLIFY_LOCAL_GEN2
    await browser?.close()
    await backend?.stop()
  })

  it('lists todos as a guest, signs in with FakeSocial, then writes and lists as that user, and uploads a file', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    const page = await context.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    await page.getByTestId('gen2-list').click()
    await expect.poll(() => backend.graphql!.requests.at(-1), { timeout: 15_000 }).toMatchObject({ authMode: 'iam', role: 'guest', operation: 'listTodos', status: 200 })
    await page.getByTestId('gen2-social-sign-in').click()
    await page.waitForURL(/^https:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?/)
    await page.getByTestId('social-bob').click()
    await page.getByTestId('auth-status').filter({ hasText: 'signedIn as bob' }).waitFor({ timeout: 20_000 })
    expect(backend.oauth!.requests.filter(r => r.endpoint === 'token')).toEqual([expect.objectContaining({ status: 200, pkceVerified: true, username: 'bob' })])
    await waitForApp(page)
    await page.getByTestId('gen2-content').fill('from the playground')
    await page.getByTestId('gen2-create').click()
    await page.getByTestId('gen2-todos').filter({ hasText: 'bob: from the playground' }).waitFor({ timeout: 15_000 })
    expect(backend.graphql!.requests.filter(r => r.operation === 'createTodo')).toEqual([expect.objectContaining({ authMode: 'userPool', username: 'bob', status: 200 })])
    // Storage: a note into bob's private folder (SigV4 verified, bob's identity), then listed.
    await page.getByTestId('gen2-note').fill('a note from the playground')
    await page.getByTestId('gen2-upload').click()
    await page.getByTestId('gen2-file-list').filter({ hasText: /private\/.+\/note-\d+\.txt \(26 B\)/ }).waitFor({ timeout: 15_000 })
    expect(backend.storage!.requests.map(r => [r.operation, r.username, r.status])).toEqual([['PutObject', 'bob', 200], ['ListObjectsV2', 'bob', 200]])
    expect([...backend.storage!.objects.values()].map(o => o.body.toString())).toEqual(['a note from the playground'])
    await context.close()
  })
})
