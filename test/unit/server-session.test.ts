// `session: 'server'`, the pure parts: the same-origin check, what crosses the proxy, Cognito's
// sign-in steps as Amplify's nextStep, the token cookies' attributes and names, the options.
import { describe, expect, it } from 'vitest'
import { crossSiteProblem } from '../../src/runtime/shared/session-routes'
import { answerHeaders, assertProxyCallHeaders, assertWithinLimit, decodeProxyBody, errorFromWire, errorStatus, errorToWire, parseProxyCall, proxyFailure } from '../../src/runtime/shared/proxy-request'
import { challengeResponses, nextStepFor } from '../../src/runtime/shared/sign-in-steps'
import { amplifyTokenKeys, tokenCookieAttributes } from '../../src/runtime/shared/session-cookies'
import { InvalidHeaderError, InvalidRequestError, NotSignedInError, PayloadTooLargeError, RestApiError, SessionExpiredError, UnknownApiError } from '../../src/runtime/shared/errors'
import { mergeOptions } from '../../src/options'
import { validateOptions } from '../../src/runtime/shared/validate-options'
import { splitServerOnly, withServerOnly } from '../../src/runtime/shared/server-only'

const ORIGIN = 'https://app.example.com'
const ok = { 'x-amplify-request': '1' }

describe('crossSiteProblem', () => {
  it('lets the app\'s own fetch through (custom header, same-origin, own Origin or none)', () => {
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, 'sec-fetch-site': 'same-origin', 'origin': ORIGIN } })).toBeUndefined()
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok } })).toBeUndefined()
  })
  it('refuses a request without the custom header (an HTML form, a plain link)', () => {
    expect(crossSiteProblem({ origin: ORIGIN, headers: { 'sec-fetch-site': 'same-origin', 'origin': ORIGIN } })).toMatch(/x-amplify-request/)
    expect(crossSiteProblem({ origin: ORIGIN, headers: { 'x-amplify-request': 'yes' } })).toMatch(/x-amplify-request/)
  })
  it('refuses another site, a sibling subdomain and a foreign or null Origin', () => {
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, 'sec-fetch-site': 'cross-site' } })).toMatch(/cross-site/)
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, 'sec-fetch-site': 'same-site' } })).toMatch(/same-site/)
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, origin: 'https://evil.example' } })).toMatch(/Origin/)
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, origin: 'null' } })).toMatch(/Origin/)
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, origin: 'http://app.example.com' } })).toMatch(/Origin/)
  })
})

describe('crossSiteProblem, the reasons', () => {
  it('names what is wrong: the header, the Sec-Fetch-Site value, the Origin', () => {
    expect(crossSiteProblem({ origin: ORIGIN, headers: {} })).toBe('the x-amplify-request header is missing')
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, 'sec-fetch-site': 'none' } })).toBe('Sec-Fetch-Site is "none", not "same-origin"')
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, origin: 'https://evil.example' } })).toBe('the Origin is not this app\'s')
  })
  it('compares the Origin without regard to letter case (scheme and host are case-insensitive)', () => {
    expect(crossSiteProblem({ origin: ORIGIN, headers: { ...ok, origin: 'HTTPS://App.Example.COM' } })).toBeUndefined()
    expect(crossSiteProblem({ origin: 'https://App.Example.com', headers: { ...ok, origin: ORIGIN } })).toBeUndefined()
  })
})

