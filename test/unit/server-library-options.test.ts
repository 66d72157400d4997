import { afterEach, describe, expect, it } from 'vitest'
import type { H3Event } from 'h3'
import type { LibraryOptions } from '@aws-amplify/core'
import { runConfigureHooks, serverLibraryOptions, setServerConfigure } from '../../src/runtime/server/library-options'

const event = { context: {} } as unknown as H3Event
const resources = { API: { REST: { items: { endpoint: 'https://api.example.com' } } } }
const moduleHeaders = async () => ({ 'authorization': 'module-token', 'x-shared': 'module' })
const auth = { tokenProvider: { getTokens: async () => null } } as unknown as LibraryOptions['Auth']
const headersOf = (options: LibraryOptions) => (options.API!.REST!.headers as (input: { apiName: string }) => Promise<Record<string, string>>)({ apiName: 'items' })

afterEach(() => setServerConfigure(undefined))

describe('serverLibraryOptions', () => {
  it('without app hooks: only the module\'s Auth providers and REST headers', async () => {
    const options = serverLibraryOptions(event, resources, auth, moduleHeaders)
    expect(options.Auth).toBe(auth)
    expect(await headersOf(options)).toEqual({ 'authorization': 'module-token', 'x-shared': 'module' })
    expect(Object.keys(options).sort()).toEqual(['API', 'Auth'])
  })

  it('the app\'s options are added; its REST headers join the module\'s, which win on a clash; its Auth cannot replace the module\'s', async () => {
    const seen: unknown[] = []
    const prefixResolver = async () => 'p/'
    setServerConfigure((context, e) => {
      seen.push(e, context.resourcesConfig)
      context.libraryOptions.Storage = { S3: { prefixResolver } }
      context.libraryOptions.API = { REST: { headers: async () => ({ 'x-app': 'app', 'x-shared': 'app', 'authorization': 'forged' }) } }
      context.libraryOptions.Auth = { tokenProvider: { getTokens: async () => null } }
    })
    const options = serverLibraryOptions(event, resources, auth, moduleHeaders)
    expect(seen).toEqual([event, resources])
    expect(options.Storage?.S3?.prefixResolver).toBe(prefixResolver)
    expect(options.Auth).toBe(auth)
    expect(await headersOf(options)).toEqual({ 'x-app': 'app', 'x-shared': 'module', 'authorization': 'module-token' })
    expect('ssr' in options).toBe(false)
  })

  it('no Auth configured: none is added for the module', () => {
    setServerConfigure(() => {})
    expect(serverLibraryOptions(event, resources, undefined, moduleHeaders).Auth).toBeUndefined()
  })
})

describe('runConfigureHooks', () => {
  it('runs every hook in order with the context and event', () => {
    const calls: string[] = []
    runConfigureHooks([(c, e) => calls.push(`a:${String(c)}:${String(e)}`), (c, e) => calls.push(`b:${String(c)}:${String(e)}`)], ['ctx', 'ev'])
    expect(calls).toEqual(['a:ctx:ev', 'b:ctx:ev'])
  })

  it('refuses a hook that returns a promise, naming it and what is expected', () => {
    async function addStorage() {}
    expect(() => runConfigureHooks([addStorage], [{}, event])).toThrow(/hook \(addStorage\) returned a promise; .*synchronously/)
  })
})
