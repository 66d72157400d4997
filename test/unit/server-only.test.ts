// Where the resolved options live: serverOnly APIs in the private runtime config only (their names
// stay public), joined back on the server; the browser's error for such an API.
import { describe, expect, it } from 'vitest'
import { mergeOptions } from '../../src/options'
import { validateOptions } from '../../src/runtime/shared/validate-options'
import type { ModuleOptions } from '../../src/runtime/shared/option-types'
import { splitServerOnly, withServerOnly } from '../../src/runtime/shared/server-only'
import { createRestCore } from '../../src/runtime/shared/rest-core'
import type { AmplifySend } from '../../src/runtime/shared/rest-types'
import { UnknownApiError } from '../../src/runtime/shared/errors'

const INPUT: ModuleOptions = {
  rest: {
    open: { endpoint: 'https://api.example.com/open', authMode: 'apiKey', apiKey: 'public-key' },
    secret: { endpoint: 'https://partner.example.com/v1', authMode: 'apiKey', apiKey: 'secret-key', headers: { 'X-Partner': 'secret-header' }, serverOnly: true },
  },
  defaultApi: 'secret',
}

function split() {
  const merged = mergeOptions(INPUT)
  expect(merged.problems).toEqual([])
  return splitServerOnly(merged.options)
}

describe('splitServerOnly', () => {
  it('keeps every setting of a serverOnly API out of the public part, only its name stays', () => {
    const { public: pub } = split()
    expect(Object.keys(pub.rest)).toEqual(['open'])
    expect(pub.serverOnlyApis).toEqual(['secret'])
    const text = JSON.stringify(pub)
    for (const secret of ['secret-key', 'secret-header', 'partner.example.com']) expect(text).not.toContain(secret)
    expect(text).toContain('public-key')
  })

  it('puts the whole serverOnly API in the private part', () => {
    expect(split().private.rest).toEqual({
      secret: expect.objectContaining({ endpoint: 'https://partner.example.com/v1', apiKey: 'secret-key', headers: { 'X-Partner': 'secret-header' }, serverOnly: true }),
    })
  })

  it('both parts validate: the browser\'s public part knows a defaultApi that is server-only by name', () => {
    const { public: pub, private: priv } = split()
    expect(validateOptions(pub)).toEqual([])
    expect(validateOptions(withServerOnly(pub, priv))).toEqual([])
  })

  it('an API with serverOnly: false stays public, without the flag', () => {
    const { public: pub, private: priv } = splitServerOnly(mergeOptions({ rest: { a: { endpoint: 'https://x.example', authMode: 'none', serverOnly: false } } }).options)
    expect(pub.rest.a).not.toHaveProperty('serverOnly')
    expect(priv.rest).toEqual({})
  })
})

describe('withServerOnly', () => {
  it('joins the private APIs back in (env overrides of the private part included)', () => {
    const { public: pub, private: priv } = split()
    const joined = withServerOnly(pub, { rest: { secret: { ...priv.rest.secret!, apiKey: 'from-env' } } })
    expect(Object.keys(joined.rest).sort()).toEqual(['open', 'secret'])
    expect(joined.rest.secret!.apiKey).toBe('from-env')
  })

  it('returns the public options unchanged when there is no private API', () => {
    const { public: pub } = split()
    expect(withServerOnly(pub, undefined)).toBe(pub)
    expect(withServerOnly(pub, { rest: {} })).toBe(pub)
  })
})

describe('a serverOnly API called where only the public options are (the browser)', () => {
  const send: AmplifySend = () => {
    throw new Error('nothing may be sent')
  }
  it('fails with UnknownApiError saying it is server-only and where to call it; nothing sent', async () => {
    const { public: pub } = split()
    const core = createRestCore({ options: () => pub, getTokens: async () => undefined, getCustomToken: () => null, send })
    // The typed API names are the root app's (items, open); this core has its own.
    for (const call of [core.restApi.get('echo', { apiName: 'secret' as never }), core.restApi.get('echo')]) {
      const error = await call.catch((e: unknown) => e) as UnknownApiError
      expect(error).toBeInstanceOf(UnknownApiError)
      expect(error.name).toBe('UnknownApiError')
      expect(error.serverOnly).toBe(true)
      expect(error.message).toContain('"secret" is server-only')
      expect(error.message).toContain('useServerRestApi(event)')
      expect(error.knownApis).toEqual(['open'])
    }
  })

  it('an API that exists nowhere is still just unknown', async () => {
    const { public: pub } = split()
    const core = createRestCore({ options: () => pub, getTokens: async () => undefined, getCustomToken: () => null, send })
    // @ts-expect-error a name that is not configured is a type error too
    const error = await core.restApi.get('echo', { apiName: 'nope' }).catch((e: unknown) => e) as UnknownApiError
    expect(error.serverOnly).toBe(false)
    expect(error.message).toContain('Unknown REST API "nope"')
  })
})
