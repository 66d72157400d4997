// The server's cookie storage refusing a token cookie a browser would drop (over 4096 bytes), inside
// a real h3 server over HTTP: the refresh fails with TokenTooLargeError and the user's cookies are
// deleted, so the browser is not left with stale tokens that the server would refresh every request.
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, defineEventHandler, toNodeListener } from 'h3'
import { afterEach, describe, expect, it } from 'vitest'
import { cookieStorage } from '../../src/runtime/server/cookie-storage'
import { mergeOptions } from '../../src/options'

const CLIENT = 'CognitoIdentityServiceProvider.client'
const ALICE = `${CLIENT}.alice`
let server: Server | undefined
afterEach(() => new Promise<void>(resolve => server ? server.close(() => resolve()) : resolve()))

async function request(body: (storage: ReturnType<typeof cookieStorage>) => Promise<unknown>, cookie: string) {
  const options = mergeOptions({ auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_x', userPoolClientId: 'client' } }).options
  const app = createApp()
  app.use(defineEventHandler(async event => ({ result: await body(cookieStorage(event, options, { verify: async () => ({ ok: true, payload: {}, expired: false }) })) })))
  server = createServer(toNodeListener(app))
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie } })
  return { setCookies: response.headers.getSetCookie(), result: ((await response.json()) as { result: unknown }).result }
}

describe('a refreshed token too big for a browser cookie', () => {
  const cookie = `${CLIENT}.LastAuthUser=alice; ${ALICE}.idToken=old-id; ${ALICE}.accessToken=old-access; ${ALICE}.refreshToken=r; ${ALICE}.clockDrift=0; ${CLIENT}.bob.idToken=bobs; other=keep`
  const big = 'x'.repeat(4096)

  it('fails with TokenTooLargeError and deletes that user\'s cookies, leaving others alone', async () => {
    const { result, setCookies } = await request(async (s) => {
      await s.setItem(`${CLIENT}.LastAuthUser`, 'alice')
      return Promise.resolve().then(() => s.setItem(`${ALICE}.accessToken`, big)).then(() => 'stored', (e: Error) => ({ name: e.name, message: e.message }))
    }, cookie)
    expect(result).toMatchObject({ name: 'TokenTooLargeError' })
    expect((result as { message: string }).message).toMatch(/accessToken cookie would be \d+ bytes.*groups/)
    expect(setCookies.some(line => line.includes(big))).toBe(false)
    const deleted = setCookies.filter(line => /Max-Age=0/i.test(line)).map(line => line.slice(0, line.indexOf('=')))
    expect(deleted.sort()).toEqual([`${ALICE}.accessToken`, `${ALICE}.clockDrift`, `${ALICE}.idToken`, `${ALICE}.refreshToken`, `${CLIENT}.LastAuthUser`].sort())
  })

  it('stores a token that fits as before', async () => {
    const fits = 'y'.repeat(4096 - `${ALICE}.idToken`.length)
    const { result, setCookies } = await request(async s => s.setItem(`${ALICE}.idToken`, fits).then(() => 'stored'), cookie)
    expect(result).toBe('stored')
    expect(setCookies.some(line => line.startsWith(`${ALICE}.idToken=${fits};`))).toBe(true)
  })
})
