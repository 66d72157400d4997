// /api/_amplify/rest/<apiName>/<path>: a browser `$restApi` call, sent on to the API with the
// mode's auth added here (upstream.ts): tokens from this request's verified cookies (refreshed,
// new HttpOnly cookies, when needed), API keys from the private runtime config. The body streams
// to the API and the answer streams back, both counted against `amplify.proxyMaxBytes`: a declared
// length over it is refused (413) before anything is read or sent; a body that passes it while
// streaming is cut (413, the API gets no complete request); an answer that passes it after its
// headers went out is cut after exactly the limit and ends with the answer's cut mark, which the
// browser reads as PayloadTooLargeError (proxy-stream.ts says why not a broken connection).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { H3Event } from 'h3'
import { defineEventHandler, getRequestHeader, getRequestHeaders, getRequestWebStream, send, setResponseHeader, setResponseStatus } from 'h3'
import { useNitroApp } from 'nitropack/runtime'
import { answerHeaders, parseProxyCall } from '../../shared/proxy-request'
import { assertDeclaredLength, CUT_MARK_HEADER, limitBytes, LIMIT_HEADER, newCutMark, readLimited } from '../../shared/proxy-stream'
import { PayloadTooLargeError } from '../../shared/errors'
import { SESSION_ROUTES } from '../../shared/session-routes'
import { useAmplifyServerContext } from '../context'
import { guardSessionRoute, sendTypedError } from './guard'
import { sendUpstream } from './upstream'

export default defineEventHandler(async (event) => {
  const options = guardSessionRoute(event)
  const limit = options.proxyMaxBytes
  try {
    const [pathname, search = ''] = event.path.split(/\?(.*)/s) as [string, string?]
    const call = parseProxyCall({ method: event.method, rest: pathname.slice(SESSION_ROUTES.rest.length + 1), search, headers: getRequestHeaders(event) })
    const hasBody = call.method !== 'GET' && call.method !== 'HEAD'
    const contentLength = getRequestHeader(event, 'content-length')
    if (hasBody) assertDeclaredLength(contentLength, limit, 'request')
    const stream = hasBody && contentLength !== '0' ? requestBody(event) : undefined

    // The browser went away: the server stops waiting for the API too.
    const gone = new AbortController()
    event.node.res.once('close', () => {
      if (!event.node.res.writableFinished) gone.abort()
    })
    const amplify = () => useAmplifyServerContext(event, options)
    const nitroApp = useNitroApp()
    const answer = await sendUpstream({
      call,
      options,
      ...(stream ? { body: stream } : {}),
      ...(contentLength && stream ? { contentLength } : {}),
      contentType: getRequestHeader(event, 'content-type'),
      limit,
      signal: gone.signal,
      tokens: () => amplify().freshTokens(),
      customToken: () => call.customToken ?? null,
      credentials: apiName => amplify().ensureCredentials(apiName),
      callHook: context => nitroApp.hooks.callHook('amplify:rest:request', context, event),
    })
    return await reply(event, answer, limit)
  }
  catch (error) {
    if (event.node.res.headersSent) return
    return sendTypedError(event, error)
  }
})

/**
 * The browser's body as a stream read at the pace the API takes it (h3's own stream pushes every
 * chunk as it comes). Cancelling it (over the limit) lets the rest drain unread instead of
 * destroying the connection, so the 413 still reaches the browser.
 */
function requestBody(event: H3Event): ReadableStream<Uint8Array> | undefined {
  const req = event.node.req as IncomingMessage & Record<string, unknown>
  // A serverless request carries its body already read (h3 knows those shapes).
  if ('__unenv__' in req || 'rawBody' in req || 'body' in req || !req.socket) return getRequestWebStream(event) as ReadableStream<Uint8Array> | undefined
  let open = true
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (!open) return
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 1) <= 0) req.pause()
      })
      req.once('end', () => {
        if (open) controller.close()
        open = false
      })
      req.once('error', (error) => {
        if (open) controller.error(error)
        open = false
      })
    },
    pull() {
      req.resume()
    },
    cancel() {
      open = false
      req.resume()
    },
  }, { highWaterMark: 64 * 1024, size: chunk => chunk.byteLength })
}

/** The API's answer, any status, passed back as it arrives. */
async function reply(event: H3Event, answer: Response, limit: number) {
  if (!answer.headers.get('content-encoding')) {
    try {
      assertDeclaredLength(answer.headers.get('content-length'), limit, 'response')
    }
    catch (error) {
      await answer.body?.cancel()
      throw error
    }
  }
  setResponseStatus(event, answer.status)
  const headers: Record<string, string> = {}
  answer.headers.forEach((value, name) => {
    headers[name] = value
  })
  for (const [name, value] of Object.entries(answerHeaders(headers))) setResponseHeader(event, name, value)
  setResponseHeader(event, LIMIT_HEADER, String(limit))
  if (!answer.body || event.method === 'HEAD') {
    await answer.body?.cancel()
    return send(event, '')
  }
  const res = event.node.res
  // No socket (a serverless handler collects the answer anyway): read it whole, up to the limit.
  if (!res.socket) return send(event, Buffer.from(await readLimited(answer.body, limit, 'response')))
  const mark = newCutMark()
  res.setHeader(CUT_MARK_HEADER, mark)
  await pump(limitBytes(answer.body, limit, 'response'), res, mark)
}

/**
 * Writes the stream to the response at the pace the browser reads it. Over the limit: the mark and
 * a clean end. Any other failure (the API's connection broke): what was written is flushed and the
 * connection broken, which the browser sees as a NetworkError.
 */
async function pump(stream: ReadableStream<Uint8Array>, res: ServerResponse, mark: string) {
  const reader = stream.getReader()
  let flushed: Promise<void> = Promise.resolve()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      flushed = new Promise(resolve => res.write(value, () => resolve()))
      if (res.writableNeedDrain) {
        await new Promise((resolve) => {
          res.once('drain', resolve)
          res.once('close', resolve)
        })
      }
      if (res.destroyed) return void reader.cancel().catch(() => {})
    }
    res.end()
  }
  catch (error) {
    if (error instanceof PayloadTooLargeError && !res.destroyed) return void res.end(mark)
    // Headers are out: the only way left to say "incomplete" is to break the connection.
    await flushed
    res.destroy()
  }
}
