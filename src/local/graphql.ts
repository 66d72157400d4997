// An AppSync stand-in for Gen 2 Data (`generateClient()` from aws-amplify/data): one `Todo` model
// with owner rules, at POST /graphql. Every request is authorized for real the way AppSync does it
// (API key, user-pool JWT, or IAM SigV4 scoped to `appsync`, the same checks as the REST server)
// and recorded with who the caller turned out to be. Opt-in: `startLocalBackend({ graphql: true })`.
// Rules, as `a.model(...).authorization(allow => [allow.owner(), allow.guest().to(['read']), allow.publicApiKey().to(['read'])])`:
// owners (user pool or signed-in IAM identities) read and write their own todos; guests (IAM) and
// the API key read all of them; nobody else gets anything.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { headerValue, listen, parseJson, readBody, sendJson, sendPreflight, isRecord, type RawRequest, type RequestPolicy, type StartedServer } from './http'
import { authorize, type AuthContext } from './rest-auth'
import { verifySigV4 } from './sigv4'

export type GraphqlAuthMode = 'apiKey' | 'userPool' | 'iam'

/** One GraphQL request as the server received it: how it was authorized and by whom. */
export interface LocalGraphqlRequest {
  authMode: GraphqlAuthMode | null
  /** Cognito username (user pool, or the signed-in IAM identity), null for guests and the API key. */
  username: string | null
  role: 'guest' | 'authenticated' | null
  operation: string | null
  status: number
  reason?: string
}

export interface LocalTodo { id: string, content: string | null, owner: string, createdAt: string, updatedAt: string }

const SCHEMA = /* GraphQL */ `
  type Todo { id: ID!, content: String, owner: String, createdAt: AWSDateTime!, updatedAt: AWSDateTime! }
  type ModelTodoConnection { items: [Todo]!, nextToken: String }
  input ModelStringInput { eq: String, ne: String, contains: String, beginsWith: String }
  input ModelIDInput { eq: ID, ne: ID }
  input ModelTodoFilterInput { id: ModelIDInput, content: ModelStringInput, owner: ModelStringInput, and: [ModelTodoFilterInput], or: [ModelTodoFilterInput], not: ModelTodoFilterInput }
  input ModelTodoConditionInput { content: ModelStringInput, owner: ModelStringInput }
  input CreateTodoInput { id: ID, content: String }
  input UpdateTodoInput { id: ID!, content: String }
  input DeleteTodoInput { id: ID! }
  enum ModelSortDirection { ASC DESC }
  scalar AWSDateTime
  type Query {
    getTodo(id: ID!): Todo
    listTodos(filter: ModelTodoFilterInput, limit: Int, nextToken: String, sortDirection: ModelSortDirection): ModelTodoConnection
  }
  type Mutation {
    createTodo(input: CreateTodoInput!, condition: ModelTodoConditionInput): Todo
    updateTodo(input: UpdateTodoInput!, condition: ModelTodoConditionInput): Todo
    deleteTodo(input: DeleteTodoInput!, condition: ModelTodoConditionInput): Todo
  }
`

interface Caller { authMode: GraphqlAuthMode, username: string | null, role: 'guest' | 'authenticated' | null }

class Unauthorized extends Error {
  readonly errorType = 'Unauthorized'
}

export interface GraphqlServerOptions {
  host: string
  port: number
  auth: AuthContext
  policy?: RequestPolicy
  todos: LocalTodo[]
  requests: LocalGraphqlRequest[]
}

/** Who is calling, the way AppSync decides it: SigV4 → IAM, another Authorization → JWT, else the API key. */
async function identify(req: RawRequest, auth: AuthContext): Promise<{ ok: true, caller: Caller } | { ok: false, reason: string, authMode: GraphqlAuthMode | null }> {
  const authorization = headerValue(req.headers, 'authorization')
  if (authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
    const check = await verifySigV4(req, { store: auth.store, region: auth.region, service: 'appsync' })
    if (!check.ok) return { ok: false, reason: check.reason, authMode: 'iam' }
    return { ok: true, caller: { authMode: 'iam', username: check.credential.username ?? null, role: check.credential.role } }
  }
  if (authorization) {
    // AppSync takes the ID or the access token of the pool's app client; Amplify sends the access token.
    const raw = authorization.replace(/^Bearer\s+/i, '')
    const access = await auth.verifyToken(raw, 'access')
    const check = access.ok ? access : await auth.verifyToken(raw, 'id')
    if (!check.ok) return { ok: false, reason: access.ok ? '' : access.reason, authMode: 'userPool' }
    return { ok: true, caller: { authMode: 'userPool', username: check.username, role: null } }
  }
  if (headerValue(req.headers, 'x-api-key') !== undefined) {
    const check = await authorize('apiKey', undefined, req, auth)
    if (!check.ok) return { ok: false, reason: check.reason, authMode: 'apiKey' }
    return { ok: true, caller: { authMode: 'apiKey', username: null, role: null } }
  }
  return { ok: false, reason: 'no Authorization or x-api-key header', authMode: null }
}

