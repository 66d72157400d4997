// How the module's typed errors keep their identity where Nuxt wraps errors: `useAsyncData` and
// `showError` turn any error into a NuxtError (`name` "Error", the original only as `cause`), and
// the SSR payload keeps just `message`, `statusCode`, `statusMessage` and `data` of it. Here: the
// fields copied onto such a wrapper, their payload form and `isRestApiError`. No Nuxt imports: the
// Nuxt side passes its `createError` in.
import { AmplifyRestError, RestApiError } from './errors'

/**
 * What an error of this module carries besides `name` and `message`. A RestApiError's response
 * `headers` stay out: they could hold cookies, and they are not part of the contract.
 */
const FIELDS = ['statusCode', 'body', 'apiName', 'path', 'knownApis', 'serverOnly', 'header', 'timeout', 'token', 'bytes'] as const

/** The module's typed fields of an error, as they go into the payload. */
export interface RestErrorFields {
  name: string
  message: string
  [field: string]: unknown
}

/** A RestApiError, or a NuxtError made from one (after `useAsyncData`, after SSR hydration). */
export interface RestApiErrorLike extends Error {
  name: 'RestApiError'
  statusCode: number
  body: unknown
  apiName: string
  path: string
}

/** Narrows what `useRestApiData`'s `error`, `useAsyncData`'s or a `catch` got to a RestApiError (non-2xx answer). */
export function isRestApiError(error: unknown): error is RestApiErrorLike {
  if (error instanceof RestApiError) return true
  if (!(error instanceof Error) || error.name !== 'RestApiError') return false
  const fields = error as Error & Record<string, unknown>
  return typeof fields.statusCode === 'number' && typeof fields.apiName === 'string' && typeof fields.path === 'string'
}

/** The typed error behind `error`: itself, or the `cause` of a NuxtError Nuxt made from it. */
export function typedCause(error: unknown): AmplifyRestError | undefined {
  if (error instanceof AmplifyRestError) return error
  const cause = error instanceof Error ? error.cause : undefined
  return cause instanceof AmplifyRestError ? cause : undefined
}

/** `name`, `message` and the typed fields of one of the module's errors (serialisable). */
export function restErrorFields(error: AmplifyRestError): RestErrorFields {
  const fields: RestErrorFields = { name: error.name, message: error.message }
  for (const field of FIELDS) {
    if (field in error && (error as unknown as Record<string, unknown>)[field] !== undefined)
      fields[field] = (error as unknown as Record<string, unknown>)[field]
  }
  return fields
}

/** What Nuxt's `createError` is given for one of the module's errors: status and name kept. */
export function nuxtErrorInit(error: AmplifyRestError) {
  const statusCode = error instanceof RestApiError ? error.statusCode : 500
  // `statusMessage` is what Nuxt's error page shows under the status, and it survives every path
  // Nuxt takes an error along (payload, the server's error page render).
  return { message: error.message, statusCode, statusMessage: error.name, cause: error }
}

/** Gives a NuxtError made from one of the module's errors that error's `name` and fields. */
export function adoptFields<T extends Error>(target: T, fields: RestErrorFields): T & RestErrorFields {
  const { name, message: _message, ...rest } = fields
  Object.defineProperty(target, 'name', { value: name, writable: true, configurable: true, enumerable: false })
  for (const [field, value] of Object.entries(rest)) {
    // statusCode and statusMessage belong to the NuxtError already (set through createError).
    if (field === 'statusCode' && 'statusCode' in target) continue
    Object.defineProperty(target, field, { value, writable: true, configurable: true, enumerable: true })
  }
  return target as T & RestErrorFields
}

/** The payload form of a NuxtError carrying one of the module's errors, or false for any other value. */
export interface RestErrorPayload {
  fields: RestErrorFields
  statusCode: number
  statusMessage?: string
  fatal?: boolean
  unhandled?: boolean
  data?: unknown
}

export function toRestErrorPayload(value: unknown): RestErrorPayload | false {
  if (!value || typeof value !== 'object' || !('__nuxt_error' in value)) return false
  const typed = typedCause(value)
  if (!typed) return false
  const nuxtError = value as unknown as Error & { statusCode?: number, statusMessage?: string, fatal?: boolean, unhandled?: boolean, data?: unknown }
  const payload: RestErrorPayload = { fields: restErrorFields(typed), statusCode: nuxtError.statusCode ?? 500 }
  payload.statusMessage = nuxtError.statusMessage ?? typed.name
  if (nuxtError.fatal) payload.fatal = true
  if (nuxtError.unhandled) payload.unhandled = true
  if (nuxtError.data !== undefined) payload.data = nuxtError.data
  return payload
}

type CreateError = (input: { message: string, statusCode: number, statusMessage?: string, fatal?: boolean, unhandled?: boolean, data?: unknown }) => Error

/** The NuxtError again, from its payload form, with the typed error's name and fields. */
export function fromRestErrorPayload(payload: RestErrorPayload, createError: CreateError): Error & RestErrorFields {
  const { fields, ...init } = payload
  return adoptFields(createError({ message: fields.message, ...init }), fields)
}
