// The local REST server's OpenAPI spec describes what the server really does: every documented
// operation answered with a documented status, and the answers carry the documented required fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localRestOpenApi, startLocalBackend, type LocalBackend } from '../../src/local'

let backend: LocalBackend
beforeAll(async () => {
  backend = await startLocalBackend()
})
afterAll(async () => {
  await backend?.stop()
})

type Operation = { requestBody?: unknown, responses: Record<string, { content?: { 'application/json': { schema: { required?: readonly string[], type?: string, items?: { required?: readonly string[] } } } } }> }
const SAMPLE_PARAMS: Record<string, string> = { id: '1', code: '418' }

describe('localRestOpenApi', () => {
  const operations = Object.entries(localRestOpenApi.paths).flatMap(([path, item]) =>
    Object.entries(item).filter(([method]) => method !== 'parameters').map(([method, operation]) => [path, method.toUpperCase(), operation as Operation] as const))

  it('documents items, echo and status', () => {
    expect(operations.map(([path, method]) => `${method} ${path}`)).toEqual([
      'GET /items', 'POST /items', 'GET /items/{id}', 'PUT /items/{id}', 'PATCH /items/{id}', 'DELETE /items/{id}', 'GET /echo', 'GET /status/{code}',
    ])
  })

  it.each(operations.map(([path, method, operation]) => [`${method} ${path}`, path, method, operation] as const))('%s: the server answers as documented', async (_, path, method, operation) => {
    const url = backend.amplify.rest.none.endpoint + path.replace(/\{(\w+)\}/g, (__, name: string) => SAMPLE_PARAMS[name]!)
    const response = await fetch(url, { method, ...(operation.requestBody ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'from the spec test' }) } : {}) })
    const documented = operation.responses[String(response.status)] ?? operation.responses.default
    expect(documented, `${method} ${path} answered ${response.status}, which the spec does not list`).toBeDefined()
    const schema = documented!.content?.['application/json'].schema
    const body = await response.json() as unknown
    if (schema?.type === 'array') {
      expect(Array.isArray(body)).toBe(true)
      for (const entry of body as Record<string, unknown>[]) expect(Object.keys(entry)).toEqual(expect.arrayContaining([...schema.items?.required ?? []]))
    }
    else {
      expect(Object.keys(body as object)).toEqual(expect.arrayContaining([...schema?.required ?? []]))
    }
  })
})
