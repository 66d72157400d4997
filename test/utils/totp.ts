// The test acting as a user's authenticator app against cognito-local, which emulates TOTP MFA:
// an RFC 6238 code of a base32 secret, and a plain JSON call to the pool to set the app up.
import { createHmac } from 'node:crypto'
import type { LocalBackend } from '../../src/local'

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret, as an authenticator app computes it. */
export function totp(secret: string, now = Date.now()): string {
  const bits = secret.replace(/=+$/, '').toUpperCase().split('').map(c => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c).toString(2).padStart(5, '0')).join('')
  const key = Buffer.from(bits.match(/.{8}/g)!.map(byte => Number.parseInt(byte, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30_000)))
  const hmac = createHmac('sha1', key).update(counter).digest()
  const offset = hmac[hmac.length - 1]! & 0xF
  return String((hmac.readUInt32BE(offset) & 0x7FFFFFFF) % 1_000_000).padStart(6, '0')
}

/** One JSON call straight to cognito-local. */
export async function cognito(backend: LocalBackend, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${backend.urls.cognito}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(input),
  })
  const body = await response.json() as Record<string, unknown>
  if (!response.ok) throw new Error(`${operation}: ${response.status} ${JSON.stringify(body)}`)
  return body
}

/** Turns on TOTP MFA for the pool (optional) and sets up an authenticator app for `username`; returns its secret. */
export async function enableTotp(backend: LocalBackend, username: string, password: string): Promise<string> {
  await cognito(backend, 'SetUserPoolMfaConfig', { UserPoolId: backend.amplify.auth.userPoolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } })
  const signedIn = await cognito(backend, 'InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: backend.amplify.auth.userPoolClientId, AuthParameters: { USERNAME: username, PASSWORD: password } })
  const accessToken = (signedIn.AuthenticationResult as { AccessToken: string }).AccessToken
  const { SecretCode: secret } = await cognito(backend, 'AssociateSoftwareToken', { AccessToken: accessToken }) as { SecretCode: string }
  await cognito(backend, 'VerifySoftwareToken', { AccessToken: accessToken, UserCode: totp(secret) })
  await cognito(backend, 'SetUserMFAPreference', { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })
  return secret
}
