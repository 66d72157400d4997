// withServerOnly (server-only.ts) on what env variables can make of the runtime config: anything
// that is not an object of APIs on either side leaves the public options as they are.
import { describe, expect, it } from 'vitest'
import { withServerOnly } from '../../src/runtime/shared/server-only'
import type { ResolvedOptions, ResolvedRestApi } from '../../src/runtime/shared/option-types'

const api = { endpoint: 'https://partner.example.com/v1', authMode: 'apiKey', apiKey: 'k', serverOnly: true } as unknown as ResolvedRestApi
const pub = { rest: { open: { endpoint: 'https://api.example.com' } } } as unknown as ResolvedOptions

describe('withServerOnly', () => {
  it('joins the private APIs in', () => {
    expect(withServerOnly(pub, { rest: { secret: api } }).rest).toEqual({ ...pub.rest, secret: api })
  })

  it('leaves the public options as they are when the private part is missing, empty or not an object', () => {
    for (const privateConfig of [undefined, {}, { rest: {} }, { rest: null }, { rest: 'secret' }, { rest: 7 }])
      expect(withServerOnly(pub, privateConfig as never)).toBe(pub)
  })

  it('leaves public options that are not an object of APIs as they are', () => {
    for (const publicOptions of [null, 'x', { rest: null }, { rest: 'x' }, {}])
      expect(withServerOnly(publicOptions as never, { rest: { secret: api } })).toBe(publicOptions)
  })
})
