// Keys and sealed values for state that several server instances share (the `amplify` storage
// mount): a key names an entry by an HMAC of what it is about (never the raw token or identity),
// and a value is sealed with AES-256-GCM, bound to its key, so a store's reader learns nothing and a
// writer cannot forge or move an entry. Both keys derive from one secret (HKDF-SHA-256).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/** The shortest `sessionSecret` accepted: 32 characters. */
export const MIN_SECRET_LENGTH = 32
const VERSION = 'v1'

export interface Sealer {
  /** The entry name of `subject` for `purpose`: `<purpose>:<HMAC, base64url>`. */
  key: (purpose: string, subject: string) => string
  /** `value` as JSON, encrypted and bound to `key`. */
  seal: (key: string, value: unknown) => string
  /** The value sealed for `key`, or undefined when it is not one (other key, other secret, altered). */
  open: (key: string, sealed: unknown) => unknown
}

export function createSealer(secret: string): Sealer {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH)
    throw new TypeError(`The session secret must be a string of at least ${MIN_SECRET_LENGTH} characters.`)
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'nuxt-amplify-rest', info, 32))
  const macKey = derive('entry-key')
  const encKey = derive('entry-seal')
  return {
    key: (purpose, subject) => `${purpose}:${createHmac('sha256', macKey).update(`${purpose}\0${subject}`).digest('base64url')}`,
    seal(key, value) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', encKey, iv)
      cipher.setAAD(Buffer.from(key))
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`
    },
    open(key, sealed) {
      if (typeof sealed !== 'string' || !sealed.startsWith(`${VERSION}.`)) return undefined
      const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64url')
      if (raw.length < 12 + 16 + 1) return undefined
      try {
        const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12))
        decipher.setAAD(Buffer.from(key))
        decipher.setAuthTag(raw.subarray(raw.length - 16))
        const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8')
        return JSON.parse(text) as unknown
      }
      catch {
        return undefined
      }
    },
  }
}

/** A secret for one process, when the store is that process's memory and no secret is configured. */
export function processSecret(): string {
  return randomBytes(32).toString('base64url')
}
