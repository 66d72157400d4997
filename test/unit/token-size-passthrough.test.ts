// What token-size.ts passes on unchanged: the name of a key that is not a token's, and every storage
// operation but a write (mutants that survived test/unit/token-size.test.ts, see docs/mutation.md).
import { describe, expect, it } from 'vitest'
import type { KeyValueStorageInterface } from '@aws-amplify/core'
import { MAX_COOKIE_BYTES, sizeCheckedStorage, tokenCookieProblem } from '../../src/runtime/shared/token-size'

const big = 'a'.repeat(MAX_COOKIE_BYTES)

describe('tokenCookieProblem names what is too big', () => {
  it('names the token for a token key', () => {
    expect(tokenCookieProblem('CognitoIdentityServiceProvider.c.alice.accessToken', big)).toMatchObject({ token: 'accessToken' })
  })

  it('names the whole key when it does not end in a token name', () => {
    expect(tokenCookieProblem('CognitoIdentityServiceProvider.c.alice.signInDetails', big)).toMatchObject({ token: 'CognitoIdentityServiceProvider.c.alice.signInDetails' })
    // A token name inside the key is not its end: still the whole key.
    expect(tokenCookieProblem('CognitoIdentityServiceProvider.c.idToken.backup', big)).toMatchObject({ token: 'CognitoIdentityServiceProvider.c.idToken.backup' })
  })
})

describe('sizeCheckedStorage passes reads, removals and clear through', () => {
  function memoryStorage() {
    const items = new Map<string, string>([['k', 'v']])
    const calls: string[] = []
    const storage: KeyValueStorageInterface = {
      setItem: async (key, value) => void items.set(key, value),
      getItem: async key => (calls.push(`get ${key}`), items.get(key) ?? null),
      removeItem: async key => void (calls.push(`remove ${key}`), items.delete(key)),
      clear: async () => void (calls.push('clear'), items.clear()),
    }
    return { storage, items, calls }
  }

  it('reads what the storage holds', async () => {
    const { storage, calls } = memoryStorage()
    const checked = sizeCheckedStorage(storage)
    await expect(checked.getItem('k')).resolves.toBe('v')
    await expect(checked.getItem('missing')).resolves.toBeNull()
    expect(calls).toEqual(['get k', 'get missing'])
  })

  it('removes from the storage and clears it', async () => {
    const { storage, items, calls } = memoryStorage()
    const checked = sizeCheckedStorage(storage)
    await checked.setItem('other', 'x')
    await checked.removeItem('k')
    expect([...items.keys()]).toEqual(['other'])
    await checked.clear()
    expect(items.size).toBe(0)
    expect(calls).toEqual(['remove k', 'clear'])
  })
})
