// useRestApiData's default key: what decides the answer, the same on server and browser, no header.
import { describe, expect, it } from 'vitest'
import { restDataKey } from '../../src/runtime/shared/rest-data-key'

const base = { apiName: 'userPool', method: 'GET', path: '/echo', authMode: 'userPool' }

describe('restDataKey', () => {
  it('names api, method and path, and hashes query and mode', () => {
    expect(restDataKey(base)).toMatch(/^rest:userPool:GET:\/echo:[0-9a-f]{16}$/)
    expect(restDataKey({ ...base, method: 'get' })).toBe(restDataKey(base))
  })

  it('differs for each part that decides the answer', () => {
    const keys = [
      restDataKey(base),
      restDataKey({ ...base, apiName: 'iam' }),
      restDataKey({ ...base, method: 'POST' }),
      restDataKey({ ...base, path: '/echo/1' }),
      restDataKey({ ...base, query: { a: 1 } }),
      restDataKey({ ...base, query: { a: 2 } }),
      restDataKey({ ...base, authMode: 'none' }),
    ]
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('does not depend on the order of query keys', () => {
    expect(restDataKey({ ...base, query: { a: 1, b: 'x' } })).toBe(restDataKey({ ...base, query: { b: 'x', a: 1 } }))
  })

  it('gives no query and an empty query the same key (the same request)', () => {
    expect(restDataKey({ ...base, query: {} })).toBe(restDataKey(base))
  })

  it('always ends in 16 hex digits, so the two hash halves cannot run into each other', () => {
    // Half of a 32-bit hash starts with a 0 digit in 1 of 16 cases: 200 queries meet such hashes.
    for (let page = 0; page < 200; page++)
      expect(restDataKey({ ...base, query: { page } })).toMatch(/:[0-9a-f]{16}$/)
  })

  it('never contains a query value', () => {
    const token = 'eyJraWQiOiJzZWNyZXQifQ.payload.signature'
    expect(restDataKey({ ...base, query: { token } })).not.toContain(token)
    expect(restDataKey({ ...base, query: { token } })).not.toContain('signature')
  })
})
