// Small HTTP helpers shared by the local servers. Plain node:http on purpose:
// the servers must see requests byte for byte (SigV4 signs the raw path and
// body), which frameworks tend to normalise away.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Server as NetServer } from 'node:net'

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void

export interface StartedServer {
  port: number
  url: string
  close: () => Promise<void>
}

/** Thrown for every startup failure, so callers can catch one class and tests can check the child is gone. */
export class LocalBackendError extends Error {
  override name = 'LocalBackendError'
  /** pid of the cognito-local child if one was spawned (it is no longer running when this is thrown). */
  childPid?: number
  constructor(message: string, options?: { cause?: unknown, childPid?: number | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    if (options?.childPid !== undefined) this.childPid = options.childPid
  }
}

/**
 * Which requests the local servers answer at all (cognito-local's child applies the same rule, see
 * cognito.ts). Plain JSON so it can be handed to the child in an environment variable.
 */
export interface RequestPolicy {
  /** Host names (no port) accepted besides localhost, 127.0.0.1 and [::1]: the non-loopback `host` option, if any. */
  hosts: string[]
  /** Exact origins allowed to call (CORS); null = any `http://` origin on a loopback name. */
  origins: string[] | null
}

/**
 * Why a request is refused, or undefined when it may be served. Self-contained on purpose (no
 * outside names): cognito.ts injects its source into cognito-local's child process.
 *  - Host: only loopback names (or the configured bind address), so a DNS-rebinding page whose name
 *    now resolves to 127.0.0.1 cannot reach the servers under its own name.
 *  - Origin: when present (browsers send it on cross-origin calls), it must be allowed, so another
 *    site open in the developer's browser cannot call the local pool, identity pool or APIs.
 */
export function requestRefusal(host: string | undefined, origin: string | undefined, policy: RequestPolicy): string | undefined {
  const loopback = ['localhost', '127.0.0.1', '[::1]']
  const name = typeof host === 'string' ? host.toLowerCase().replace(/:\d+$/, '') : ''
  if (!loopback.includes(name) && !policy.hosts.includes(name)) {
    return `Local backend: refused a request for Host ${JSON.stringify(host ?? '')}: only ${[...loopback, ...policy.hosts].join(', ')} (any port) are served.`
  }
  if (origin === undefined) return undefined
  const allowed = policy.origins === null
    ? /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/i.test(origin)
    : policy.origins.includes(origin)
  return allowed
    ? undefined
    : `Local backend: refused a request from origin ${JSON.stringify(origin)}: allowed are ${policy.origins === null ? 'http:// origins on localhost, 127.0.0.1 or [::1]' : policy.origins.join(', ')}; set startLocalBackend({ corsOrigins }) to allow others.`
}

/**
 * Listens on host:port (0 = free port). A port clash becomes a message that
 * names the option, because "EADDRINUSE" alone doesn't say which of four
 * servers or what to change. With a `policy`, requests it refuses get a 403 and no CORS header.
 */
export function listen(handler: Handler, opts: { host: string, port: number, what: string, option: string, policy?: RequestPolicy }): Promise<StartedServer> {
  const server = createServer((req, res) => {
    const refusal = opts.policy && requestRefusal(req.headers.host, req.headers.origin, opts.policy)
    if (refusal) {
      const payload = JSON.stringify({ __type: 'ForbiddenException', message: refusal })
      res.writeHead(403, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)), 'x-amzn-errortype': 'ForbiddenException' })
      res.end(payload)
      return
    }
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      // Never echo the error: it could contain a token from the request.
      if (!res.headersSent) {
        sendJson(req, res, 500, { message: 'Internal error in the local backend', reason: (error as Error)?.name ?? 'Error' })
      }
      else {
        res.destroy()
      }
    })
  })
  // Connections stay open for reuse as API Gateway's do (close() ends them at once: closeAllConnections).
  // Not 1 s: Node's fetch (undici) takes `Keep-Alive: timeout=1` as "do not reuse", so a server-side
  // caller (the session: 'server' proxy, SSR) opened a new connection per call while the browser
  // reused its own, which tilted B7 against the proxy.
  server.keepAliveTimeout = 5000
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.close()
      if (error.code === 'EADDRINUSE') {
        reject(new LocalBackendError(
          `Local backend: the ${opts.what} cannot listen on ${opts.host}:${opts.port} because the port is already in use. `
          + `Stop whatever uses it, or leave \`${opts.option}\` unset to get a free port.`, { cause: error }))
      }
      else {
        reject(new LocalBackendError(`Local backend: the ${opts.what} cannot listen on ${opts.host}:${opts.port} (${error.code ?? error.message}).`, { cause: error }))
      }
    }
    server.once('error', onError)
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError)
      const { port } = server.address() as AddressInfo
      resolve({ port, url: `http://${urlHost(opts.host)}:${port}`, close: () => closeServer(server) })
    })
  })
}

