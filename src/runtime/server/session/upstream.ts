// The proxy's call to the API, made directly (no Amplify REST client in between): the same API
// lookup, path checks and headers as `$restApi` (shared/headers.ts: the mode's auth, the API's
// static headers, the call's), Nitro's `amplify:rest:request` hook, then one `fetch` whose body is
// the browser's body as it streams in (counted against the limit). An `iam` call is signed with
// Amplify's SigV4 signer over the body's SHA-256, so its body is read first (up to the limit):
// API Gateway (execute-api) does not accept UNSIGNED-PAYLOAD.
import { signRequest } from '@aws-amplify/core/internals/aws-client-utils'
import type { ResolvedOptions } from '../../shared/option-types'
import { assertUnderEndpoint, assertValidHeaders, hasOwnAuthorization, normalizePath, resolveHeaders, signingMode } from '../../shared/headers'
import type { CallTokens } from '../../shared/headers'
import type { PayloadTooLargeError } from '../../shared/errors'
import { AmplifyRestError, NetworkError, RequestAbortedError, RequestTimeoutError, UnknownApiError } from '../../shared/errors'
import type { ProxiedCall } from '../../shared/proxy-request'
import { limitBytes, readLimited, upstreamUrl } from '../../shared/proxy-stream'
import type { CheckedCredentials, RestRequestContext } from '../../shared/rest-types'

export interface UpstreamInput {
  call: ProxiedCall
  options: ResolvedOptions
  /** The browser's body as it arrives, undefined for none. */
  body?: ReadableStream<Uint8Array>
  /** The body's declared length (already checked against the limit), passed on when known. */
  contentLength?: string
  contentType?: string
  limit: number
  /** Aborts when the browser goes away. */
  signal: AbortSignal
  tokens: () => Promise<CallTokens | undefined>
  customToken: () => string | null
  credentials: (apiName: string) => Promise<CheckedCredentials>
  callHook: (context: RestRequestContext) => unknown
}

const DEFAULT_SIGNING_SERVICE = 'execute-api'
/** Amplify's own rule (api-rest's APIG_HOSTNAME_PATTERN): an API Gateway host names its region. */
const API_GATEWAY_HOST = /^.+\.([a-z0-9-]+)\.([a-z0-9-]+)\.amazonaws\.com/

/** Sends the call; the API's answer (any status) as it starts to arrive, or a typed error. */
export async function sendUpstream(input: UpstreamInput): Promise<Response> {
  const { call, options, limit } = input
  const apiName = call.apiName
  const api = Object.hasOwn(options.rest, apiName) ? options.rest[apiName] : undefined
  // A server-only API stays on the server: the browser cannot reach it through the proxy either.
  if (!api || api.serverOnly) throw new UnknownApiError(apiName, Object.keys(options.rest).filter(name => !options.rest[name]!.serverOnly), !!api?.serverOnly)
  const path = normalizePath(call.path)
  assertUnderEndpoint(api.endpoint, api.endpoint + path)
  const authMode = call.options.authMode ?? api.authMode
  const callHeaders = call.options.headers
  const tokens = authMode === 'userPool' && !hasOwnAuthorization(callHeaders) ? await input.tokens() : undefined
  const context: RestRequestContext = { apiName, method: call.method, path, authMode, headers: resolveHeaders({ apiName, api, authMode, tokens, customToken: input.customToken(), callHeaders }) }
  await input.callHook(context)
  const headers = assertValidHeaders(context.headers)
  const url = upstreamUrl(api.endpoint, path, call.options.query as Record<string, string> | undefined)
  assertUnderEndpoint(api.endpoint, url)

  let over: PayloadTooLargeError | undefined
  let body: ReadableStream<Uint8Array> | Uint8Array | undefined = input.body && limitBytes(input.body, limit, 'request', (error) => {
    over = error
  })
  if (body) {
    // What Amplify sends with a body: a JSON content type unless the call set a JSON-compatible one.
    const type = headers['content-type'] ?? input.contentType
    headers['content-type'] = type && /^application\/(?:json|[^;]*\+json)/.test(type) ? type : 'application/json; charset=UTF-8'
  }
  if (signingMode(authMode, headers) === 'iam') {
    const checked = await input.credentials(apiName)
    if (body) body = await readLimited(body as ReadableStream<Uint8Array>, limit, 'request')
    Object.assign(headers, sign(url, call.method, headers, body as Uint8Array | undefined, checked, api.region))
  }
  else if (body && input.contentLength) {
    headers['content-length'] = input.contentLength
  }

  const timeout = call.options.timeout
  const signal = timeout === undefined ? input.signal : AbortSignal.any([input.signal, AbortSignal.timeout(timeout)])
  try {
    return await fetch(url, {
      method: call.method,
      headers,
      signal,
      redirect: 'manual',
      ...(body ? { body: body as BodyInit, duplex: 'half' } : {}),
    } as RequestInit)
  }
  catch (error) {
    if (over) throw over
    if (error instanceof AmplifyRestError) throw error
    if (input.signal.aborted) throw new RequestAbortedError('Request aborted', { cause: error })
    if (signal.aborted) throw new RequestTimeoutError(timeout, { cause: error })
    throw new NetworkError(`${apiName} ${path}: no answer from the API (${(error as Error)?.message ?? 'network error'})`, { cause: error })
  }
}

/** The SigV4 headers (Amplify's signer) over the exact bytes sent. */
function sign(url: URL, method: string, headers: Record<string, string>, body: Uint8Array | undefined, checked: CheckedCredentials, configuredRegion: string): Record<string, string> {
  const [, service, region] = API_GATEWAY_HOST.exec(url.hostname) ?? []
  const signed = signRequest({ url, method, headers, body: (body ?? '') as string }, {
    credentials: checked.credentials,
    signingDate: new Date(),
    signingRegion: service === DEFAULT_SIGNING_SERVICE && region ? region : configuredRegion,
    signingService: DEFAULT_SIGNING_SERVICE,
  })
  return signed.headers
}