describe('parseProxyCall', () => {
  const headers = (extra: Record<string, string> = {}) => ({ ...ok, ...extra })
  it('unpacks API, path, query, headers, authMode, timeout and the custom token', () => {
    const call = parseProxyCall({
      method: 'post',
      rest: 'userPool/items/a%20b',
      search: '?x=1&y=two',
      headers: headers({ 'x-amplify-headers': '{"X-Trace":"t1"}', 'x-amplify-auth-mode': 'none', 'x-amplify-timeout': '2500', 'x-amplify-custom-token': 'custom-abc' }),
    })
    expect(call).toEqual({
      method: 'POST',
      apiName: 'userPool',
      path: 'items/a%20b',
      options: { apiName: 'userPool', headers: { 'X-Trace': 't1' }, authMode: 'none', timeout: 2500, query: { x: '1', y: 'two' } },
      customToken: 'custom-abc',
    })
  })
  it('refuses hop-by-hop headers, Cookie, Host and the proxy\'s own headers per call', () => {
    for (const name of ['Connection', 'Transfer-Encoding', 'cookie', 'Host', 'Upgrade', 'X-Amplify-Request']) {
      expect(() => parseProxyCall({ method: 'GET', rest: 'none/echo', search: '', headers: headers({ 'x-amplify-headers': JSON.stringify({ [name]: 'x' }) }) }), name)
        .toThrow(InvalidHeaderError)
    }
    expect(() => assertProxyCallHeaders({ 'X-Ok': '1', 'Authorization': 'abc' })).not.toThrow()
  })
  it('refuses a malformed call with InvalidRequestError', () => {
    const bad = [
      { method: 'TRACE', rest: 'none/echo', search: '', headers: headers() },
      { method: 'GET', rest: '', search: '', headers: headers() },
      { method: 'GET', rest: '../x', search: '', headers: headers() },
      { method: 'GET', rest: 'none/echo', search: '', headers: headers({ 'x-amplify-headers': '[1]' }) },
      { method: 'GET', rest: 'none/echo', search: '', headers: headers({ 'x-amplify-headers': '{"a":1}' }) },
      { method: 'GET', rest: 'none/echo', search: '', headers: headers({ 'x-amplify-headers': 'nope' }) },
      { method: 'GET', rest: 'none/echo', search: '', headers: headers({ 'x-amplify-auth-mode': 'root' }) },
      { method: 'GET', rest: 'none/echo', search: '', headers: headers({ 'x-amplify-timeout': '-1' }) },
    ]
    for (const input of bad) expect(() => parseProxyCall(input), JSON.stringify(input)).toThrow(InvalidRequestError)
  })
  it('decodes a JSON or text body, refuses broken JSON', () => {
    const bytes = (s: string) => new TextEncoder().encode(s)
    expect(decodeProxyBody(bytes('{"a":1}'), 'application/json')).toEqual({ a: 1 })
    expect(decodeProxyBody(bytes('plain'), 'text/plain')).toBe('plain')
    expect(decodeProxyBody(new Uint8Array(), 'application/json')).toBeUndefined()
    expect(() => decodeProxyBody(bytes('{'), 'application/json')).toThrow(InvalidRequestError)
  })
  it('limits sizes with a typed 413', () => {
    expect(() => assertWithinLimit(10, 10, 'request')).not.toThrow()
    const error = (() => {
      try {
        assertWithinLimit(11, 10, 'response')
      }
      catch (e) {
        return e as PayloadTooLargeError
      }
    })()
    expect(error).toBeInstanceOf(PayloadTooLargeError)
    expect(error).toMatchObject({ name: 'PayloadTooLargeError', statusCode: 413, limit: 10, direction: 'response' })
    expect(errorStatus(error!)).toBe(413)
  })
  it('passes the API\'s answer headers but not the connection\'s, cookies or the proxy\'s', () => {
    expect(answerHeaders({ 'Content-Type': 'application/json', 'X-Request-Id': 'r1', 'Set-Cookie': 'a=b', 'Connection': 'close', 'Content-Length': '3', 'x-amplify-error': 'x' }))
      .toEqual({ 'content-type': 'application/json', 'x-request-id': 'r1' })
  })
})

