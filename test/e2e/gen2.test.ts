// A Gen 2 app (test/fixtures/gen2): one amplify_outputs.json with auth, data, storage and a REST API, built
// once and run against the local backend with its GraphQL endpoint. Real Chromium, real Amplify:
//  - generateClient() Data calls in the browser carry the signed-in user (the endpoint verifies the
//    JWT), guests read with guest IAM credentials (SigV4 verified), next to $restApi calls;
//  - runWithAmplify: the same during SSR from a page and in a Nitro route, with the request's cookies;
//  - Storage (aws-amplify/storage) against the local S3 stand-in, whose S3 host name Chromium and the
//    server resolve to it (--host-resolver-rules, test/utils/s3-host.mjs): SigV4 verified, per identity;
//  - app code adding library options through `amplify:configure` keeps the module's REST headers;
//    a second Amplify.configure by app code is reported at once.
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setup, startServer, url } from '@nuxt/test-utils/e2e'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startLocalBackend } from '../../src/local'
import { freePort } from '../../src/local/http'
import type { LocalBackend } from '../../src/local'
import { collectConsole, launchBrowser } from '../utils/browser'
import { amplifyEnv } from '../utils/env'
import { signInPage, waitForApp } from '../utils/page'
import { enableTotp, totp } from '../utils/totp'

const fixture = fileURLToPath(new URL('../fixtures/gen2', import.meta.url))

