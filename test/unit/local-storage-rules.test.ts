// The local S3 stand-in's access rules (src/local/storage.ts), as a Gen 2 defineStorage of
// 'public/*', 'protected/{entity_id}/*' and 'private/{entity_id}/*' grants them.
import { describe, expect, it } from 'vitest'
import { storageAllows, storageListAllows } from '../../src/local/storage'

const alice = { role: 'authenticated' as const, identityId: 'us-east-1:alice' }
const bob = { role: 'authenticated' as const, identityId: 'us-east-1:bob' }
const guest = { role: 'guest' as const, identityId: 'us-east-1:guest' }

describe('local storage access rules', () => {
  it('public: everyone reads, signed-in users write and delete', () => {
    expect([guest, alice].map(who => storageAllows(who, 'public/a.txt', 'read'))).toEqual([true, true])
    expect([guest, alice].map(who => storageAllows(who, 'public/a.txt', 'write'))).toEqual([false, true])
    expect([guest, alice].map(who => storageAllows(who, 'public/a.txt', 'delete'))).toEqual([false, true])
  })

  it('protected: signed-in users read, only the owner writes; guests nothing', () => {
    expect(storageAllows(bob, 'protected/us-east-1:alice/a.txt', 'read')).toBe(true)
    expect(storageAllows(bob, 'protected/us-east-1:alice/a.txt', 'write')).toBe(false)
    expect(storageAllows(alice, 'protected/us-east-1:alice/a.txt', 'write')).toBe(true)
    expect(storageAllows(guest, 'protected/us-east-1:alice/a.txt', 'read')).toBe(false)
  })

  it('private: the signed-in owner only; a guest identity owns no folder; no key outside the areas', () => {
    expect(storageAllows(alice, 'private/us-east-1:alice/a.txt', 'read')).toBe(true)
    expect(storageAllows(bob, 'private/us-east-1:alice/a.txt', 'read')).toBe(false)
    expect(storageAllows(alice, 'private/us-east-1:alice', 'write')).toBe(false)
    expect(storageAllows(alice, 'private/us-east-1:alicex/a.txt', 'read')).toBe(false)
    expect(storageAllows(guest, 'private/us-east-1:guest/a.txt', 'write')).toBe(false)
    expect(storageAllows(alice, 'other/a.txt', 'read')).toBe(false)
  })

  it('list: within an area the caller may read', () => {
    expect(storageListAllows(guest, 'public/')).toBe(true)
    expect(storageListAllows(guest, 'protected/')).toBe(false)
    expect(storageListAllows(bob, 'protected/us-east-1:alice/')).toBe(true)
    expect(storageListAllows(alice, 'private/us-east-1:alice/')).toBe(true)
    expect(storageListAllows(bob, 'private/us-east-1:alice/')).toBe(false)
    expect(storageListAllows(alice, 'private/')).toBe(false)
    expect(storageListAllows(alice, '')).toBe(false)
  })
})
