// The server's cookie storage for Amplify, inside a real h3 server over HTTP: what a request's
// cookies give Amplify (only verified tokens, never the browser's clockDrift), which attributes
// the Set-Cookie headers carry (the Secure rule), and when a response is marked private.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, defineEventHandler, setResponseHeader, toNodeListener } from 'h3'
import type { H3Event } from 'h3'
import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { cookieStorage, PRIVATE_CACHE_CONTROL } from '../../src/runtime/server/cookie-storage'
import type { CookieStorageHooks } from '../../src/runtime/server/cookie-storage'
import { mergeOptions } from '../../src/options'
import type { ModuleOptions } from '../../src/runtime/shared/option-types'
import { cookieSecure, parseCookieString, tokenKeyKind } from '../../src/runtime/shared/cookies'

const PREFIX = 'CognitoIdentityServiceProvider.client.alice'
let server: Server | undefined
afterEach(() => new Promise<void>(resolve => server ? server.close(() => resolve()) : resolve()))

/** Serves one route that runs `body` with the request's storage; returns the response. */
async function request(body: (storage: ReturnType<typeof cookieStorage>, event: H3Event) => Promise<unknown>, init: { cookie?: string, headers?: Record<string, string>, options?: ModuleOptions, hooks?: CookieStorageHooks } = {}) {
  const options = mergeOptions({ auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_x', userPoolClientId: 'client' }, ...init.options }).options
  const app = createApp()
  app.use(defineEventHandler(async event => ({ result: await body(cookieStorage(event, options, init.hooks), event) })))
  server = createServer(toNodeListener(app))
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...init.headers } })
  return { response, result: ((await response.json()) as { result: unknown }).result }
}
const acceptAll: CookieStorageHooks = { verify: async () => ({ ok: true, payload: {}, expired: false }) }

describe('what Amplify reads from a request\'s cookies', () => {
  it('a token cookie only when the check accepts it; the reason of a refusal is not the token', async () => {
    const seen: string[] = []
    const hooks: CookieStorageHooks = {
      verify: async (token, use) => {
        seen.push(`${use}:${token}`)
        return token === 'good' ? { ok: true, payload: {}, expired: false } : { ok: false, reason: 'signature' }
      },
    }
    const { result } = await request(async s => [await s.getItem(`${PREFIX}.idToken`), await s.getItem(`${PREFIX}.accessToken`), await s.getItem(`${PREFIX}.refreshToken`)],
      { cookie: `${PREFIX}.idToken=good; ${PREFIX}.accessToken=forged; ${PREFIX}.refreshToken=r`, hooks })
    expect(result).toEqual(['good', null, 'r'])
    expect(seen).toEqual(['id:good', 'access:forged'])
  })

  it('no token cookie at all without a user pool to check it against', async () => {
    const { result } = await request(async s => s.getItem(`${PREFIX}.idToken`), { cookie: `${PREFIX}.idToken=x` })
    expect(result).toBeNull()
  })

  it('never the clockDrift cookie: expiry is the server\'s own clock', async () => {
    const { result } = await request(async s => s.getItem(`${PREFIX}.clockDrift`), { cookie: `${PREFIX}.clockDrift=-99999999999`, hooks: acceptAll })
    expect(result).toBeNull()
  })

  it('tells which ID token a refresh replaced', async () => {
    const replaced: string[] = []
    await request(async (s) => {
      await s.setItem(`${PREFIX}.idToken`, 'new')
      await s.setItem(`${PREFIX}.accessToken`, 'new-access')
    }, { cookie: `${PREFIX}.idToken=old`, hooks: { ...acceptAll, replacedIdToken: t => replaced.push(t) } })
    expect(replaced).toEqual(['old'])
  })

  it('knows Amplify\'s key names', () => {
    expect(tokenKeyKind(`${PREFIX}.idToken`)).toBe('idToken')
    expect(tokenKeyKind(`${PREFIX}.accessToken`)).toBe('accessToken')
    expect(tokenKeyKind(`${PREFIX}.clockDrift`)).toBe('clockDrift')
    expect(tokenKeyKind(`${PREFIX}.refreshToken`)).toBeUndefined()
    expect(tokenKeyKind('com.amplify.Cognito.eu-west-1:x.identityId')).toBeUndefined()
    expect(tokenKeyKind('other.idToken')).toBeUndefined()
  })
})

