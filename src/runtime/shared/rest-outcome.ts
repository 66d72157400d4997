// What a call's outcome becomes: the answer's body parsed, and whatever Amplify threw mapped to one
// of the module's typed errors. Pure.
import {
  AmplifyRestError, CredentialsError, NetworkError, RequestAbortedError, RequestTimeoutError,
  RestApiError, SessionExpiredError,
} from './errors'

export async function parseBody(response: { headers: Record<string, string>, body?: { text: () => Promise<string> } }): Promise<unknown> {
  const text = response.body ? await response.body.text() : ''
  return parseText(text, response.headers?.['content-type'])
}

/** A JSON media type (`application/json`, `…+json`, with parameters), in any letter case as media types are. */
export function isJsonType(contentType: string): boolean {
  return /[/+]json\b/i.test(contentType)
}

function parseText(text: string, contentType: string | undefined): unknown {
  if (text === '') return contentType?.toLowerCase().includes('json') ? null : ''
  if (contentType ? isJsonType(contentType) : /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text)
    }
    catch {
      return text
    }
  }
  return text
}

/** The typed error for a failed credentials lookup of an `iam` call. */
export function credentialsError(apiName: string, cause: unknown): Error {
  if (cause instanceof AmplifyRestError) return cause
  const name = (cause as Error)?.name ?? ''
  if (name === 'NetworkError' || cause instanceof TypeError)
    return new NetworkError(`${apiName}: the identity pool could not be reached for credentials; nothing was sent`, { cause })
  if (name.startsWith('NotAuthorizedException'))
    return new SessionExpiredError(`${apiName}: the identity pool refused the session (${name}); sign in again`, { cause })
  return new CredentialsError(`${apiName}: no credentials from the identity pool (${name || 'error'}: ${(cause as Error)?.message ?? String(cause)}); nothing was sent`, { cause })
}

/** Turns whatever Amplify threw into one of our typed errors. */
export function mapError(error: unknown, apiName: string, path: string): Error {
  if (error instanceof AmplifyRestError) return error
  const err = error as { name?: string, message?: string, response?: { statusCode: number, headers?: Record<string, string>, body?: string } }
  if (err?.response && typeof err.response.statusCode === 'number') {
    const headers = err.response.headers ?? {}
    return new RestApiError({
      statusCode: err.response.statusCode,
      headers,
      body: parseText(err.response.body ?? '', headers['content-type']),
      apiName,
      path,
    }, { cause: error })
  }
  switch (err?.name) {
    case 'NetworkError':
      return new NetworkError(`${apiName} ${path}: no answer from the server (${err.message ?? 'network error'})`, { cause: error })
    case 'TimeoutError':
      return new RequestTimeoutError(undefined, { cause: error })
    case 'CanceledError':
    case 'AbortError':
      return new RequestAbortedError('Request aborted', { cause: error })
    case 'NotAuthorizedException':
    case 'TokenRefreshException':
      return new SessionExpiredError(`The session could not be refreshed (${err.name}); sign in again`, { cause: error })
  }
  return new AmplifyRestError(`${apiName} ${path}: ${err?.message ?? String(error)}`, { cause: error })
}
