// `session: 'server'`: bytes through the same-origin proxy, counted as they pass. A body or an
// answer is never read whole to learn its size: the stream errors with PayloadTooLargeError as
// soon as more than the limit has passed, after handing on exactly `limit` bytes. Pure (web streams).
import { PayloadTooLargeError } from './errors'

/** On every streamed proxy answer: the limit, so the browser can tell a cut answer from a dropped connection. */
export const LIMIT_HEADER = 'x-amplify-max-bytes'

/**
 * On every streamed proxy answer: a random mark, new for each answer. An answer cut at the limit
 * is the first `limit` bytes, then this mark, then a clean end of the body. A clean end, because
 * a broken connection is no signal a browser keeps: Chromium drops the bytes its page has not
 * read yet when the break arrives, so "broke off after exactly `limit` bytes" was seen only when
 * the page read fast enough. The API cannot forge the mark: it is made after the API answered.
 */
export const CUT_MARK_HEADER = 'x-amplify-cut-mark'

/** A fresh mark for one answer: 22 URL-safe characters (128 random bits). */
export function newCutMark(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

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
  return concat(chunks, size)
}

/** A declared `Content-Length` over the limit is refused before a byte is read; anything else waits for the count. */
export function assertDeclaredLength(contentLength: string | null | undefined, limit: number, direction: Direction): void {
  if (contentLength && Number(contentLength) > limit) throw new PayloadTooLargeError(direction, limit)
}

/**
 * How the browser reads a proxy answer's body: as text. An answer of exactly the announced limit
 * followed by the answer's cut mark (see CUT_MARK_HEADER) was cut by the proxy:
 * PayloadTooLargeError. A break of the stream is rethrown as it came (the caller makes it a NetworkError).
 */
export async function readProxyAnswer(body: ReadableStream<Uint8Array> | null, limitHeader: string | null | undefined, markHeader?: string | null): Promise<string> {
  if (!body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
  }
  const bytes = concat(chunks, size)
  const limit = limitHeader ? Number(limitHeader) : Number.NaN
  if (markHeader && Number.isInteger(limit) && endsWithMark(bytes, limit, new TextEncoder().encode(markHeader)))
    throw new PayloadTooLargeError('response', limit)
  return new TextDecoder().decode(bytes)
}

function endsWithMark(bytes: Uint8Array, limit: number, mark: Uint8Array): boolean {
  if (bytes.byteLength !== limit + mark.byteLength) return false
  return mark.every((byte, index) => bytes[limit + index] === byte)
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
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