describe('the Secure attribute (same rule in the browser)', () => {
  const write = (s: ReturnType<typeof cookieStorage>) => s.setItem(`${PREFIX}.idToken`, 'v')
  const setCookie = async (init: Parameters<typeof request>[1]) => (await request(write, init)).response.headers.getSetCookie().find(c => c.includes('.idToken=v'))!

  it.each([
    ['plain HTTP, SameSite=Lax', {}, {}, false],
    ['plain HTTP behind a TLS proxy (X-Forwarded-Proto: https)', {}, { 'x-forwarded-proto': 'https' }, true],
    ['plain HTTP with SameSite=None (a browser would drop it without Secure)', { sameSite: 'none' }, {}, true],
    ['secure: true', { secure: true }, {}, true],
    ['secure: false, even behind TLS', { secure: false }, { 'x-forwarded-proto': 'https' }, false],
  ] as const)('%s', async (_, cookie, headers, secure) => {
    const line = await setCookie({ options: { cookie: cookie as ModuleOptions['cookie'] }, headers: headers as Record<string, string> })
    expect(/;\s*Secure/i.test(line)).toBe(secure)
    expect(line).toMatch(/Path=\//)
  })

  it('HttpOnly with session "server" (a refresh on the server writes cookies no script reads), not with "browser"', async () => {
    const server = await setCookie({ options: { session: 'server', cookie: { sameSite: 'strict' } } })
    expect(server).toMatch(/;\s*HttpOnly/i)
    expect(server).toMatch(/SameSite=Strict/i)
    expect(await setCookie({})).not.toMatch(/HttpOnly/i)
  })

  it('is one pure rule', () => {
    expect(cookieSecure('auto', { https: false, sameSite: 'lax' })).toBe(false)
    expect(cookieSecure('auto', { https: true, sameSite: 'lax' })).toBe(true)
    expect(cookieSecure('auto', { https: false, sameSite: 'none' })).toBe(true)
    expect(cookieSecure(false, { https: true, sameSite: 'none' })).toBe(false)
    expect(cookieSecure(true, { https: false, sameSite: 'strict' })).toBe(true)
  })
})

describe('Cache-Control of a response', () => {
  const read = (s: ReturnType<typeof cookieStorage>) => s.getItem(`${PREFIX}.refreshToken`)

  it('private once a session cookie was read or written', async () => {
    expect((await request(read, { cookie: `${PREFIX}.refreshToken=r` })).response.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
    expect((await request(s => s.setItem(`${PREFIX}.idToken`, 'v'))).response.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
    expect((await request(s => s.removeItem(`${PREFIX}.idToken`))).response.headers.get('cache-control')).toBe(PRIVATE_CACHE_CONTROL)
  })

  it('untouched when the request had no session cookie to read', async () => {
    expect((await request(read, { cookie: 'other=1' })).response.headers.get('cache-control')).toBeNull()
  })

  it('the app\'s own Cache-Control wins', async () => {
    const { response } = await request(async (s, event) => {
      setResponseHeader(event, 'cache-control', 'public, max-age=60')
      return read(s)
    }, { cookie: `${PREFIX}.refreshToken=r` })
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
  })

  it('untouched with cacheControl: false', async () => {
    const { response } = await request(read, { cookie: `${PREFIX}.refreshToken=r`, options: { cacheControl: false } })
    expect(response.headers.get('cache-control')).toBeNull()
  })
})

describe('the browser\'s cookie parse (CachedCookieStorage)', () => {
  // js-cookie exactly as Amplify's CookieStorage loads it.
  const requireFromCore = createRequire(createRequire(import.meta.url).resolve('@aws-amplify/core'))
  const JsCookie = requireFromCore('js-cookie') as { get: () => Record<string, string> }
  const piece = fc.stringMatching(/^[\w%"=.:\- ]{0,12}$/)
  const encoded = fc.string({ maxLength: 6, unit: 'grapheme' }).map(s => encodeURIComponent(s))
  const pair = fc.tuple(fc.oneof(piece, encoded), fc.oneof(piece, encoded, fc.constant('"quoted%20value"'), fc.constant('%E0%A4%A'))).map(([n, v]) => `${n}=${v}`)
  const cookieString = fc.array(fc.oneof(pair, fc.constantFrom('a=1', 'a=2', 'CognitoIdentityServiceProvider.c.u.idToken=eyJ.x.y')), { maxLength: 12 }).map(pairs => pairs.join('; '))

  it('reads document.cookie exactly as js-cookie does (property, seeded)', () => {
    const globals = globalThis as unknown as { document?: { cookie: string } }
    const saved = globals.document
    try {
      fc.assert(fc.property(cookieString, (raw) => {
        globals.document = { cookie: raw }
        expect(Object.fromEntries(parseCookieString(raw))).toEqual({ ...JsCookie.get() })
      }), { numRuns: 2000, seed: 20261201 })
    }
    finally {
      globals.document = saved
    }
  })
})
