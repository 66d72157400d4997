// The API Gateway stand-in: six APIs, one per auth mode, each under its own
// path prefix on one server. Every request is authorized for real (see
// rest-auth.ts) before it reaches the routes, and recorded as received.
// Besides `echo` and `items`, fault routes (`status/:code`, `delay/:ms`,
// `reset`, `drop`) let tests see what a client does when the network or the
// server misbehaves (see LocalBackendFaults in types.ts); `bytes/:n` streams
// (stream-route.ts).

import { randomUUID } from 'node:crypto'
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import { corsOrigin, dropConnection, listen, parseJson, readBody, sendJson, sendPreflight, type RequestPolicy, type StartedServer } from './http'
import type { TokenUse } from './jwt'
import { authorize, type AuthContext, type Principal } from './rest-auth'
import { parseQuery } from './sigv4'
import type { LocalApiName, LocalAuthMode, LocalRecordedRequest } from './types'
import { streamRoutes } from './stream-route'

export interface ApiDefinition {
  name: LocalApiName
  prefix: string
  mode: LocalAuthMode
  tokenUse?: TokenUse
}

export const APIS: readonly ApiDefinition[] = [
  { name: 'iam', prefix: '/iam', mode: 'iam' },
  { name: 'apiKey', prefix: '/apikey', mode: 'apiKey' },
  { name: 'userPool', prefix: '/userpool', mode: 'userPool', tokenUse: 'id' },
  { name: 'userPoolAccess', prefix: '/userpool-access', mode: 'userPool', tokenUse: 'access' },
  { name: 'custom', prefix: '/custom', mode: 'custom' },
  { name: 'none', prefix: '/none', mode: 'none' },
]

const ALLOWED_METHODS = 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS'
const ALLOWED_HEADERS = ['authorization', 'x-api-key', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-user-agent', 'content-type']
const EXPOSED_HEADERS = 'x-amzn-requestid, x-amzn-errortype, x-amz-apigw-id, content-length, content-type, date'
/** Upper bound of `/delay/:ms`, so a forgotten test cannot hold a connection for long. */
export const MAX_DELAY_MS = 30_000

export interface Item { id: string, name: string }

/** One store for all APIs, so a write through one auth mode is visible through another. */
export class ItemStore {
  private readonly items = new Map<string, Item>()
  private nextId = 1

  constructor(seed: string[] = ['first item', 'second item']) {
    for (const name of seed) this.create(name)
  }

  list(): Item[] {
    return [...this.items.values()]
  }

  get(id: string): Item | undefined {
    return this.items.get(id)
  }

  create(name: string): Item {
    const item = { id: String(this.nextId++), name }
    this.items.set(item.id, item)
    return item
  }

  update(id: string, name: string): Item | undefined {
    const item = this.items.get(id)
    if (!item) return undefined
    item.name = name
    return item
  }

  delete(id: string): boolean {
    return this.items.delete(id)
  }
}

export interface RestServerOptions {
  host: string
  port: number
  auth: AuthContext
  items: ItemStore
  requests: LocalRecordedRequest[]
  /** Which Host / Origin headers are served (see http.ts). */
  policy: RequestPolicy
}

function findApi(path: string): ApiDefinition | undefined {
  return APIS.find(api => path === api.prefix || path.startsWith(`${api.prefix}/`))
}

function parseBody(req: IncomingMessage, body: Buffer): unknown {
  if (!body.length) return null
  const text = body.toString('utf8')
  if (String(req.headers['content-type'] ?? '').includes('json')) {
    try {
      return JSON.parse(text)
    }
    catch {
      return text
    }
  }
  return text
}

export function startRestServer(opts: RestServerOptions): Promise<StartedServer> {
  const streams = streamRoutes()
  return listen(async (req, res) => {
    const receivedAt = Date.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const rawUrl = req.url ?? '/'
    const q = rawUrl.indexOf('?')
    const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q)
    const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1)
    const query = parseQuery(rawQuery)
    const api = findApi(rawPath)

    const record = (status: number, extra: Partial<LocalRecordedRequest>) => {
      opts.requests.push({
        api: api?.name ?? null,
        mode: api?.mode ?? null,
        method,
        receivedAt,
        path: rawPath,
        query,
        headers: { ...req.headers },
        status,
        verified: false,
        preflight: false,
        ...extra,
      })
    }
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      sendJson(req, res, status, body, {
        'access-control-expose-headers': EXPOSED_HEADERS,
        'x-amzn-requestid': randomUUID(),
        ...headers,
      })
    }

    // Preflights are never authenticated (browsers send no credentials on them), as with API Gateway CORS.
    if (method === 'OPTIONS') {
      sendPreflight(req, res, { methods: ALLOWED_METHODS, headers: ALLOWED_HEADERS, exposeHeaders: EXPOSED_HEADERS })
      record(204, { preflight: true, reason: 'CORS preflight (not authenticated)' })
      return
    }

    const body = await readBody(req)
    if (!api) {
      reply(404, { message: 'Not Found', reason: `no API under ${rawPath}; known prefixes: ${APIS.map(a => a.prefix).join(', ')}` })
      record(404, { reason: 'unknown API prefix' })
      return
    }

    const auth = await authorize(api.mode, api.tokenUse, { method, rawPath, rawQuery, headers: req.headers, body }, opts.auth)
    if (!auth.ok) {
      reply(auth.status, { message: auth.message, reason: auth.reason }, { 'x-amzn-errortype': auth.errorType })
      record(auth.status, { reason: auth.reason })
      return
    }

    const verified: Partial<LocalRecordedRequest> = {
      verified: true,
      ...(auth.who.principal ? { principal: auth.who.principal } : {}),
      ...(auth.who.role ? { role: auth.who.role } : {}),
    }
    // `bytes/…`: answers streamed (stream-route.ts).
    const streamed = streams.handle((rawPath.slice(api.prefix.length) || '/').split('/').filter(Boolean), method, query, req, res, { 'access-control-expose-headers': EXPOSED_HEADERS, 'x-amzn-requestid': randomUUID() })
    if (streamed) {
      const { status, reason } = await streamed
      record(status, { ...verified, reason })
      return
    }
    const route = routeRequest({ api, method, path: rawPath.slice(api.prefix.length) || '/', rawPath, query, req, body, who: auth.who, items: opts.items })
    if (route.fault === 'drop') {
      dropConnection(req)
      record(0, { ...verified, reason: route.reason })
      return
    }
    if (route.fault === 'reset') {
      await closeMidResponse(req, res, route.body, { 'access-control-expose-headers': EXPOSED_HEADERS, 'x-amzn-requestid': randomUUID() })
      record(route.status, { ...verified, reason: route.reason })
      return
    }
    if (route.delayMs !== undefined && !await waitUnlessClosed(res, route.delayMs)) {
      record(0, { ...verified, clientClosed: true, reason: `the client closed the connection before the ${route.delayMs} ms delay ended` })
      return
    }
    reply(route.status, route.body)
    record(route.status, { ...verified, ...(route.reason ? { reason: route.reason } : {}) })
  }, { host: opts.host, port: opts.port, what: 'REST server', option: 'ports.rest', policy: opts.policy })
}

