// The module's typed errors through Nuxt's error wrapping and the SSR payload (devalue with
// Nuxt's reducer/reviver contract): name, status and fields survive; headers stay out.
import { parse, stringify } from 'devalue'
import { createError } from 'h3'
import { describe, expect, it } from 'vitest'
import { NotSignedInError, RestApiError, UnknownApiError } from '../../src/runtime/shared/errors'
import { adoptFields, fromRestErrorPayload, isRestApiError, nuxtErrorInit, restErrorFields, toRestErrorPayload, typedCause } from '../../src/runtime/shared/error-transport'

/** Nuxt's createError: h3's, marked as a NuxtError. */
function nuxtCreateError(input: Parameters<typeof createError>[0]) {
  const error = createError(input)
  Object.defineProperty(error, '__nuxt_error', { value: true })
  return error
}
/** What Nuxt's NuxtError reducer would write when ours does not match. */
const nuxtReducer = (value: unknown) => !!value && typeof value === 'object' && '__nuxt_error' in value && (value as unknown as { toJSON: () => unknown }).toJSON()

const forbidden = () => new RestApiError({ statusCode: 403, body: { message: 'Forbidden', reason: 'no group' }, apiName: 'userPool', path: '/status/403', headers: { 'set-cookie': 'secret=1' } })

/** An error through the server's payload and back in the browser, our reducer first as the plugin orders it. */
function roundTrip(value: unknown) {
  const text = stringify({ error: value }, { AmplifyRestError: toRestErrorPayload, NuxtError: nuxtReducer })
  return parse(text, { AmplifyRestError: data => fromRestErrorPayload(data, nuxtCreateError), NuxtError: data => nuxtCreateError(data) }).error as Error & Record<string, unknown>
}

describe('typed errors through Nuxt', () => {
  it('a NuxtError wrapping a RestApiError (as useAsyncData and showError make it) comes back with name, status and fields', () => {
    const wrapped = nuxtCreateError(forbidden())
    expect(wrapped.name).toBe('Error')
    const revived = roundTrip(wrapped)
    expect(revived).toMatchObject({ name: 'RestApiError', statusCode: 403, statusMessage: 'RestApiError', apiName: 'userPool', path: '/status/403', body: { message: 'Forbidden', reason: 'no group' } })
    expect(revived.message).toBe('userPool /status/403 answered 403: Forbidden')
    expect('__nuxt_error' in revived).toBe(true)
    expect(isRestApiError(revived)).toBe(true)
    expect(revived.headers).toBeUndefined()
  })

  it('without the reducer only message and status would survive (what Nuxt does on its own)', () => {
    const text = stringify({ error: nuxtCreateError(forbidden()) }, { NuxtError: nuxtReducer })
    const revived = parse(text, { NuxtError: data => nuxtCreateError(data) }).error as Error & Record<string, unknown>
    expect(revived.name).toBe('Error')
    expect(revived.apiName).toBeUndefined()
    expect(isRestApiError(revived)).toBe(false)
  })

  it('the NuxtError useRestApiData throws is named in the browser already, and Nuxt keeps it as it is', () => {
    const original = forbidden()
    const error = adoptFields(nuxtCreateError(nuxtErrorInit(original)), restErrorFields(original))
    expect(nuxtCreateError(error)).toBe(error)
    expect(error).toMatchObject({ name: 'RestApiError', statusCode: 403, apiName: 'userPool', path: '/status/403', cause: original })
    expect(isRestApiError(error)).toBe(true)
    expect(roundTrip(error)).toMatchObject({ name: 'RestApiError', statusCode: 403, apiName: 'userPool' })
  })

  it('a RestApiError with a cause of its own (Amplify\'s error) keeps its name as the status text when Nuxt wraps it', () => {
    const amplifyError = new Error('Amplify ApiError')
    const wrapped = nuxtCreateError(new RestApiError({ statusCode: 403, body: '', apiName: 'none', path: '/status/403' }, { cause: amplifyError }))
    expect(wrapped.cause).toBe(amplifyError)
    expect(wrapped).toMatchObject({ statusCode: 403, statusMessage: 'RestApiError' })
    expect(roundTrip(wrapped)).toMatchObject({ statusCode: 403, statusMessage: 'RestApiError' })
  })

  it('other module errors keep their name and fields; their status is 500', () => {
    const revived = roundTrip(nuxtCreateError(new UnknownApiError('nope', ['items'])))
    expect(revived).toMatchObject({ name: 'UnknownApiError', statusCode: 500, apiName: 'nope', knownApis: ['items'] })
    expect(isRestApiError(revived)).toBe(false)
    expect(roundTrip(nuxtCreateError(nuxtErrorInit(new NotSignedInError('userPool'))))).toMatchObject({ name: 'NotSignedInError', statusMessage: 'NotSignedInError', apiName: 'userPool' })
  })

  it('a fatal or unhandled error and its data stay so through the payload; a plain one stays plain', () => {
    const original = forbidden()
    const fatal = roundTrip(nuxtCreateError({ ...nuxtErrorInit(original), fatal: true, unhandled: true, data: { retry: false } }))
    expect(fatal).toMatchObject({ name: 'RestApiError', statusCode: 403, fatal: true, unhandled: true, data: { retry: false } })
    const plain = toRestErrorPayload(nuxtCreateError(nuxtErrorInit(original)))
    expect(plain).not.toHaveProperty('fatal')
    expect(plain).not.toHaveProperty('unhandled')
    expect(plain).not.toHaveProperty('data')
  })

  it('keeps a status text the app gave its own NuxtError around one of the module\'s errors', () => {
    expect(roundTrip(nuxtCreateError({ message: 'x', statusCode: 403, statusMessage: 'No access', cause: forbidden() }))).toMatchObject({ name: 'RestApiError', statusMessage: 'No access' })
  })

  it('finds the typed error in itself or in a NuxtError\'s cause', () => {
    const original = new NotSignedInError('userPool')
    expect(typedCause(original)).toBe(original)
    expect(typedCause(nuxtCreateError(nuxtErrorInit(original)))).toBe(original)
    expect(typedCause(new Error('x'))).toBeUndefined()
  })

  it('leaves every other value to Nuxt', () => {
    expect(toRestErrorPayload(nuxtCreateError(new Error('x')))).toBe(false)
    expect(toRestErrorPayload(forbidden())).toBe(false)
    expect(toRestErrorPayload({ statusCode: 403 })).toBe(false)
    expect(toRestErrorPayload(null)).toBe(false)
  })

  it('isRestApiError narrows only errors named RestApiError with its fields', () => {
    expect(isRestApiError(forbidden())).toBe(true)
    expect(isRestApiError(Object.assign(new Error('x'), { name: 'RestApiError' }))).toBe(false)
    const named = { name: 'RestApiError', statusCode: 403, apiName: 'a', path: '/' }
    expect(isRestApiError(Object.assign(new Error('x'), named))).toBe(true)
    expect(isRestApiError(Object.assign(new Error('x'), named, { statusCode: '403' }))).toBe(false)
    expect(isRestApiError(Object.assign(new Error('x'), named, { apiName: 1 }))).toBe(false)
    expect(isRestApiError(Object.assign(new Error('x'), named, { path: undefined }))).toBe(false)
    expect(isRestApiError(Object.assign(new Error('x'), named, { name: 'Error' }))).toBe(false)
    expect(isRestApiError({ name: 'RestApiError', statusCode: 403, apiName: 'a', path: '/' })).toBe(false)
    expect(isRestApiError(undefined)).toBe(false)
  })
})