describe('typed errors across the proxy', () => {
  it('arrive as the same class with the same fields, never the cause', () => {
    const sent = new UnknownApiError('nope', ['a', 'b'])
    const wire = JSON.parse(JSON.stringify(errorToWire(Object.assign(sent, { cause: new Error('secret-token-x') }))))
    expect(JSON.stringify(wire)).not.toContain('secret-token-x')
    const got = errorFromWire(wire)
    expect(got).toBeInstanceOf(UnknownApiError)
    expect(got).toMatchObject({ name: 'UnknownApiError', message: sent.message, knownApis: ['a', 'b'], apiName: 'nope' })
  })
  it('map to a status each', () => {
    expect(errorStatus(new NotSignedInError('x'))).toBe(401)
    expect(errorStatus(new SessionExpiredError('x'))).toBe(401)
    expect(errorStatus(new InvalidHeaderError('X', 'bad'))).toBe(400)
  })
  it('an unknown name becomes the base class', () => {
    expect(errorFromWire({ name: 'Whatever', message: 'm' })).toMatchObject({ name: 'AmplifyRestError', message: 'm' })
  })
  it('a non-2xx answer without the proxy\'s error header is the API\'s RestApiError', () => {
    const error = proxyFailure({ status: 403, headers: { 'content-type': 'application/json' }, body: { message: 'no' } }, 'iam', 'echo')
    expect(error).toBeInstanceOf(RestApiError)
    expect(error).toMatchObject({ statusCode: 403, body: { message: 'no' }, apiName: 'iam', path: 'echo' })
    const own = proxyFailure({ status: 401, headers: { 'x-amplify-error': 'NotSignedInError' }, body: { name: 'NotSignedInError', message: 'sign in' } }, 'userPool', 'echo')
    expect(own).toBeInstanceOf(NotSignedInError)
  })
})

