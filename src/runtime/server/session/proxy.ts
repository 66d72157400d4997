// /api/_amplify/rest/<apiName>/<path>: a browser `$restApi` call made by the server's own
// `$restApi` for this request (`useServerRestApi(event)`): the mode's auth added here, tokens
// refreshed (new HttpOnly cookies) when needed, API keys from the private runtime config. The
// body and the answer are limited to `amplify.proxyMaxBytes`.
import type { H3Event } from 'h3'
import { defineEventHandler, getRequestHeader, getRequestHeaders, send, setResponseHeader, setResponseStatus } from 'h3'
import { RestApiError } from '../../shared/errors'
import { answerHeaders, assertWithinLimit, decodeProxyBody, parseProxyCall } from '../../shared/proxy-request'
import type { RawResponse, RestCallOptions } from '../../shared/rest-types'
import { SESSION_ROUTES } from '../../shared/session-routes'
import { setServerCustomToken, useServerRestApi } from '../utils/amplify'
import { guardSessionRoute, sendTypedError } from './guard'

const METHODS = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'del', HEAD: 'head' } as const

export default defineEventHandler(async (event) => {
  const options = guardSessionRoute(event)
  const limit = options.proxyMaxBytes
  try {
    const [pathname, search = ''] = event.path.split(/\?(.*)/s) as [string, string?]
    const call = parseProxyCall({ method: event.method, rest: pathname.slice(SESSION_ROUTES.rest.length + 1), search, headers: getRequestHeaders(event) })
    const bytes = await readLimited(event, limit)
    const body = decodeProxyBody(bytes, getRequestHeader(event, 'content-type'))
    if (call.customToken) setServerCustomToken(event, call.customToken)

    // The browser went away: the server stops waiting for the API too.
    const aborted = new AbortController()
    event.node.res.once('close', () => {
      if (!event.node.res.writableFinished) aborted.abort()
    })
    const callOptions: RestCallOptions & { raw: true } = { ...call.options, ...(body !== undefined ? { body } : {}), signal: aborted.signal, raw: true }
    const api = useServerRestApi(event)
    let answer: RawResponse
    try {
      answer = call.method === 'HEAD' ? await api.head(call.path, callOptions) : await api[METHODS[call.method]](call.path, callOptions)
    }
    catch (error) {
      // The API's own non-2xx answer goes through as it came (the browser makes it a RestApiError).
      if (!(error instanceof RestApiError)) throw error
      answer = { statusCode: error.statusCode, headers: error.headers, body: error.body }
    }
    return reply(event, answer, limit)
  }
  catch (error) {
    return sendTypedError(event, error)
  }
})

async function reply(event: H3Event, answer: RawResponse, limit: number) {
  const headers = answerHeaders(answer.headers ?? {})
  const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
  assertWithinLimit(Buffer.byteLength(text), limit, 'response')
  setResponseStatus(event, answer.statusCode)
  for (const [name, value] of Object.entries(headers)) setResponseHeader(event, name, value)
  if (typeof answer.body !== 'string' && answer.body !== undefined && !headers['content-type']?.includes('json'))
    setResponseHeader(event, 'content-type', 'application/json')
  return send(event, text)
}

/** The request body, refused with 413 as soon as it passes the limit (a Content-Length over it: before reading). */
async function readLimited(event: H3Event, limit: number): Promise<Uint8Array> {
  if (event.method === 'GET' || event.method === 'HEAD') return new Uint8Array()
  assertWithinLimit(Number(getRequestHeader(event, 'content-length') ?? 0), limit, 'request')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of event.node.req as AsyncIterable<Buffer>) {
    size += chunk.length
    assertWithinLimit(size, limit, 'request')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
