// The browser's cookie storage for Amplify (CachedCookieStorage) over a document.cookie that
// behaves like a browser's: a string of name=value pairs, written one cookie at a time (js-cookie
// writes through it as Amplify's own CookieStorage does). What it reads, and when it reads again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CachedCookieStorage } from '../../src/runtime/app/cookie-jar'

const KEY = 'CognitoIdentityServiceProvider.client.bob.idToken'
const nextTask = () => new Promise(resolve => setTimeout(resolve, 0))

/** A document whose cookie string is shared, like two tabs of one browser; counts the reads. */
class CookieDocument {
  jar = new Map<string, string>()
  reads = 0
  get cookie(): string {
    this.reads++
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  set cookie(line: string) {
    const [pair, ...attributes] = line.split('; ')
    const at = pair!.indexOf('=')
    const name = pair!.slice(0, at)
    const expires = attributes.find(a => a.toLowerCase().startsWith('expires='))
    if (expires && Date.parse(expires.slice(8)) <= Date.now()) this.jar.delete(name)
    else this.jar.set(name, pair!.slice(at + 1))
  }
}

const globals = globalThis as unknown as { document?: unknown }
let saved: unknown
let doc: CookieDocument
beforeEach(() => {
  saved = globals.document
  doc = new CookieDocument()
  globals.document = doc
})
afterEach(() => {
  globals.document = saved
})

describe('CachedCookieStorage', () => {
  it('reads document.cookie once for the keys of one session lookup (one task)', async () => {
    doc.jar.set(KEY, 'eyJ.a.b')
    doc.jar.set('other', 'x')
    const storage = new CachedCookieStorage({ path: '/' })
    const values = []
    for (let i = 0; i < 10; i++) values.push(await storage.getItem(i % 2 ? KEY : 'other'))
    expect(values).toEqual(Array.from({ length: 10 }, (_, i) => i % 2 ? 'eyJ.a.b' : 'x'))
    expect(doc.reads).toBe(1)
  })

  it('sees another tab\'s sign-out at the next task', async () => {
    doc.jar.set(KEY, 'eyJ.a.b')
    const storage = new CachedCookieStorage({ path: '/' })
    expect(await storage.getItem(KEY)).toBe('eyJ.a.b')
    await nextTask()
    doc.jar.delete(KEY) // the other tab's sign-out, not through this storage
    expect(await storage.getItem(KEY)).toBeNull()
    await nextTask()
    doc.jar.set(KEY, 'eyJ.c.d') // and its next sign-in
    expect(await storage.getItem(KEY)).toBe('eyJ.c.d')
  })

  it('sees its own writes and removals in the same task', async () => {
    const storage = new CachedCookieStorage({ path: '/' })
    expect(await storage.getItem(KEY)).toBeNull()
    await storage.setItem(KEY, 'eyJ.new.token')
    expect(await storage.getItem(KEY)).toBe('eyJ.new.token')
    await storage.removeItem(KEY)
    expect(await storage.getItem(KEY)).toBeNull()
    await storage.setItem(KEY, 'again')
    await storage.setItem('LastAuthUser', 'bob')
    await storage.clear()
    expect([await storage.getItem(KEY), await storage.getItem('LastAuthUser')]).toEqual([null, null])
  })
})
