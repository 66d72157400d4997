// The local GraphQL endpoint (AppSync stand-in) with Amplify's own Data client in Node: the module's
// config from a Gen 2 outputs object, `generateClient()` calls in each auth mode, and what the
// endpoint received (it verifies API key, user-pool JWT and SigV4 scoped to appsync).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { signIn, signOut } from 'aws-amplify/auth'
import { generateClient } from 'aws-amplify/data'
import { startLocalBackend, type LocalBackend } from '../../src/local'
import { mergeOptions } from '../../src/options'
import { toResourcesConfig } from '../../src/runtime/shared/amplify-config'
import { amplifySign } from '../utils/local-helpers'
import { gen2Outputs } from '../utils/gen2'

let backend: LocalBackend

beforeAll(async () => {
  backend = await startLocalBackend({ graphql: true })
  const { auth } = backend.amplify
  Amplify.configure(toResourcesConfig(mergeOptions({ outputs: gen2Outputs(backend), auth: { userPoolEndpoint: auth.userPoolEndpoint, identityPoolEndpoint: auth.identityPoolEndpoint } }, gen2Outputs(backend)).options))
})
afterEach(async () => {
  await signOut()
})
afterAll(async () => {
  await backend?.stop()
})

type Todo = { id: string, content: string | null, owner: string | null }
type Client = { models: { Todo: {
  create: (input: { content: string }, options?: { authMode?: string }) => Promise<{ data: Todo | null, errors?: { message: string }[] }>
  list: (options?: { authMode?: string }) => Promise<{ data: Todo[], errors?: { message: string }[] }>
} } }
const client = () => generateClient() as unknown as Client

async function signInAs(username: string) {
  const user = backend.users.find(u => u.username === username)!
  await signIn({ username: user.username, password: user.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } })
}

describe('the local GraphQL endpoint with generateClient()', () => {
  it('creates and lists a signed-in user\'s own todos with the user pool token', async () => {
    await signInAs('alice')
    const created = await client().models.Todo.create({ content: 'alice writes' })
    expect(created.errors).toBeUndefined()
    expect(created.data).toMatchObject({ content: 'alice writes', owner: 'alice' })
    await signOut()
    await signInAs('bob')
    await client().models.Todo.create({ content: 'bob writes' })
    const listed = await client().models.Todo.list()
    expect(listed.data.map(t => t.content)).toEqual(['bob writes'])
    expect(backend.graphql!.requests.at(-1)).toMatchObject({ authMode: 'userPool', username: 'bob', operation: 'listTodos', status: 200 })
  })

  it('guests read with guest IAM credentials (SigV4 for appsync verified) and cannot write', async () => {
    const listed = await client().models.Todo.list({ authMode: 'iam' })
    expect(listed.data.length).toBeGreaterThan(0)
    expect(backend.graphql!.requests.at(-1)).toMatchObject({ authMode: 'iam', role: 'guest', username: null, status: 200 })
    const refused = await client().models.Todo.create({ content: 'guest' }, { authMode: 'iam' })
    expect(refused.data).toBeNull()
    expect(refused.errors?.[0]?.message).toMatch(/Not Authorized/)
  })

  it('the API key reads; a wrong key, a JWT of no pool, or a SigV4 for another service get 401', async () => {
    const listed = await client().models.Todo.list({ authMode: 'apiKey' })
    expect(listed.errors).toBeUndefined()
    expect(backend.graphql!.requests.at(-1)).toMatchObject({ authMode: 'apiKey', status: 200 })
    const body = JSON.stringify({ query: '{ listTodos { items { id } } }' })
    const post = (headers: Record<string, string>) => fetch(backend.graphql!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
    expect((await post({ 'x-api-key': 'wrong' })).status).toBe(401)
    expect((await post({ authorization: 'eyJhbGciOiJub25lIn0.e30.' })).status).toBe(401)
    expect((await post({})).status).toBe(401)
    const signed = amplifySign({ url: backend.graphql!.url, method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: backend.credentials.guest, region: backend.graphql!.region })
    const wrongService = await fetch(signed.url, signed.init)
    expect(wrongService.status).toBe(401)
    expect(backend.graphql!.requests.at(-1)).toMatchObject({ authMode: 'iam', status: 401, reason: 'credential scope service is execute-api' })
  })
})