describe('a Gen 2 app', async () => {
  let backend: LocalBackend
  let browser: Browser
  let alice: BrowserContext

  // The app's URL is in the outputs' oauth redirect URIs, so its port is chosen before it starts.
  const port = await freePort('127.0.0.1')
  const origin = `http://127.0.0.1:${port}`
  await setup({ rootDir: fixture, build: true, server: false, browser: false, setupTimeout: 600_000, serverStartTimeout: 240_000, port })

  beforeAll(async () => {
    backend = await startLocalBackend({ graphql: true, oauth: { callbackUrls: [`${origin}/`], logoutUrls: [`${origin}/`] }, storage: true })
    const storage = backend.storage!
    const { auth, rest } = backend.amplify
    await startServer({
      env: {
        ...amplifyEnv({ auth, rest: { userPool: rest.userPool, iam: rest.iam } }),
        ...amplifyEnv({ outputs: { data: { url: backend.graphql!.url, api_key: backend.graphql!.apiKey } } }),
        ...amplifyEnv({ outputs: { auth: { oauth: { domain: backend.oauth!.domain } } } }),
        NUXT_PUBLIC_AMPLIFY_OUTPUTS_AUTH_OAUTH_REDIRECT_SIGN_IN_URI: JSON.stringify([`${origin}/`]),
        NUXT_PUBLIC_AMPLIFY_OUTPUTS_AUTH_OAUTH_REDIRECT_SIGN_OUT_URI: JSON.stringify([`${origin}/`]),
        ...amplifyEnv({ outputs: { storage: { bucket_name: storage.bucket, aws_region: storage.region } } }),
        // The server reaches the bucket's S3 host name at the local storage server (test/utils/s3-host.mjs).
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(fileURLToPath(new URL('../utils/s3-host.mjs', import.meta.url))).href}`.trim(),
        LOCAL_S3_HOST_MAP: JSON.stringify({ host: storage.host, port: storage.port, certificate: storage.certificate }),
      },
    })
    // The same for Chromium; contexts that call Storage accept the server's self-signed certificate.
    browser = await launchBrowser([`--host-resolver-rules=MAP ${storage.host} 127.0.0.1:${storage.port}`])
    alice = await browser.newContext({ ignoreHTTPSErrors: true })
    const page = await alice.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    await signInPage(page, backend.users.find(u => u.username === 'alice')!)
    await page.close()
  })
  afterAll(async () => {
    await browser?.close()
    await backend?.stop()
  })

  async function click(page: Page, testId: string): Promise<string> {
    await page.evaluate(() => {
      document.querySelector('[data-testid=result]')!.textContent = ''
    })
    await page.getByTestId(testId).click()
    const result = page.getByTestId('result')
    await result.filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 })
    return (await result.textContent())!
  }

  it('generateClient() in the browser writes and reads as the signed-in user (JWT verified by the endpoint)', async () => {
    const page = await alice.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    await page.fill('input[name=content]', 'milk from the browser')
    expect(JSON.parse(await click(page, 'create'))).toMatchObject({ content: 'milk from the browser', owner: 'alice' })
    expect(backend.graphql!.requests.at(-1)).toMatchObject({ authMode: 'userPool', username: 'alice', operation: 'createTodo', status: 200 })
    expect(JSON.parse(await click(page, 'list'))).toEqual(['alice:milk from the browser'])
    await page.close()
  })

  it('$restApi keeps its mode next to Data, and app code\'s own REST header is added, not swapped in', async () => {
    const page = await alice.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    const before = backend.requests.length
    expect(JSON.parse(await click(page, 'echo'))).toMatchObject({ api: 'userPool', verified: true, username: 'alice', tokenUse: 'id' })
    const received = backend.requests.slice(before).find(r => !r.preflight && r.path.endsWith('/echo'))!
    expect(received.verified).toBe(true)
    expect(received.headers['x-app-header']).toBe('added-by-app')
    expect(await click(page, 'storage-prefix')).toBe('"/app-prefix/guest/photo.jpg"')
    await page.close()
  })

  it('a guest reads Data with guest IAM credentials (SigV4 verified)', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    expect(JSON.parse(await click(page, 'guest-list'))).toContain('alice:milk from the browser')
    expect(backend.graphql!.requests.at(-1)).toMatchObject({ authMode: 'iam', role: 'guest', username: null, status: 200 })
    await context.close()
  })

  it('runWithAmplify during SSR renders the user\'s todos with the request\'s cookies', async () => {
    const before = backend.graphql!.requests.length
    const html = await (await alice.request.get(url('/todos'))).text()
    expect(html).toMatch(/<li[^>]*>alice:milk from the browser<\/li>/)
    expect(backend.graphql!.requests.slice(before)).toEqual([expect.objectContaining({ authMode: 'userPool', username: 'alice', operation: 'listTodos' })])
    // Signed out: no user, so the user-pool call is refused and nothing of alice's is rendered.
    const guestHtml = await (await fetch(url('/todos'))).text()
    expect(guestHtml).not.toContain('alice:milk')
  })

  it('runWithAmplify in a Nitro route: the user\'s identity, and guest IAM credentials for a signed-out request', async () => {
    const mine = await (await alice.request.get(url('/api/todos'))).json()
    expect(mine).toEqual({ todos: ['alice:milk from the browser'] })
    const guest = await (await fetch(url('/api/todos?authMode=iam'))).json()
    expect(guest).toEqual({ todos: ['alice:milk from the browser'] })
    expect(backend.graphql!.requests.at(-1)).toMatchObject({ authMode: 'iam', role: 'guest', status: 200 })
  })

  it('runWithAmplify with aws-amplify/storage/server signs with the same credentials as the request\'s iam REST call', async () => {
    const credentialOf = (authorization: unknown) => /Credential=([^/]+)\//.exec(String(authorization))?.[1]
    const lastIamEcho = () => backend.requests.filter(r => r.api === 'iam' && r.path.endsWith('/echo') && !r.preflight).at(-1)!
    const mine = await (await alice.request.get(url('/api/photo-url'))).json() as { url: string, role: string }
    const signedUrl = new URL(mine.url)
    expect(signedUrl.hostname).toBe(backend.storage!.host)
    expect(signedUrl.pathname).toBe('/public/photo.jpg')
    expect(mine.role).toBe('authenticated')
    const aliceKey = signedUrl.searchParams.get('X-Amz-Credential')!.split('/')[0]
    expect(aliceKey).toBe(credentialOf(lastIamEcho().headers.authorization))
    const guest = await (await fetch(url('/api/photo-url'))).json() as { url: string, role: string }
    expect(guest.role).toBe('guest')
    const guestKey = new URL(guest.url).searchParams.get('X-Amz-Credential')!.split('/')[0]
    expect(guestKey).toBe(credentialOf(lastIamEcho().headers.authorization))
    expect(guestKey).not.toBe(aliceKey)
  })

  it('app code\'s server library options (Nitro hook amplify:configure) reach the request\'s context without costing the module\'s', async () => {
    const before = backend.requests.length
    const answer = await (await alice.request.get(url('/api/server-options'))).json() as { prefixPath: string, username: string, verified: boolean }
    expect(answer.prefixPath).toBe('/server-prefix/guest/photo.jpg')
    expect(answer).toMatchObject({ username: 'alice', verified: true })
    const received = backend.requests.slice(before).find(r => !r.preflight && r.api === 'userPool' && r.path.endsWith('/echo'))!
    expect(received.verified).toBe(true)
    expect(received.headers['x-app-header']).toBe('added-on-server')
  })

  it('Storage in the browser: the signed-in user uploads and downloads a private file (SigV4 verified, their identity); another user and a guest are refused', async () => {
    const page = await alice.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    const before = backend.storage!.requests.length
    await page.fill('input[name=content]', 'alice\'s private note')
    const path = JSON.parse(await click(page, 'storage-upload')) as string
    const aliceId = backend.storage!.requests.at(-1)!.identityId!
    expect(path).toBe(`private/${aliceId}/hello.txt`)
    expect(backend.storage!.requests.slice(before)).toEqual([expect.objectContaining({ operation: 'PutObject', key: path, role: 'authenticated', username: 'alice', status: 200 })])
    expect(backend.storage!.objects.get(path)?.body.toString()).toBe('alice\'s private note')
    await page.fill('input[name=path]', path)
    expect(JSON.parse(await click(page, 'storage-download'))).toBe('alice\'s private note')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ operation: 'GetObject', key: path, identityId: aliceId, username: 'alice', status: 200 })
    expect(JSON.parse(await click(page, 'storage-list'))).toEqual([path])
    await page.close()

    const bob = await browser.newContext({ ignoreHTTPSErrors: true })
    const bobPage = await bob.newPage()
    await bobPage.goto(url('/'))
    await waitForApp(bobPage)
    await signInPage(bobPage, backend.users.find(u => u.username === 'bob')!)
    await bobPage.goto(url('/'))
    await waitForApp(bobPage)
    await bobPage.fill('input[name=path]', path)
    expect(await click(bobPage, 'storage-download')).toBe('error: AccessDenied: Access Denied')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ operation: 'GetObject', key: path, username: 'bob', role: 'authenticated', status: 403 })
    expect(backend.storage!.requests.at(-1)!.identityId).not.toBe(aliceId)
    await bob.close()

    const guest = await browser.newContext({ ignoreHTTPSErrors: true })
    const guestPage = await guest.newPage()
    await guestPage.goto(url('/'))
    await waitForApp(guestPage)
    await guestPage.fill('input[name=path]', path)
    expect(await click(guestPage, 'storage-download')).toBe('error: AccessDenied: Access Denied')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ operation: 'GetObject', key: path, role: 'guest', username: null, status: 403 })
    await guest.close()
  })

  it('runWithAmplify with aws-amplify/storage/server lists the user\'s files during SSR and in a Nitro route, with the request\'s identity', async () => {
    const aliceId = backend.storage!.requests.find(r => r.username === 'alice')!.identityId!
    const before = backend.storage!.requests.length
    const html = await (await alice.request.get(url('/files'))).text()
    expect(html).toMatch(new RegExp(`<li[^>]*>private/${aliceId}/hello.txt</li>`))
    expect(backend.storage!.requests.slice(before)).toEqual([expect.objectContaining({ operation: 'ListObjectsV2', key: `private/${aliceId}/`, identityId: aliceId, username: 'alice', status: 200 })])
    expect(await (await alice.request.get(url('/api/files'))).json()).toEqual({ files: [`private/${aliceId}/hello.txt`] })
    // Signed out: the guest identity has no private folder; nothing of alice's is rendered.
    const guestHtml = await (await fetch(url('/files'))).text()
    expect(guestHtml).not.toContain('hello.txt')
    expect(guestHtml).toContain('error: AccessDenied')
    expect(backend.storage!.requests.at(-1)).toMatchObject({ operation: 'ListObjectsV2', role: 'guest', status: 403 })
  })

  it('signInWithRedirect: emulated Hosted UI with a social provider (PKCE verified), then REST, SSR, and sign-out through /logout', async () => {
    // The Cognito domain's certificate is made at start by the backend: this context trusts it.
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    const page = await context.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    await page.getByTestId('social-sign-in').click()
    await page.waitForURL(/^https:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?/)
    expect(new URL(page.url()).searchParams.get('identity_provider')).toBe('Google')
    const lines = collectConsole(page)
    await page.getByTestId('social-bob').click()
    await page.getByTestId('auth-status').filter({ hasText: 'signedIn as bob' }).waitFor({ timeout: 20_000 }).catch((error: Error) => {
      throw new Error(`${error.message}\nat ${page.url()}\nconsole: ${lines.join('\n')}\noauth: ${JSON.stringify(backend.oauth!.requests)}`)
    })
    expect(backend.oauth!.requests.filter(r => r.endpoint === 'token')).toEqual([expect.objectContaining({ status: 200, pkceVerified: true, username: 'bob' })])
    await waitForApp(page)
    expect(JSON.parse(await click(page, 'echo'))).toMatchObject({ api: 'userPool', verified: true, username: 'bob' })
    const html = await (await context.request.get(url('/'))).text()
    expect(html).toMatch(/data-testid="auth-status"[^>]*>\s*signedIn as bob/)
    await page.getByTestId('sign-out').click()
    await page.waitForURL(`${origin}/`)
    await page.getByTestId('auth-status').filter({ hasText: 'signedOut' }).waitFor({ timeout: 20_000 })
    expect(backend.oauth!.requests.at(-1)).toMatchObject({ endpoint: 'logout', status: 302 })
    const after = await (await context.request.get(url('/'))).text()
    expect(after).not.toContain('signedIn as bob')
    await context.close()
  })

  it('a second Amplify.configure by app code is reported at once, naming the fix', async () => {
    const page = await alice.newPage()
    const lines = collectConsole(page)
    await page.goto(url('/'))
    await waitForApp(page)
    expect(await click(page, 'reconfigure')).toBe('"reconfigured"')
    const report = lines.find(line => line.includes('Amplify.configure() was called again'))
    expect(report).toMatch(/^error: /)
    expect(report).toContain('token storage')
    expect(report).toContain('amplify:configure')
    await page.close()
  })

  it('confirmSignIn in the browser: a TOTP MFA step from signIn, answered through the store, then a userPool REST call', async () => {
    // Last in this file: bob gets an authenticator app (cognito-local emulates TOTP MFA).
    const bob = backend.users.find(u => u.username === 'bob')!
    const secret = await enableTotp(backend, bob.username, bob.password)
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(url('/'))
    await waitForApp(page)
    type Step = { isSignedIn: boolean, nextStep: { signInStep: string } }
    const step = (action: 'signIn' | 'confirmSignIn', input: unknown) => page.evaluate(async ([action, input]) => {
      const store = (window as unknown as { $amplifyAuth: Record<string, (i: unknown) => Promise<Step>> }).$amplifyAuth
      try {
        const { isSignedIn, nextStep } = await store[action as string]!(input)
        return { isSignedIn, nextStep: { signInStep: nextStep.signInStep } }
      }
      catch (error) {
        return { error: `${(error as Error).name}: ${(error as Error).message}` }
      }
    }, [action, input] as const)
    expect(await step('signIn', { username: bob.username, password: bob.password })).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } })
    expect(await page.getByTestId('auth-status').textContent()).not.toContain('signedIn')
    expect(await step('confirmSignIn', { challengeResponse: totp(secret) })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } })
    await page.getByTestId('auth-status').filter({ hasText: 'signedIn as bob' }).waitFor({ timeout: 15_000 })
    const before = backend.requests.length
    expect(JSON.parse(await click(page, 'echo'))).toMatchObject({ api: 'userPool', verified: true, username: 'bob' })
    expect(backend.requests.slice(before).find(r => !r.preflight && r.path.endsWith('/echo'))).toMatchObject({ verified: true })
    await context.close()
  })
})
