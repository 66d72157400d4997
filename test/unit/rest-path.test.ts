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

  it('names the type of pathParams that are not an object', () => {
    const message = (params: unknown) => () => fillPathParams('items/{id}', params as never)
    expect(message(null)).toThrow('has pathParams of type null; expected an object like { id: \'1\' }')
    expect(message([])).toThrow('has pathParams of type array;')
    expect(message('1')).toThrow('has pathParams of type string;')
    expect(message(1)).toThrow('has pathParams of type number;')
    for (const params of [null, [], '1', 1]) expect(message(params)).toThrow(InvalidPathError)
  })

  it('names every extra parameter and every placeholder there is (or none)', () => {
    expect(() => fillPathParams('users/{user}/items/{id}', { user: 'a', id: 1, page: 2, sort: 'x' }))
      .toThrow('has no placeholder for pathParams "page", "sort" (placeholders: {user}, {id})')
    expect(() => fillPathParams('items', { id: 1 })).toThrow('has no placeholder for pathParams "id" (placeholders: none)')
  })

  it('names the type of a value that is neither a string nor a finite number', () => {
    expect(() => fillPathParams('items/{id}', { id: true as never })).toThrow('has pathParams.id of type boolean; expected a string or a finite number')
    expect(() => fillPathParams('items/{id}', { id: undefined as never })).toThrow('has pathParams.id of type undefined;')
  })

  it('leaves a path that is not a string to the path check, which refuses it with InvalidPathError', () => {
    // What rest-core does with every call: normalizePath(fillPathParams(path, pathParams)).
    expect(() => normalizePath(fillPathParams(42 as never, { id: '1' }))).toThrow(InvalidPathError)
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
