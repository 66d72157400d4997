// The REST server's streaming routes, for tests of clients and proxies that must not buffer:
// `GET bytes/:n` answers n bytes of text in 64 KiB chunks (chunked, no Content-Length; with
// `?length=1` the Content-Length is declared). With `?hold=<key>` it sends the first half, then
// waits until `POST bytes/release/<key>` (any API of the same server) before sending the rest, so a
// test can see the first bytes arrive before the API has finished answering.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { corsOrigin } from './http'

export const MAX_STREAM_BYTES = 64 * 1024 * 1024
const CHUNK = 64 * 1024

export interface StreamRoutes {
  /** Handles `bytes/…` (returns the status sent and a reason to record), or undefined for other paths. */
  handle: (segments: string[], method: string, query: Record<string, string | string[]>, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>) => Promise<{ status: number, reason: string }> | undefined
}

/** One per server: the held answers waiting for their release. */
export function streamRoutes(): StreamRoutes {
  const held = new Map<string, () => void>()
  const released = new Set<string>()
  return {
    handle(segments, method, query, req, res, headers) {
      if (segments[0] !== 'bytes') return undefined
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'access-control-allow-origin': corsOrigin(req), 'vary': 'Origin', ...headers, 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
        return Promise.resolve({ status, reason: `bytes: ${status}` })
      }
      if (segments[1] === 'release' && segments.length === 3 && method === 'POST') {
        const key = segments[2]!
        const release = held.get(key)
        if (release) release()
        else released.add(key)
        return send(200, { released: key, waiting: !!release })
      }
      if (segments.length !== 2 || method !== 'GET') return send(404, { message: 'expected GET bytes/:n or POST bytes/release/:key' })
      const total = /^\d+$/.test(segments[1]!) ? Number(segments[1]) : Number.NaN
      if (!(total <= MAX_STREAM_BYTES)) return send(400, { message: `bytes must be a whole number from 0 to ${MAX_STREAM_BYTES}` })
      const hold = typeof query.hold === 'string' ? query.hold : undefined
      return (async () => {
        res.writeHead(200, {
          'access-control-allow-origin': corsOrigin(req),
          'vary': 'Origin',
          ...headers,
          'content-type': 'text/plain; charset=utf-8',
          ...(query.length === '1' ? { 'content-length': String(total) } : {}),
        })
        const chunk = Buffer.alloc(CHUNK, 'x')
        let sent = 0
        const write = async (upTo: number) => {
          while (sent < upTo && !res.destroyed) {
            const n = Math.min(CHUNK, upTo - sent)
            sent += n
            if (!res.write(n === CHUNK ? chunk : chunk.subarray(0, n))) {
              await new Promise((resolve) => {
                res.once('drain', resolve)
                res.once('close', resolve)
              })
            }
          }
        }
        await write(hold ? Math.floor(total / 2) : total)
        if (hold && !released.delete(hold)) {
          await new Promise<void>((resolve) => {
            held.set(hold, resolve)
            res.once('close', () => resolve())
          })
          held.delete(hold)
        }
        await write(total)
        if (res.destroyed) return { status: 0, reason: `bytes: the client closed the connection after ${sent} of ${total} bytes` }
        res.end()
        return { status: 200, reason: `bytes: ${total} bytes sent${hold ? ` (held after ${Math.floor(total / 2)} until released)` : ''}` }
      })()
    },
  }
}
