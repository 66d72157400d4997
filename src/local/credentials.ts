// Temporary AWS credentials handed out by the local identity pool. The REST
// server's SigV4 check looks keys up here, so only credentials this backend
// issued can sign a request it accepts.

import { randomBytes } from 'node:crypto'

export type CredentialRole = 'guest' | 'authenticated'

export interface StoredCredential {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  role: CredentialRole
  identityId: string
  username?: string
  expiration: Date
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** `ASIA` + 16 chars: the shape of STS temporary keys, so code that inspects keys treats them as temporary. */
function newAccessKeyId(): string {
  return `ASIA${Array.from(randomBytes(16), byte => BASE32[byte % 32]).join('')}`
}

export class CredentialStore {
  private readonly byKey = new Map<string, StoredCredential>()

  issue(input: { role: CredentialRole, identityId: string, username?: string, ttlSeconds: number }): StoredCredential {
    const credential: StoredCredential = {
      accessKeyId: newAccessKeyId(),
      secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
      sessionToken: `local/${randomBytes(96).toString('base64')}`,
      role: input.role,
      identityId: input.identityId,
      ...(input.username === undefined ? {} : { username: input.username }),
      // Whole seconds: the identity pool reports Expiration in epoch seconds.
      expiration: new Date((Math.floor(Date.now() / 1000) + input.ttlSeconds) * 1000),
    }
    this.byKey.set(credential.accessKeyId, credential)
    return credential
  }

  get(accessKeyId: string): StoredCredential | undefined {
    return this.byKey.get(accessKeyId)
  }
}
