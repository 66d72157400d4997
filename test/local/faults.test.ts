// Fault injection of the local backend at protocol level: the user and identity
// pools "down" (`backend.faults`), the REST fault routes (`delay`, `reset`,
// `drop`, `status`) and the clock-skew answer, checked against Amplify's own
// retry decider and signing middleware so the browser tests can rely on them.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  authenticatedHandler, getRetryDecider, jitteredBackoff, parseJsonError,
} from '@aws-amplify/core/internals/aws-client-utils'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { amplifySign, fetchJson, initiateAuth, jsonCall, type Tokens } from '../utils/local-helpers'

const IDP = 'AWSCognitoIdentityProviderService'
const IDENTITY = 'AWSCognitoIdentityService'

let backend: LocalBackend
let tokens: Tokens

beforeAll(async () => {
  backend = await startLocalBackend({ apiKey: 'faults-api-key-0123456789' })
  tokens = await initiateAuth(backend, backend.users[0]!)
})

afterEach(() => {
  backend.faults.userPoolDown = false
  backend.faults.identityDown = false
})

afterAll(async () => {
  await backend?.stop()
})

const endpoint = (api: keyof LocalBackend['amplify']['rest']) => backend.amplify.rest[api].endpoint
const last = () => backend.requests.at(-1)!
/** The error a failed fetch rejects with, or undefined when it answered. */
async function networkFailure(promise: Promise<unknown>): Promise<Error | undefined> {
  try {
    await promise
    return undefined
  }
  catch (error) {
    return error as Error
  }
}

describe('faults object', () => {
  it('starts with every fault off and refuses unknown flags', () => {
    expect(backend.faults).toEqual({ userPoolDown: false, identityDown: false })
    expect(() => {
      (backend.faults as unknown as Record<string, boolean>).userpoolDown = true
    }).toThrow(TypeError)
    expect(Object.keys(backend.faults)).toEqual(['userPoolDown', 'identityDown'])
  })
})