interface RouteInput {
  api: ApiDefinition
  method: string
  /** Path inside the API, e.g. `/items/1`. */
  path: string
  rawPath: string
  query: Record<string, string | string[]>
  req: IncomingMessage
  body: Buffer
  who: Principal
  items: ItemStore
}

interface RouteResult {
  status: number
  body: unknown
  reason?: string
  /** Answer only after this many ms, unless the client disconnects first. */
  delayMs?: number
  /** `reset`: status, headers and half the body, then the socket is destroyed; `drop`: reset with no answer at all. */
  fault?: 'reset' | 'drop'
}

/**
 * Resolves true after `ms`, or false as soon as the connection closes (the client aborted or timed
 * out); the timer never outlives the connection, so `stop()` is not held up by a pending delay.
 */
function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed || res.socket?.destroyed) return resolve(false)
    const onClose = () => {
      clearTimeout(timer)
      resolve(false)
    }
    const timer = setTimeout(() => {
      res.off('close', onClose)
      resolve(true)
    }, ms)
    res.once('close', onClose)
  })
}

/**
 * Sends a 200 status line, headers (with the full Content-Length) and half of the JSON body, waits
 * until that is handed to the OS, then destroys the socket: the client has the headers and then
 * sees the body end early (a network error while reading it).
 */
async function closeMidResponse(req: IncomingMessage, res: ServerResponse, body: unknown, headers: Record<string, string>): Promise<void> {
  const payload = JSON.stringify(body)
  res.writeHead(200, {
    'access-control-allow-origin': corsOrigin(req),
    'vary': 'Origin',
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(payload)),
  })
  if (req.method === 'HEAD') res.flushHeaders()
  else await new Promise<void>(resolve => res.write(payload.slice(0, Math.floor(payload.length / 2)), () => resolve()))
  req.socket.destroy()
}

