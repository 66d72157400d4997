// pathParams: each value is one encoded segment; nothing in a value can change the path.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidPathError } from '../../src/runtime/shared/errors'
import { normalizePath } from '../../src/runtime/shared/headers'
import { fillPathParams, pathParamNames } from '../../src/runtime/shared/rest-path'

describe('fillPathParams', () => {
  it('fills placeholders with encoded values', () => {
    expect(fillPathParams('items/{id}', { id: 'a b?c#d' })).toBe('items/a%20b%3Fc%23d')
    expect(fillPathParams('/users/{user}/items/{id}', { user: 'ä', id: 7 })).toBe('/users/%C3%A4/items/7')
    expect(pathParamNames('/users/{user}/items/{id}')).toEqual(['user', 'id'])
  })

  it('leaves a path without params as it is', () => {
    expect(fillPathParams('items/{id}', undefined)).toBe('items/{id}')
  })

  it.each([
    ['a/b', /"\/" or "\\"/],
    ['a\\b', /"\/" or "\\"/],
    ['..', /would not be one path segment/],
    ['.', /would not be one path segment/],
    ['', /would not be one path segment/],
  ])('refuses %j, which would change the path', (value, message) => {
    expect(() => fillPathParams('items/{id}', { id: value })).toThrow(InvalidPathError)
    expect(() => fillPathParams('items/{id}', { id: value })).toThrow(message)
  })

  it('names a missing parameter, one without a placeholder, and a wrong type', () => {
    expect(() => fillPathParams('items/{id}', {})).toThrow('needs pathParams.id')
    expect(() => fillPathParams('items/{id}', { id: 1, other: 2 })).toThrow('no placeholder for pathParams "other"')
    expect(() => fillPathParams('items/{id}', { id: null as never })).toThrow('pathParams.id of type null')
    expect(() => fillPathParams('items/{id}', { id: Number.NaN })).toThrow('expected a string or a finite number')
    expect(() => fillPathParams('items/{id}', [] as never)).toThrow('expected an object')
  })

  it('any value either fills exactly one segment under the template or is refused', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.constantFrom('..', '%2e%2e', '%2F', '..%2f', '%252e%252e', '/x', '?a=1', '#f', '.%2e')), (value) => {
      let path: string
      try {
        path = normalizePath(fillPathParams('api/items/{id}/tags', { id: value }))
      }
      catch (error) {
        expect(error).toBeInstanceOf(InvalidPathError)
        return
      }
      const segments = path.split('/')
      expect(segments).toHaveLength(5)
      expect(segments.slice(0, 3)).toEqual(['', 'api', 'items'])
      expect(segments[4]).toBe('tags')
      expect(decodeURIComponent(segments[3]!)).toBe(value)
    }), { seed: 20261201, numRuns: 2000 })
  })
})
