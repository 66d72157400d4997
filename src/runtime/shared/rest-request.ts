// Checks of a call's own input before anything is sent (abort signal, query, body), and the masking
// of the secrets a call record shows. Pure.
import { InvalidRequestError, RequestAbortedError } from './errors'
import type { RestCallOptions, RestCallRecord, RestMethod } from './rest-types'

/** The first and last 4 characters of a secret, so logs and tools can tell values apart without holding them. */
export function mask(value: string): string {
  return value.length <= 12 ? '•'.repeat(Math.min(value.length, 8)) : `${value.slice(0, 4)}…${value.slice(-4)}`
}

/** Each await before sending is a point where the caller may have aborted: nothing is sent then. */
export function assertNotAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RequestAbortedError('Request aborted before it was sent', { cause: signal.reason })
}

export function toQueryParams(query: RestCallOptions['query']): Record<string, string> | undefined {
  if (query === undefined) return undefined
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    throw new InvalidRequestError(`query must be an object of names to values; got ${Array.isArray(query) ? 'an array' : typeof query}`)
  const params: Record<string, string> = {}
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    if (!['string', 'number', 'boolean'].includes(typeof value))
      throw new InvalidRequestError(`query.${key} is a ${value === null ? 'null' : typeof value}; expected a string, number or boolean`)
    params[key] = String(value)
  }
  return params
}

export function assertSerialisable(body: unknown): void {
  if (body === undefined || (typeof FormData !== 'undefined' && body instanceof FormData)) return
  try {
    JSON.stringify(body)
  }
  catch (error) {
    throw new InvalidRequestError(`body cannot be serialised to JSON: ${(error as Error).message}`, { cause: error })
  }
}

/**
 * What a call record (`amplify:rest:response`) says of a call: what the call resolved so far
 * (`seen`), else what its options asked for. Shared by the browser core and the session proxy client.
 */
export function callRecord(method: RestMethod, path: string, options: RestCallOptions | undefined, seen: Partial<RestCallRecord>, defaultApi: string): Omit<RestCallRecord, 'durationMs'> {
  return {
    method,
    apiName: seen.apiName ?? options?.apiName ?? defaultApi,
    path: seen.path ?? String(path),
    authMode: seen.authMode ?? options?.authMode ?? 'none',
    headers: seen.headers ?? {},
    signed: seen.signed ?? false,
  }
}