function routeRequest(input: RouteInput): RouteResult {
  const { method, path, items } = input
  let segments: string[]
  try {
    segments = path.split('/').filter(Boolean).map(segment => decodeURIComponent(segment))
  }
  catch {
    return { status: 400, body: { message: 'Malformed percent-encoding in path' }, reason: 'malformed path' }
  }

  if (segments[0] === 'echo' && segments.length === 1) return { status: 200, body: echo(input) }

  if (segments[0] === 'status' && segments.length === 2) {
    const code = Number(segments[1])
    if (!Number.isInteger(code) || code < 200 || code > 599) return { status: 400, body: { message: 'status must be an integer from 200 to 599' }, reason: 'bad status code' }
    return { status: code, body: { status: code, message: STATUS_CODES[code] ?? 'Unknown status' } }
  }

  if (segments[0] === 'delay' && segments.length === 2) {
    const ms = /^\d+$/.test(segments[1]!) ? Number(segments[1]) : Number.NaN
    if (!(ms <= MAX_DELAY_MS)) return { status: 400, body: { message: `delay must be a whole number of ms from 0 to ${MAX_DELAY_MS}` }, reason: 'bad delay' }
    return { status: 200, body: { delayed: ms, method }, delayMs: ms }
  }

  if (segments[0] === 'reset' && segments.length === 1) {
    return {
      status: 200,
      body: { message: 'This answer is cut short: the connection is closed mid-body.', padding: 'x'.repeat(256) },
      reason: 'connection closed mid-response (/reset)',
      fault: 'reset',
    }
  }

  if (segments[0] === 'drop' && segments.length === 1) {
    return { status: 0, body: null, reason: 'connection reset without an answer (/drop)', fault: 'drop' }
  }

  if (segments[0] === 'items' && segments.length === 1) {
    if (method === 'GET' || method === 'HEAD') return { status: 200, body: items.list() }
    if (method === 'POST') {
      const name = nameFrom(input)
      if (name === undefined) return { status: 400, body: { message: 'Body must be JSON with a non-empty string "name"' }, reason: 'invalid item' }
      return { status: 201, body: items.create(name) }
    }
    return methodNotAllowed(method)
  }

  if (segments[0] === 'items' && segments.length === 2) {
    const id = segments[1]!
    if (method === 'GET' || method === 'HEAD') {
      const item = items.get(id)
      return item ? { status: 200, body: item } : notFound(`item ${id}`)
    }
    if (method === 'PUT' || method === 'PATCH') {
      const name = nameFrom(input)
      if (name === undefined) return { status: 400, body: { message: 'Body must be JSON with a non-empty string "name"' }, reason: 'invalid item' }
      const item = items.update(id, name)
      return item ? { status: 200, body: item } : notFound(`item ${id}`)
    }
    if (method === 'DELETE') return items.delete(id) ? { status: 200, body: { deleted: id } } : notFound(`item ${id}`)
    return methodNotAllowed(method)
  }

  return notFound(`route ${path}`)
}

/**
 * What the API saw, minus secrets: flags say whether a token, key or signature
 * was present, never their values. `path` is the path inside the API; `principal`
 * is the identity id (iam), the token's sub (userPool), the username (custom),
 * `apiKey` (apiKey) or null (none).
 */
function echo({ api, method, path, rawPath, query, req, body, who }: RouteInput) {
  const authorization = req.headers.authorization
  return {
    api: api.name,
    mode: api.mode,
    verified: true,
    principal: who.principal,
    username: who.username,
    role: who.role,
    tokenUse: who.tokenUse,
    identityId: who.identityId,
    signed: typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256 '),
    hasAuthorization: authorization !== undefined,
    hasApiKey: req.headers['x-api-key'] !== undefined,
    method,
    path,
    rawPath,
    query,
    body: parseBody(req, body),
  }
}

/** JSON whatever the content-type says: clients differ in what they send for small JSON bodies. */
function nameFrom({ body }: RouteInput): string | undefined {
  const parsed = parseJson(body)
  const name = typeof parsed === 'object' && parsed !== null ? (parsed as { name?: unknown }).name : undefined
  return typeof name === 'string' && name.trim() ? name : undefined
}

function notFound(what: string): RouteResult {
  return { status: 404, body: { message: 'Not Found', reason: `no ${what}` }, reason: `no ${what}` }
}

function methodNotAllowed(method: string): RouteResult {
  return { status: 405, body: { message: `Method ${method} not allowed here` }, reason: 'method not allowed' }
}