function resolvers(todos: LocalTodo[], caller: Caller) {
  const owner = caller.username
  const readsAll = caller.authMode === 'apiKey' || caller.role === 'guest'
  const visible = () => readsAll ? todos : todos.filter(todo => owner !== null && todo.owner === owner)
  const mine = (id: string) => {
    const todo = todos.find(t => t.id === id)
    if (!todo || owner === null || todo.owner !== owner) throw new Unauthorized(`Not Authorized to access Todo ${id} on type Mutation`)
    return todo
  }
  const writer = (operation: string) => {
    if (owner === null) throw new Unauthorized(`Not Authorized to access ${operation} on type Mutation`)
    return owner
  }
  const matches = (todo: LocalTodo, filter: Record<string, Record<string, string>> | undefined) => {
    if (!filter) return true
    for (const [field, cond] of Object.entries(filter)) {
      const value = String((todo as unknown as Record<string, unknown>)[field] ?? '')
      if (cond.eq !== undefined && value !== cond.eq) return false
      if (cond.contains !== undefined && !value.includes(cond.contains)) return false
    }
    return true
  }
  return {
    getTodo: ({ id }: { id: string }) => visible().find(todo => todo.id === id) ?? null,
    listTodos: ({ filter, limit }: { filter?: Record<string, Record<string, string>>, limit?: number }) =>
      ({ items: visible().filter(todo => matches(todo, filter)).slice(0, limit ?? 100), nextToken: null }),
    createTodo: ({ input }: { input: { id?: string, content?: string } }) => {
      const now = new Date().toISOString()
      const todo: LocalTodo = { id: input.id ?? randomUUID(), content: input.content ?? null, owner: writer('createTodo'), createdAt: now, updatedAt: now }
      todos.push(todo)
      return todo
    },
    updateTodo: ({ input }: { input: { id: string, content?: string } }) => {
      writer('updateTodo')
      const todo = mine(input.id)
      if (input.content !== undefined) todo.content = input.content
      todo.updatedAt = new Date().toISOString()
      return todo
    },
    deleteTodo: ({ input }: { input: { id: string } }) => {
      writer('deleteTodo')
      const todo = mine(input.id)
      todos.splice(todos.indexOf(todo), 1)
      return todo
    },
  }
}

export async function startGraphqlServer(opts: GraphqlServerOptions): Promise<StartedServer> {
  let graphqlLib: typeof import('graphql')
  try {
    graphqlLib = await import('graphql')
  }
  catch (error) {
    throw new Error('Local backend: the GraphQL endpoint needs the `graphql` package (installed with aws-amplify); run `npm install -D graphql`', { cause: error })
  }
  const schema = graphqlLib.buildSchema(SCHEMA)
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2)
    if (req.method === 'OPTIONS') return sendPreflight(req, res, { methods: 'POST,OPTIONS' })
    if (rawPath !== '/graphql' || req.method !== 'POST') return sendJson(req, res, 404, { errors: [{ errorType: 'NotFound', message: `${req.method} ${rawPath}: POST /graphql only` }] })
    const body = await readBody(req)
    const raw: RawRequest = { method: req.method, rawPath, rawQuery, headers: req.headers, body }
    const who = await identify(raw, opts.auth)
    const parsed = parseJson(body)
    const query = isRecord(parsed) && typeof parsed.query === 'string' ? parsed.query : ''
    const operation = /\b(getTodo|listTodos|createTodo|updateTodo|deleteTodo)\b/.exec(query)?.[1] ?? null
    if (!who.ok) {
      opts.requests.push({ authMode: who.authMode, username: null, role: null, operation, status: 401, reason: who.reason })
      return sendJson(req, res, 401, { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] })
    }
    const result = await graphqlLib.graphql({
      schema,
      source: query,
      rootValue: resolvers(opts.todos, who.caller),
      variableValues: isRecord(parsed) && isRecord(parsed.variables) ? parsed.variables : undefined,
    })
    const errors = result.errors?.map(error => ({
      errorType: error.originalError instanceof Unauthorized ? 'Unauthorized' : 'GraphQLError',
      message: error.message,
      path: error.path,
    }))
    opts.requests.push({ ...who.caller, operation, status: 200, ...(errors ? { reason: errors.map(e => e.message).join('; ') } : {}) })
    sendJson(req, res, 200, { data: result.data ?? null, ...(errors ? { errors } : {}) })
  }
  return listen(handler, { host: opts.host, port: opts.port, what: 'GraphQL endpoint', option: 'ports.graphql', policy: opts.policy })
}
