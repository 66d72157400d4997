// The cookie size check: names and values measured exactly as Amplify's CookieStorage (js-cookie)
// writes them into document.cookie, and the 4096-byte name + value limit browsers apply.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CookieStorage } from 'aws-amplify/utils'
import { MAX_COOKIE_BYTES, cookieBytes, encodeCookieValue, sizeCheckedStorage, tokenCookieProblem } from '../../src/runtime/shared/token-size'
import { encodeCookieName } from '../../src/runtime/shared/cookies'
import { TokenTooLargeError } from '../../src/runtime/shared/errors'

/** What Amplify's real CookieStorage assigns to document.cookie, captured by a minimal document. */
let written: string[] = []
beforeEach(() => {
  written = []
  ;(globalThis as { document?: unknown }).document = {
    set cookie(line: string) {
      written.push(line)
    },
    get cookie() {
      return ''
    },
  }
})
afterEach(() => {
  delete (globalThis as { document?: unknown }).document
})

async function amplifyWrites(key: string, value: string): Promise<{ name: string, value: string }> {
  await new CookieStorage({ path: '/', sameSite: 'lax', secure: false }).setItem(key, value)
  const pair = written.at(-1)!.split(';')[0]!
  const at = pair.indexOf('=')
  return { name: pair.slice(0, at), value: pair.slice(at + 1) }
}

const KEYS = [
  'CognitoIdentityServiceProvider.5abc.alice.idToken',
  'CognitoIdentityServiceProvider.5abc.user@example.com.accessToken',
  'CognitoIdentityServiceProvider.5abc.a b+c(d)é#$&^`|;=,%.refreshToken',
  'CognitoIdentityServiceProvider.5abc.用户.idToken',
]
const VALUES = ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln-_', 'a b;c,d=e"f\\g/h:i<j>k?l@m[n]o^p{q|r}s%t', '{"authFlowType":"USER_SRP_AUTH"}', 'ü€😀']

describe('cookie encoding, as Amplify\'s CookieStorage writes it', () => {
  it.each(KEYS)('name %s', async (key) => {
    const { name } = await amplifyWrites(key, 'v')
    expect(encodeCookieName(key)).toBe(name)
  })
  it.each(VALUES)('value %s', async (value) => {
    const cookie = await amplifyWrites('k', value)
    expect(encodeCookieValue(value)).toBe(cookie.value)
    expect(cookieBytes('k', value)).toBe(new TextEncoder().encode(`k${cookie.value}`).length)
  })
})

describe('size check', () => {
  const key = KEYS[2]!
  const nameBytes = encodeCookieName(key).length
  const fits = 'x'.repeat(MAX_COOKIE_BYTES - nameBytes)
  const over = 'x'.repeat(MAX_COOKIE_BYTES - nameBytes + 1)

  it('accepts name + value of exactly 4096 bytes and refuses one more', () => {
    expect(tokenCookieProblem(key, fits)).toBeUndefined()
    const problem = tokenCookieProblem(key, over)!
    expect(problem).toBeInstanceOf(TokenTooLargeError)
    expect(problem).toMatchObject({ name: 'TokenTooLargeError', token: 'refreshToken', bytes: MAX_COOKIE_BYTES + 1 })
    expect(problem.message).toMatch(/4097 bytes, over the 4096/)
    expect(problem.message).toMatch(/groups/)
    expect(problem.message).toMatch(/custom (claims|attributes)/)
  })

  it('counts the encoded form: characters the browser stores escaped count three times', () => {
    // 1400 spaces are 4200 bytes as %20 though only 1400 characters.
    expect(tokenCookieProblem('CognitoIdentityServiceProvider.c.u.idToken', ' '.repeat(1400))).toMatchObject({ token: 'idToken', bytes: 4200 + 'CognitoIdentityServiceProvider.c.u.idToken'.length })
  })

  it('refuses an oversized write before it reaches the storage, and passes the rest through', async () => {
    const storage = sizeCheckedStorage(new CookieStorage({ path: '/', sameSite: 'lax', secure: false }))
    await expect(storage.setItem(key, over)).rejects.toBeInstanceOf(TokenTooLargeError)
    expect(written).toEqual([])
    await storage.setItem(key, fits)
    expect(written).toHaveLength(1)
    expect(written[0]!.split(';')[0]!.length).toBe(MAX_COOKIE_BYTES + 1) // name + '=' + value
    // The token itself never appears in the message.
    const problem = tokenCookieProblem(key, over)!
    expect(problem.message).not.toContain(over.slice(0, 50))
  })
})