describe('faults.userPoolDown', () => {
  it('drops every request unanswered, counting refresh attempts and preflights, until switched off', async () => {
    const before = { ...backend.stats }
    backend.faults.userPoolDown = true

    const refresh = await networkFailure(jsonCall(backend.urls.userPool, `${IDP}.GetTokensFromRefreshToken`, {
      ClientId: backend.amplify.auth.userPoolClientId, RefreshToken: tokens.refreshToken,
    }))
    expect(refresh).toBeInstanceOf(TypeError)
    const legacy = await networkFailure(jsonCall(backend.urls.userPool, `${IDP}.InitiateAuth`, {
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: backend.amplify.auth.userPoolClientId, AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
    }))
    expect(legacy).toBeInstanceOf(TypeError)
    const preflight = await networkFailure(fetch(backend.urls.userPool, {
      method: 'OPTIONS',
      headers: { 'origin': 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target' },
    }))
    expect(preflight).toBeInstanceOf(TypeError)

    expect(backend.stats.userPoolDropped).toBe(before.userPoolDropped + 3)
    expect(backend.stats.refreshes).toBe(before.refreshes + 2)
    expect(backend.stats.initiateAuth).toBe(before.initiateAuth + 1)

    backend.faults.userPoolDown = false
    const ok = await jsonCall(backend.urls.userPool, `${IDP}.GetTokensFromRefreshToken`, {
      ClientId: backend.amplify.auth.userPoolClientId, RefreshToken: tokens.refreshToken,
    })
    expect(ok.status).toBe(200)
    expect(backend.stats.refreshes).toBe(before.refreshes + 3)
    expect(backend.stats.userPoolDropped).toBe(before.userPoolDropped + 3)
  })
})

describe('faults.identityDown', () => {
  it('drops GetId and GetCredentialsForIdentity unanswered, counting them, until switched off', async () => {
    const before = { ...backend.stats }
    backend.faults.identityDown = true
    const getId = await networkFailure(jsonCall(backend.urls.identity, `${IDENTITY}.GetId`, { IdentityPoolId: backend.amplify.auth.identityPoolId }))
    expect(getId).toBeInstanceOf(TypeError)
    const creds = await networkFailure(jsonCall(backend.urls.identity, `${IDENTITY}.GetCredentialsForIdentity`, { IdentityId: backend.credentials.guest.identityId }))
    expect(creds).toBeInstanceOf(TypeError)
    expect(backend.stats).toMatchObject({
      identityDropped: before.identityDropped + 2,
      getId: before.getId + 1,
      getCredentials: before.getCredentials + 1,
    })

    backend.faults.identityDown = false
    const ok = await jsonCall(backend.urls.identity, `${IDENTITY}.GetId`, { IdentityPoolId: backend.amplify.auth.identityPoolId })
    expect(ok.status).toBe(200)
    expect(backend.stats.identityDropped).toBe(before.identityDropped + 2)
  })

  it('leaves the user pool and the REST server up', async () => {
    backend.faults.identityDown = true
    expect((await fetchJson(`${endpoint('none')}/echo`)).status).toBe(200)
    expect((await initiateAuth(backend, backend.users[1]!)).idToken).toBeTruthy()
  })
})

describe('REST fault routes', () => {
  it('/delay/:ms answers 200 JSON after that many ms, under every API, authorization first', async () => {
    const started = Date.now()
    const res = await fetchJson(`${endpoint('none')}/delay/300`)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ delayed: 300, method: 'GET' })
    expect(last()).toMatchObject({ api: 'none', path: '/none/delay/300', status: 200, verified: true })
    // Stamped on arrival, not when the answer went out (at least 300 ms later).
    expect(last().receivedAt).toBeGreaterThanOrEqual(started)
    expect(last().receivedAt).toBeLessThan(Date.now() - 250)
    expect(last().clientClosed).toBeUndefined()

    const keyed = await fetchJson(`${endpoint('apiKey')}/delay/10`, { method: 'POST', headers: { 'x-api-key': 'faults-api-key-0123456789' } })
    expect(keyed).toMatchObject({ status: 200, body: { delayed: 10, method: 'POST' } })

    const unauthorized = Date.now()
    const refused = await fetchJson(`${endpoint('apiKey')}/delay/5000`)
    expect(refused.status).toBe(403)
    expect(Date.now() - unauthorized).toBeLessThan(2000)
  })

  it('/delay/:ms refuses more than 30000 ms and non-numbers with 400', async () => {
    for (const value of ['30001', 'abc', '-1', '1.5']) {
      const res = await fetchJson(`${endpoint('none')}/delay/${value}`)
      expect(res.status, value).toBe(400)
      expect(last()).toMatchObject({ status: 400, reason: 'bad delay' })
    }
  })

  it('/delay/:ms records clientClosed when the client disconnects first', async () => {
    backend.clearRequests()
    const started = Date.now()
    const aborted = await networkFailure(fetch(`${endpoint('none')}/delay/5000`, { signal: AbortSignal.timeout(200) }))
    expect(aborted?.name).toBe('TimeoutError')
    await expect.poll(() => backend.requests.length, { timeout: 2000 }).toBe(1)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(last()).toMatchObject({ api: 'none', path: '/none/delay/5000', status: 0, verified: true, clientClosed: true })
  })

  it('/reset sends status and headers, then closes the connection mid-body', async () => {
    const res = await fetch(`${endpoint('none')}/reset`, { headers: { origin: 'http://localhost:3000' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    const body = await networkFailure(res.text())
    expect(body).toBeInstanceOf(TypeError)
    expect(last()).toMatchObject({ api: 'none', path: '/none/reset', status: 200, verified: true, reason: 'connection closed mid-response (/reset)' })
  })

  it('/drop resets the connection without any answer', async () => {
    const error = await networkFailure(fetch(`${endpoint('none')}/drop`))
    expect(error).toBeInstanceOf(TypeError)
    expect(last()).toMatchObject({ api: 'none', path: '/none/drop', status: 0, verified: true })
  })

  it('/status/:code still answers that status', async () => {
    const res = await fetchJson(`${endpoint('none')}/status/503`)
    expect(res).toMatchObject({ status: 503, body: { status: 503, message: 'Service Unavailable' } })
  })

  it('fault routes are authorized first: no key, no delay, no reset', async () => {
    const res = await fetchJson(`${endpoint('apiKey')}/reset`)
    expect(res.status).toBe(403)
    expect(last()).toMatchObject({ api: 'apiKey', status: 403, verified: false, reason: 'missing x-api-key header' })
    expect((await fetchJson(`${endpoint('apiKey')}/drop`)).status).toBe(403)
  })
})

describe('clock skew (iam)', () => {
  const iam = () => endpoint('iam')

  it.each([
    ['behind', -10, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/],
    ['ahead', 10, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/],
  ])('a signature 10 min %s gets API Gateway\'s skew answer: 403 InvalidSignatureException with Date', async (_, minutes, message) => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: backend.credentials.guest, signingDate: new Date(Date.now() + minutes * 60_000) })
    const res = await fetchJson(signed.url, { ...signed.init, headers: { ...signed.headers, origin: 'http://localhost:3000' } })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException')
    expect((res.body as unknown as { message: string }).message).toMatch(message)
    // Amplify corrects its clock from `Date`; a browser can only read headers the answer exposes.
    const date = Date.parse(res.headers.get('date') ?? '')
    expect(Math.abs(date - Date.now())).toBeLessThan(2000)
    const exposed = res.headers.get('access-control-expose-headers')!.split(',').map(name => name.trim())
    expect(exposed).toEqual(expect.arrayContaining(['date', 'x-amzn-errortype']))
  })

  it('is recognised by Amplify\'s retry decider as a clock-skew error', async () => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: backend.credentials.guest, signingDate: new Date(Date.now() + 10 * 60_000) })
    const res = await fetch(signed.url, signed.init)
    const headers: Record<string, string> = {}
    res.headers.forEach((value, name) => {
      headers[name] = value
    })
    const text = await res.text()
    const response = { statusCode: res.status, headers, body: Object.assign(new Blob([text]), { json: async () => JSON.parse(text), text: async () => text }) }
    const error = await parseJsonError(response as never)
    expect(error?.name).toBe('InvalidSignatureException')
    expect(await getRetryDecider(parseJsonError)(response as never)).toMatchObject({ retryable: true })
  })

  it.each([['ahead', 10], ['behind', -10]])('Amplify\'s signing client with a clock 10 min %s is corrected after one rejected attempt', async (_, minutes) => {
    backend.clearRequests()
    // Only the client's clock: Amplify's signer reads Date.now(), the server reads `new Date()`.
    const realNow = Date.now.bind(Date)
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + minutes * 60_000)
    let response
    try {
      response = await authenticatedHandler({ url: new URL(`${iam()}/echo`), method: 'GET', headers: {} }, {
        credentials: backend.credentials.guest,
        region: backend.amplify.rest.iam.region,
        service: 'execute-api',
        retryDecider: getRetryDecider(parseJsonError),
        computeDelay: jitteredBackoff,
      })
    }
    finally {
      spy.mockRestore()
    }
    expect(response.statusCode).toBe(200)
    expect(await response.body.json()).toMatchObject({ mode: 'iam', verified: true, role: 'guest' })
    const seen = backend.requests.filter(r => r.api === 'iam')
    expect(seen.map(r => r.status)).toEqual([403, 200])
    expect(seen[0]!.reason).toMatch(/more than 5 minutes in the (past|future)/)
  })

  it('leaves a signature within 5 minutes alone', async () => {
    const signed = amplifySign({ url: `${iam()}/echo`, credentials: backend.credentials.guest, signingDate: new Date(Date.now() - 4 * 60_000) })
    expect((await fetchJson(signed.url, signed.init)).status).toBe(200)
  })
})
