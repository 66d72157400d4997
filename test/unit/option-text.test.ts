// How option checks name a value in their messages (option-text.ts): the value itself for plain
// settings, only its kind for secrets; the record shape test; the URL test.
import { describe as group, expect, it } from 'vitest'
import { describe, describeSecret, isHttpUrl, isRecord, oneOf } from '../../src/runtime/shared/option-text'

group('describe', () => {
  it('names each kind of value', () => {
    expect(describe(undefined)).toBe('missing')
    expect(describe('')).toBe('empty')
    expect(describe('eu-west-1')).toBe('"eu-west-1"')
    expect(describe('a"b')).toBe('"a\\"b"')
    expect(describe([1])).toBe('an array')
    expect(describe(null)).toBe('null')
    expect(describe({ a: 1 })).toBe('an object')
    expect(describe(42)).toBe('number 42')
    expect(describe(false)).toBe('boolean false')
  })
})

group('describeSecret', () => {
  it('never shows a secret\'s value, only its kind', () => {
    expect(describeSecret(undefined)).toBe('missing')
    expect(describeSecret('')).toBe('empty')
    expect(describeSecret('sk-live-123')).toBe('a string')
    expect(describeSecret(12345)).toBe('a number')
    expect(describeSecret(['sk'])).toBe('an array')
    expect(describeSecret(null)).toBe('null')
    expect(describeSecret({ key: 'sk' })).toBe('a object')
  })
})

group('isRecord', () => {
  it('is true for plain objects only', () => {
    expect(isRecord({})).toBe(true)
    expect(isRecord(Object.create(null))).toBe(true)
    for (const value of [null, undefined, [], 'x', 1, true]) expect(isRecord(value)).toBe(false)
  })
})

group('oneOf', () => {
  it('lists the allowed values quoted', () => {
    expect(oneOf(['lax', 'strict'])).toBe('one of "lax", "strict"')
  })
})

group('isHttpUrl', () => {
  it('accepts absolute http and https URLs with a host', () => {
    expect(isHttpUrl('https://api.example.com/prod')).toBe(true)
    expect(isHttpUrl('http://127.0.0.1:9229')).toBe(true)
  })

  it('refuses other schemes, relative and unparsable URLs', () => {
    for (const value of ['ftp://example.com', 'file:///etc/passwd', 'javascript:alert(1)', '/relative', 'example.com', '', 'http://'])
      expect(isHttpUrl(value)).toBe(false)
  })
})