/** An HTTPS server of the local backend on a free port of `host`; a failure names the server (`what`) and the host. */
export async function listenOnFreePort(server: NetServer & { keepAliveTimeout: number }, host: string, what: string): Promise<number> {
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', error => reject(new LocalBackendError(`Local backend: ${what} cannot listen on ${host} (${(error as NodeJS.ErrnoException).code ?? error.message})`, { cause: error })))
    server.listen(0, host, () => resolve())
  })
  return (server.address() as AddressInfo).port
}

/** Brackets IPv6 literals so the host can go into a URL. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve()
    server.close(() => resolve())
    // Keep-alive sockets would otherwise hold close() open until they time out.
    server.closeAllConnections()
  })
}

/** A port the OS considers free right now; used for the child, which has to be told its port up front. */
export async function freePort(host: string): Promise<number> {
  const probe = await listen(() => {}, { host, port: 0, what: 'port probe', option: 'ports' })
  await probe.close()
  return probe.port
}

export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new Error('Request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * The browser only accepts a CORS answer naming its origin (or `*`). Echoing is safe: a request from an
 * origin the policy does not allow was refused before any handler ran. `*` only for non-browser clients.
 */
export function corsOrigin(req: IncomingMessage): string {
  const origin = req.headers.origin
  return typeof origin === 'string' && origin ? origin : '*'
}

export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void {
  const payload = body === undefined || status === 204 || status === 304 ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'access-control-allow-origin': corsOrigin(req),
    'vary': 'Origin',
    ...headers,
    ...(payload ? { 'content-type': contentType } : {}),
    'content-length': String(Buffer.byteLength(payload)),
  })
  res.end(req.method === 'HEAD' ? undefined : payload)
}

/** JSON 1.1 error as Amplify parses it: type from `x-amzn-errortype`, else `__type`. */
export function sendAwsError(req: IncomingMessage, res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(req, res, status, { __type: type, message }, {
    'x-amzn-errortype': type,
    'access-control-expose-headers': 'x-amzn-errortype, x-amzn-requestid',
  }, 'application/x-amz-json-1.1')
}

/** Parses a JSON body; `undefined` when it is not JSON so callers can answer with a protocol error. */
export function parseJson(body: Buffer): unknown {
  if (!body.length) return {}
  try {
    return JSON.parse(body.toString('utf8'))
  }
  catch {
    return undefined
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A request as the REST server's checks read it (API key, JWT, SigV4): raw target, headers, body. */
export interface RawRequest {
  method: string
  /** Raw request target up to `?`, exactly as received. */
  rawPath: string
  /** Raw query string without `?`. */
  rawQuery: string
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** A header's value; repeated values (node keeps an array only for a few names) joined as HTTP does. */
export function headerValue(headers: RawRequest['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/**
 * The answer to a CORS preflight, for every local server: the request's own (allowed) origin,
 * the server's methods, and the headers it allows (the requested ones by default).
 */
export function sendPreflight(req: IncomingMessage, res: ServerResponse, allow: { methods: string, headers?: string[], exposeHeaders?: string }): void {
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',').map(name => name.trim().toLowerCase()).filter(Boolean)
  const headers = [...new Set([...(allow.headers ?? []), ...requested])]
  res.writeHead(204, {
    'access-control-allow-origin': corsOrigin(req),
    'access-control-allow-methods': allow.methods,
    ...(headers.length ? { 'access-control-allow-headers': headers.join(', ') } : {}),
    ...(allow.exposeHeaders ? { 'access-control-expose-headers': allow.exposeHeaders } : {}),
    'access-control-max-age': '600',
    'vary': 'Origin, Access-Control-Request-Headers',
    'content-length': '0',
  })
  res.end()
}

/**
 * Ends the request's connection without (any further) answer, with a TCP reset: the client sees a
 * network error, as when a server is unreachable or crashes. Used by the fault switches and routes.
 */
export function dropConnection(req: IncomingMessage): void {
  const socket = req.socket
  if (socket.destroyed) return
  socket.resetAndDestroy()
}
