// The OpenAPI 3 description of the local REST server's routes (the same under every API's prefix:
// `/iam`, `/apikey`, `/userpool`, …), as API Gateway would export it: the `items` resource the
// playground uses, `echo`, and the `status/{code}` fault route. Each API's authorization is the
// local backend's business (see rest-auth.ts), so no security schemes are declared here.
const item = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } as const
const itemInput = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } as const
const message = { type: 'object', required: ['message'], properties: { message: { type: 'string' }, reason: { type: 'string' } } } as const
const json = (schema: object) => ({ content: { 'application/json': { schema } } })
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } } as const

/** OpenAPI 3.0 document of the local REST server (one API's routes, relative to its endpoint). */
export const localRestOpenApi = {
  openapi: '3.0.3',
  info: { title: 'nuxt-amplify-rest local REST API', version: '1.0.0' },
  paths: {
    '/items': {
      get: { operationId: 'listItems', responses: { 200: { description: 'All items', ...json({ type: 'array', items: item }) } } },
      post: {
        operationId: 'createItem',
        requestBody: { required: true, ...json(itemInput) },
        responses: { 201: { description: 'Created', ...json(item) }, 400: { description: 'Invalid item', ...json(message) } },
      },
    },
    '/items/{id}': {
      parameters: [idParam],
      get: { operationId: 'getItem', responses: { 200: { description: 'The item', ...json(item) }, 404: { description: 'No such item', ...json(message) } } },
      put: {
        operationId: 'replaceItem',
        requestBody: { required: true, ...json(itemInput) },
        responses: { 200: { description: 'Updated', ...json(item) }, 400: { description: 'Invalid item', ...json(message) }, 404: { description: 'No such item', ...json(message) } },
      },
      patch: {
        operationId: 'updateItem',
        requestBody: { required: true, ...json(itemInput) },
        responses: { 200: { description: 'Updated', ...json(item) }, 400: { description: 'Invalid item', ...json(message) }, 404: { description: 'No such item', ...json(message) } },
      },
      delete: {
        operationId: 'deleteItem',
        responses: { 200: { description: 'Deleted', ...json({ type: 'object', required: ['deleted'], properties: { deleted: { type: 'string' } } }) }, 404: { description: 'No such item', ...json(message) } },
      },
    },
    '/echo': {
      get: {
        operationId: 'echo',
        parameters: [{ name: 'query', in: 'query', required: false, schema: { type: 'object', additionalProperties: { type: 'string' } }, style: 'form', explode: true }],
        responses: {
          200: {
            description: 'What the API verified about the caller (no secret values)',
            ...json({
              type: 'object',
              required: ['api', 'mode', 'verified', 'principal', 'username', 'role', 'tokenUse', 'identityId', 'signed', 'hasAuthorization', 'hasApiKey', 'method', 'path'],
              properties: {
                api: { type: 'string' }, mode: { type: 'string' }, verified: { type: 'boolean' }, principal: { type: 'string', nullable: true },
                username: { type: 'string', nullable: true }, role: { type: 'string', enum: ['guest', 'authenticated'], nullable: true },
                tokenUse: { type: 'string', nullable: true }, identityId: { type: 'string', nullable: true }, signed: { type: 'boolean' },
                hasAuthorization: { type: 'boolean' }, hasApiKey: { type: 'boolean' }, method: { type: 'string' }, path: { type: 'string' },
              },
            }),
          },
        },
      },
    },
    '/status/{code}': {
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'integer', minimum: 200, maximum: 599 } }],
      get: {
        operationId: 'status',
        responses: { default: { description: 'The asked status', ...json({ type: 'object', required: ['status', 'message'], properties: { status: { type: 'integer' }, message: { type: 'string' } } }) } },
      },
    },
  },
} as const
