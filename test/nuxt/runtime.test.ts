// The module's runtime inside the root Nuxt app (nuxt.config.ts), in happy-dom: the plugin's
// wiring, typed errors raised before anything is sent, the store's shape and the request hook.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { InvalidHeaderError, UnknownApiError, useAmplifyAuth, useAmplifyAuthStore, useNuxtApp, useRestApi, useRuntimeConfig } from '#imports'
import type { RestRequestContext } from '../../src/module'

// The rejection of a call, typed loosely so a test can read the error's fields.
function failure(call: Promise<unknown>) {
  return call.then(
    () => { throw new Error('expected the call to be refused') },
    (error: unknown) => error as Error & Record<string, unknown>,
  )
}

describe('module runtime in a Nuxt app', () => {
  it('provides $restApi, the same object as useRestApi()', () => {
    const nuxtApp = useNuxtApp()
    expect(useRestApi()).toBe(nuxtApp.$restApi)
    expect(Object.keys(nuxtApp.$restApi).sort()).toEqual(['del', 'get', 'head', 'patch', 'post', 'put'])
  })

  it('exposes the resolved options at runtimeConfig.public.amplify', () => {
    const { amplify } = useRuntimeConfig().public
    expect(amplify.defaultApi).toBe('items')
    expect(amplify.rest.items).toMatchObject({ endpoint: 'http://127.0.0.1:9/items-api', authMode: 'userPool', token: 'id', region: 'us-east-1' })
    expect(amplify.ssr).toBe(true)
  })

  it('rejects an unknown API with the list of known ones', async () => {
    // @ts-expect-error a name that is not configured is a type error too
    const error = await failure(useRestApi().get('x', { apiName: 'nope' }))
    expect(error).toBeInstanceOf(UnknownApiError)
    expect(error.name).toBe('UnknownApiError')
    expect(error.message).toContain('"items"')
    expect(error.message).toContain('"open"')
  })

  it('refuses a userPool call while signed out, before sending: the API\'s server receives nothing', async () => {
    // The items API pointed (in the options and in Amplify's configuration) at a server on
    // 127.0.0.1 that records every request it receives, preflights included.
    const received: { method: string, url: string, authorization?: string }[] = []
    const server = createServer((request, response) => {
      received.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization })
      response.writeHead(200, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*, authorization',
        'access-control-allow-methods': 'GET',
        'content-type': 'application/json',
      })
      response.end('{"ok":true}')
    })
    await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items-api`
    const items = useRuntimeConfig().public.amplify.rest.items as { endpoint: string }
    const configured = Amplify.getConfig()
    const originalEndpoint = items.endpoint
    try {
      items.endpoint = endpoint
      Amplify.configure({ ...configured, API: { REST: { ...configured.API!.REST!, items: { endpoint, region: 'us-east-1' } } } })

      const store = useAmplifyAuthStore()
      const error = await failure(useRestApi().get('things'))
      expect(error.name).toBe('NotSignedInError')
      expect(store.status).toBe('signedOut')
      expect(store.isSignedIn).toBe(false)
      expect(received).toEqual([])

      // The same server does see a call that brings its own Authorization (no token needed).
      await expect(useRestApi().get('things', { headers: { Authorization: 'own-token' } })).resolves.toEqual({ ok: true })
      expect(received.filter(request => request.method === 'GET')).toEqual([{ method: 'GET', url: '/items-api/things', authorization: 'own-token' }])
    }
    finally {
      items.endpoint = originalEndpoint
      Amplify.configure(configured)
      await new Promise(done => server.close(done))
    }
  })

  it('refuses paths that leave the endpoint', async () => {
    for (const path of ['https://evil.example/x', '//evil.example/x', '../secrets', '%2e%2e/x']) {
      const error = await failure(useRestApi().get(path, { apiName: 'open' }))
      expect(error.name, path).toBe('InvalidPathError')
    }
  })

  it('runs the amplify:rest:request hook and checks what it sets', async () => {
    const nuxtApp = useNuxtApp()
    const seen: string[] = []
    // Apps get this hook typed through the built module's types; the module's own tests see the source.
    const hook = nuxtApp.hook as unknown as (name: string, fn: (context: RestRequestContext) => void) => () => void
    const off = hook('amplify:rest:request', (context) => {
      seen.push(`${context.method} ${context.apiName} ${context.path} ${context.authMode}`)
      context.headers['x-trace'] = 'bad\r\nvalue'
    })
    const error = await failure(useRestApi().get('items/1', { apiName: 'open' }))
    off()
    expect(seen).toEqual(['GET open /items/1 none'])
    expect(error.name).toBe('InvalidHeaderError')
    expect(error.message).toContain('x-trace')
    expect(error.message).not.toContain('bad')
  })

  it('has the auth store under id amplify-auth with the documented API', () => {
    const store = useAmplifyAuth()
    expect(store.$id).toBe('amplify-auth')
    for (const key of ['status', 'isSignedIn', 'user', 'idToken', 'accessToken', 'signIn', 'signOut', 'refresh', 'setCustomToken'])
      expect(store, key).toHaveProperty(key)
    store.setCustomToken('abc')
    expect(store.customToken).toBe('abc')
    expect(() => store.setCustomToken('a\nb')).toThrow(InvalidHeaderError)
    store.setCustomToken(null)
  })

  it('keeps every token out of the state Pinia serializes into the payload', () => {
    const store = useAmplifyAuth()
    const jwt = (payload: Record<string, unknown>, text: string) => ({ payload, toString: () => text })
    const exp = Math.floor(Date.now() / 1000) + 3600
    const tokens = {
      idToken: jwt({ sub: 's', exp, iat: exp - 3600 }, 'ID-TOKEN-SECRET'),
      accessToken: jwt({ sub: 's', username: 'alice', exp, iat: exp - 3600 }, 'ACCESS-TOKEN-SECRET'),
    }
    // As the server plugin does for a request, then a custom token set during rendering.
    store.attachServerSession({ server: true, getTokens: async () => tokens as never }, {
      status: 'signedIn', user: { userId: 's', username: 'alice', groups: [] }, idToken: 'ID-TOKEN-SECRET', accessToken: 'ACCESS-TOKEN-SECRET', expiresAt: exp * 1000, refreshAt: exp * 1000 - 60_000,
    })
    store.setCustomToken('CUSTOM-TOKEN-SECRET')
    expect(store.idToken).toBe('ID-TOKEN-SECRET')
    expect(store.accessToken).toBe('ACCESS-TOKEN-SECRET')
    expect(store.customToken).toBe('CUSTOM-TOKEN-SECRET')
    const serialized = JSON.stringify(useNuxtApp().$pinia.state.value)
    expect(serialized).toContain('"alice"')
    expect(serialized).not.toMatch(/TOKEN-SECRET/)
    expect(Object.keys(store.$state).sort()).toEqual(['error', 'expiresAt', 'refreshAt', 'status', 'user'])
    store.setCustomToken(null)
  })
})