describe('sign-in steps', () => {
  it('maps Cognito challenges to Amplify\'s nextStep', () => {
    expect(nextStepFor('NEW_PASSWORD_REQUIRED', { requiredAttributes: '["userAttributes.name"]' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: ['name'] } })
    expect(nextStepFor('NEW_PASSWORD_REQUIRED', { requiredAttributes: '[]' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } })
    expect(nextStepFor('SMS_MFA', { CODE_DELIVERY_DESTINATION: '+*******1234' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******1234' } } })
    expect(nextStepFor('SOFTWARE_TOKEN_MFA')).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } })
    expect(nextStepFor('EMAIL_OTP')).toMatchObject({ nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL' } } })
    expect(nextStepFor('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'TOTP'] } })
    expect(nextStepFor('CUSTOM_CHALLENGE', { USERNAME: 'u', q: '1+1' })).toMatchObject({ nextStep: { additionalInfo: { q: '1+1' } } })
    expect(nextStepFor('MFA_SETUP')).toHaveProperty('problem')
  })
  it('turns the user\'s answer into ChallengeResponses', () => {
    expect(challengeResponses('NEW_PASSWORD_REQUIRED', 'carol', 'N3w!pass')).toEqual({ USERNAME: 'carol', NEW_PASSWORD: 'N3w!pass' })
    expect(challengeResponses('SMS_MFA', 'carol', '123456')).toEqual({ USERNAME: 'carol', SMS_MFA_CODE: '123456' })
    expect(challengeResponses('SOFTWARE_TOKEN_MFA', 'carol', '123456')).toEqual({ USERNAME: 'carol', SOFTWARE_TOKEN_MFA_CODE: '123456' })
    expect(challengeResponses('SELECT_MFA_TYPE', 'carol', 'TOTP')).toEqual({ USERNAME: 'carol', ANSWER: 'SOFTWARE_TOKEN_MFA' })
    expect(challengeResponses('SELECT_MFA_TYPE', 'carol', 'PIGEON')).toHaveProperty('problem')
    expect(challengeResponses('NEW_PASSWORD_REQUIRED', 'carol', '')).toHaveProperty('problem')
    expect(challengeResponses('MFA_SETUP', 'carol', 'x')).toHaveProperty('problem')
  })
})

describe('sign-in steps, in detail', () => {
  it('a new password: the required attributes without their "userAttributes." prefix (only as a prefix); none when the list is missing or broken', () => {
    const step = (requiredAttributes?: string) => nextStepFor('NEW_PASSWORD_REQUIRED', requiredAttributes === undefined ? {} : { requiredAttributes })
    expect(step('["userAttributes.name","email","x.userAttributes.y"]')).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: ['name', 'email', 'x.userAttributes.y'] } })
    for (const broken of [undefined, '', 'not json', '{"a":1}', '"name"'])
      expect(step(broken)).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' } })
  })
  it('a code by SMS or e-mail names where it went only when Cognito says so', () => {
    expect(nextStepFor('SMS_MFA')).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS' } } })
    expect(nextStepFor('EMAIL_OTP', { CODE_DELIVERY_DESTINATION: 'c***@e***' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'c***@e***' } } })
    expect(nextStepFor('EMAIL_OTP', { CODE_DELIVERY_DESTINATION: '' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL' } } })
  })
  it('an MFA choice names every type as Amplify does (an unknown one as Cognito sent it); a custom challenge keeps its parameters but the username', () => {
    expect(nextStepFor('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: '["EMAIL_OTP","SMS_MFA","SOFTWARE_TOKEN_MFA","WEBAUTHN"]' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['EMAIL', 'SMS', 'TOTP', 'WEBAUTHN'] } })
    expect(nextStepFor('CUSTOM_CHALLENGE', { USERNAME: 'u', q: '1+1' }))
      .toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', additionalInfo: { q: '1+1' } } })
  })
  it('a challenge the server cannot continue is named, with what to do instead', () => {
    expect(nextStepFor('MFA_SETUP')).toEqual({ problem: 'the user pool asks for MFA_SETUP, which a server sign-in cannot continue; use session: \'browser\' for this user pool\'s flow' })
  })
  it('answers: every challenge\'s key, every MFA type, and a message for each wrong answer', () => {
    expect(challengeResponses('EMAIL_OTP', 'carol', '12345678')).toEqual({ USERNAME: 'carol', EMAIL_OTP_CODE: '12345678' })
    expect(challengeResponses('CUSTOM_CHALLENGE', 'carol', '2')).toEqual({ USERNAME: 'carol', ANSWER: '2' })
    expect(challengeResponses('SELECT_MFA_TYPE', 'carol', 'SMS')).toEqual({ USERNAME: 'carol', ANSWER: 'SMS_MFA' })
    expect(challengeResponses('SELECT_MFA_TYPE', 'carol', 'EMAIL')).toEqual({ USERNAME: 'carol', ANSWER: 'EMAIL_OTP' })
    expect(challengeResponses('MFA_SETUP', 'carol', 'x')).toEqual({ problem: 'there is no sign-in step MFA_SETUP to continue' })
    const missing = { problem: 'challengeResponse is missing; expected the new password, code or answer of the sign-in step' }
    expect(challengeResponses('SMS_MFA', 'carol', '')).toEqual(missing)
    expect(challengeResponses('SMS_MFA', 'carol', 123456)).toEqual(missing)
    expect(challengeResponses('SELECT_MFA_TYPE', 'carol', 'PIGEON')).toEqual({ problem: 'challengeResponse is "PIGEON"; expected "SMS", "TOTP" or "EMAIL"' })
  })
})

describe('token cookies', () => {
  const cookie = { domain: '', maxAge: 100, sameSite: 'lax' as const, secure: 'auto' as const }
  it('are HttpOnly only with session "server", Secure on HTTPS, Path=/, SameSite and domain as configured', () => {
    expect(tokenCookieAttributes(cookie, { https: true, session: 'server' })).toEqual({ path: '/', sameSite: 'lax', secure: true, httpOnly: true })
    expect(tokenCookieAttributes(cookie, { https: false, session: 'server' })).toEqual({ path: '/', sameSite: 'lax', secure: false, httpOnly: true })
    expect(tokenCookieAttributes({ ...cookie, sameSite: 'strict', domain: '.example.com' }, { https: true, session: 'server' }))
      .toEqual({ path: '/', sameSite: 'strict', secure: true, httpOnly: true, domain: '.example.com' })
    expect(tokenCookieAttributes(cookie, { https: true, session: 'browser' }).httpOnly).toBe(false)
    expect(tokenCookieAttributes(cookie, { https: true, session: undefined }).httpOnly).toBe(false)
  })
  it('carry the names Amplify\'s token store reads', () => {
    expect(amplifyTokenKeys('client1', 'alice')).toMatchObject({
      lastAuthUser: 'CognitoIdentityServiceProvider.client1.LastAuthUser',
      idToken: 'CognitoIdentityServiceProvider.client1.alice.idToken',
      accessToken: 'CognitoIdentityServiceProvider.client1.alice.accessToken',
      refreshToken: 'CognitoIdentityServiceProvider.client1.alice.refreshToken',
    })
    // The two more Amplify's token store reads and a server sign-in writes (@aws-amplify/auth's TokenStore).
    expect(amplifyTokenKeys('client1', 'alice')).toEqual({
      lastAuthUser: 'CognitoIdentityServiceProvider.client1.LastAuthUser',
      idToken: 'CognitoIdentityServiceProvider.client1.alice.idToken',
      accessToken: 'CognitoIdentityServiceProvider.client1.alice.accessToken',
      refreshToken: 'CognitoIdentityServiceProvider.client1.alice.refreshToken',
      clockDrift: 'CognitoIdentityServiceProvider.client1.alice.clockDrift',
      signInDetails: 'CognitoIdentityServiceProvider.client1.alice.signInDetails',
    })
  })
})

describe('session options', () => {
  const base = {
    auth: { region: 'us-east-1', userPoolId: 'us-east-1_x', userPoolClientId: 'c', identityPoolId: 'us-east-1:abc' },
    rest: { key: { endpoint: 'https://api.example.com', authMode: 'apiKey' as const, apiKey: 'k-123456789' }, open: { endpoint: 'https://api.example.com/o', authMode: 'none' as const } },
  }
  it('defaults to "browser" with a 1 MiB proxy limit', () => {
    const { options } = mergeOptions(base)
    expect(options).toMatchObject({ session: 'browser', proxyMaxBytes: 1048576 })
    expect(validateOptions(options)).toEqual([])
  })
  it('names a wrong session, limit, SameSite=None, ssr: false or a missing user pool', () => {
    expect(validateOptions(mergeOptions({ ...base, session: 'cloud' as never }).options)).toEqual([expect.stringMatching(/amplify\.session is "cloud"; expected one of "browser", "server"/)])
    expect(validateOptions(mergeOptions({ ...base, proxyMaxBytes: 0 }).options)).toEqual([expect.stringMatching(/amplify\.proxyMaxBytes is number 0; expected a whole number of bytes/)])
    expect(validateOptions(mergeOptions({ ...base, session: 'server', cookie: { sameSite: 'none' } }).options)).toEqual([expect.stringMatching(/sameSite is "none" while amplify\.session is "server"/)])
    expect(validateOptions(mergeOptions({ ...base, session: 'server', ssr: false }).options)).toEqual([expect.stringMatching(/ssr is false while amplify\.session is "server"/)])
    expect(validateOptions(mergeOptions({ rest: { open: base.rest.open }, session: 'server' }).options)).toEqual([expect.stringMatching(/no userPoolId\/userPoolClientId/)])
  })
  it('with session "server" keeps API keys out of the public config, and joins them back on the server', () => {
    const { options } = mergeOptions({ ...base, session: 'server' })
    const split = splitServerOnly(options)
    expect(JSON.stringify(split.public)).not.toContain('k-123456789')
    expect(split.public.rest.key).toMatchObject({ endpoint: 'https://api.example.com', apiKey: '' })
    expect(split.public.serverOnlyApis).toEqual([])
    expect(split.private.rest).toEqual({ key: { apiKey: 'k-123456789' } })
    const joined = withServerOnly(split.public, split.private)
    expect(joined.rest.key).toEqual(options.rest.key)
    expect(validateOptions(joined)).toEqual([])
    // Browser mode keeps today's split.
    expect(splitServerOnly(mergeOptions(base).options).public.rest.key!.apiKey).toBe('k-123456789')
  })
})
