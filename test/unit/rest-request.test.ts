// A call's own input, checked before anything is sent (query, body, abort signal), and how a call
// record masks the secrets it shows (rest-request.ts).
import { describe, expect, it } from 'vitest'
import { assertNotAborted, assertSerialisable, mask, toQueryParams } from '../../src/runtime/shared/rest-request'

describe('mask', () => {
  it('shows the first and last 4 characters of a value longer than 12, bullets (at most 8) otherwise', () => {
    expect(mask('abcdefghijklm')).toBe('abcd…jklm')
    expect(mask('abcdefghijkl')).toBe('••••••••')
    expect(mask('abcdefgh')).toBe('••••••••')
    expect(mask('abc')).toBe('•••')
    expect(mask('')).toBe('')
  })
})

describe('toQueryParams', () => {
  it('turns numbers and booleans into strings and leaves out undefined values', () => {
    expect(toQueryParams({ a: 'x', n: 0, yes: true, no: false, gone: undefined } as never)).toEqual({ a: 'x', n: '0', yes: 'true', no: 'false' })
    expect(toQueryParams({})).toEqual({})
    expect(toQueryParams(undefined)).toBeUndefined()
  })

  it('refuses a query that is not an object, naming what it got', () => {
    expect(() => toQueryParams(['a'] as never)).toThrow('query must be an object of names to values; got an array')
    expect(() => toQueryParams('a=1' as never)).toThrow('query must be an object of names to values; got string')
    expect(() => toQueryParams(null as never)).toThrow('query must be an object of names to values; got object')
  })

  it('refuses a value that is not a string, number or boolean, naming the parameter', () => {
    expect(() => toQueryParams({ page: null } as never)).toThrow('query.page is a null; expected a string, number or boolean')
    expect(() => toQueryParams({ ids: [1, 2] } as never)).toThrow('query.ids is a object; expected a string, number or boolean')
    expect(() => toQueryParams({ f: () => 1 } as never)).toThrow('query.f is a function; expected a string, number or boolean')
    expect(() => toQueryParams({ big: 1n } as never)).toThrow(expect.objectContaining({ name: 'InvalidRequestError' }))
  })
})

describe('assertSerialisable', () => {
  it('accepts JSON values, no body and FormData', () => {
    for (const body of [undefined, null, 'x', 1, { a: [1] }, new FormData()]) expect(() => assertSerialisable(body)).not.toThrow()
  })

  it('refuses a body JSON cannot hold, with the reason and the cause', () => {
    const error = (() => {
      try {
        assertSerialisable({ n: 1n })
      }
      catch (e) {
        return e as Error
      }
    })()!
    expect(error.name).toBe('InvalidRequestError')
    expect(error.message).toMatch(/^body cannot be serialised to JSON: .*BigInt/)
    expect(error.cause).toBeInstanceOf(TypeError)
  })
})

describe('assertNotAborted', () => {
  it('passes without a signal or with a live one; an aborted one throws with its reason as cause', () => {
    expect(() => assertNotAborted(undefined)).not.toThrow()
    expect(() => assertNotAborted(new AbortController().signal)).not.toThrow()
    const reason = new Error('user left')
    let error: Error | undefined
    try {
      assertNotAborted(AbortSignal.abort(reason))
    }
    catch (e) {
      error = e as Error
    }
    expect(error?.name).toBe('RequestAbortedError')
    expect(error?.message).toBe('Request aborted before it was sent')
    expect(error?.cause).toBe(reason)
  })
})
