// `session: 'server'`: bytes through the same-origin proxy, counted as they pass. A body or an
// answer is never read whole to learn its size: the stream errors with PayloadTooLargeError as
// soon as more than the limit has passed, after handing on exactly `limit` bytes. Pure (web streams).
import { PayloadTooLargeError } from './errors'

/** On every streamed proxy answer: the limit, so the browser can tell a cut answer from a dropped connection. */
export const LIMIT_HEADER = 'x-amplify-max-bytes'

export type Direction = 'request' | 'response'

/**
 * `source` passed on byte for byte; once more than `limit` bytes came, the first `limit` are handed
 * on, `onOver` is told, and the stream errors with PayloadTooLargeError (the source is cancelled).
 */
export function limitBytes(source: ReadableStream<Uint8Array>, limit: number, direction: Direction, onOver?: (error: PayloadTooLargeError) => void): ReadableStream<Uint8Array> {
  let seen = 0
  return source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const before = seen
      seen += chunk.byteLength
      if (seen <= limit) return controller.enqueue(chunk)
      if (before < limit) controller.enqueue(chunk.subarray(0, limit - before))
      const error = new PayloadTooLargeError(direction, limit)
      onOver?.(error)
      controller.error(error)
    },
  }))
}

/** The whole stream as bytes, refused (PayloadTooLargeError) as soon as it passes `limit`. */
export async function readLimited(source: ReadableStream<Uint8Array>, limit: number, direction: Direction): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = source.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new PayloadTooLargeError(direction, limit)
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}

/** A declared `Content-Length` over the limit is refused before a byte is read; anything else waits for the count. */
export function assertDeclaredLength(contentLength: string | null | undefined, limit: number, direction: Direction): void {
  if (contentLength && Number(contentLength) > limit) throw new PayloadTooLargeError(direction, limit)
}

/**
 * How the browser reads a proxy answer's body: as text, bytes counted. When the stream breaks after
 * exactly the limit the proxy announced, the proxy cut an answer over the limit: PayloadTooLargeError.
 * Any other break is rethrown as it came (the caller makes it a NetworkError).
 */
export async function readProxyAnswer(body: ReadableStream<Uint8Array> | null, limitHeader: string | null | undefined): Promise<string> {
  if (!body) return ''
  const limit = limitHeader ? Number(limitHeader) : Number.NaN
  const decoder = new TextDecoder()
  const reader = body.getReader()
  let size = 0
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      text += decoder.decode(value, { stream: true })
    }
  }
  catch (error) {
    if (Number.isInteger(limit) && size >= limit) throw new PayloadTooLargeError('response', limit)
    throw error
  }
  return text + decoder.decode()
}

/** The API's URL for a call as Amplify builds it: endpoint + path, the call's query merged over the path's. */
export function upstreamUrl(endpoint: string, path: string, query?: Record<string, string>): URL {
  const url = new URL(endpoint + path)
  if (query && Object.keys(query).length) {
    const merged = new URLSearchParams(url.searchParams)
    for (const [key, value] of Object.entries(query)) merged.set(key, value)
    url.search = merged.toString()
  }
  return url
}
