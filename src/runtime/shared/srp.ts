// Cognito's Secure Remote Password protocol (SRP-6a over the 3072-bit group of RFC 5054, g = 2,
// SHA-256), both sides: the client's answer to PASSWORD_VERIFIER (the server sign-in) and the
// server's challenge and check (the local backend's emulation). Byte handling follows Amplify's
// client (amplify-js packages/auth/src/providers/cognito/utils/srp): every integer is hashed as
// the bytes of its two's-complement hex (`padHex`), the HKDF key is 16 bytes of
// HKDF-SHA-256(S, salt U, info 'Caldera Derived Key'), and the claim signs
// poolName | userId | secret block | timestamp. Pure: BigInt and node:crypto, no Nuxt.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

const N_HEX = 'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
  + 'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
  + 'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
  + '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
  + 'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
  + '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7'
  + 'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C'
  + 'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF'
/** The group's prime N and generator g. */
export const N = BigInt(`0x${N_HEX}`)
export const g = BigInt(2)
// No BigInt literals (`0n`): Nitro's esbuild target (es2019) warns about each; BigInt itself is Node's.
const ZERO = BigInt(0)
const ONE = BigInt(1)
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** Even-length hex of a non-negative integer, with a leading `00` when its top bit is set (Java's toByteArray). */
export function padHex(value: bigint): string {
  if (value < ZERO) throw new RangeError('padHex takes a non-negative integer')
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex
}

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest()
const hashHex = (hex: string): bigint => BigInt(`0x${sha256(Buffer.from(hex, 'hex')).toString('hex')}`)

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = ONE
  let b = ((base % modulus) + modulus) % modulus
  for (let e = exponent; e > ZERO; e >>= ONE) {
    if (e & ONE) result = (result * b) % modulus
    b = (b * b) % modulus
  }
  return result
}

/** k = H(N | g), SRP-6a's multiplier. */
export const k = hashHex(padHex(N) + padHex(g))

/** The pool name the protocol hashes: the part of the pool id after the region (`eu-west-1_AbC` → `AbC`). */
export function poolNameOf(userPoolId: string): string {
  return userPoolId.split('_')[1] ?? ''
}

/** x = H(salt | H(poolName | userId | ':' | password)); `salt` is the hex Cognito sends as SALT. */
export function passwordExponent(poolName: string, userId: string, password: string, salt: string): bigint {
  const inner = sha256(`${poolName}${userId}:${password}`).toString('hex')
  return hashHex(padHex(BigInt(`0x${salt}`)) + inner)
}

/** u = H(A | B); zero is refused, as the protocol requires. */
function scramble(A: bigint, B: bigint): bigint {
  const u = hashHex(padHex(A) + padHex(B))
  if (u === ZERO) throw new RangeError('SRP: u is zero')
  return u
}

/** The 16-byte key both sides derive from the shared secret S. */
function derivedKey(S: bigint, u: bigint): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16))
}

/** Cognito's TIMESTAMP: `Tue Dec 1 04:05:06 UTC 2026` (day not padded, time in UTC). */
export function cognitoTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} `
    + `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
}

/** PASSWORD_CLAIM_SIGNATURE: base64 HMAC-SHA-256 under the derived key. */
export function claimSignature(key: Buffer, poolName: string, userId: string, secretBlock: string, timestamp: string): string {
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]))
    .digest('base64')
}

// ---- client side -------------------------------------------------------------------------

export interface SrpClient {
  /** The secret exponent a (128 random bytes). */
  a: bigint
  /** SRP_A as hex. */
  A: string
}

/** A fresh client secret; `a` only for tests that need a known one. */
export function srpClient(a: bigint = BigInt(`0x${randomBytes(128).toString('hex')}`)): SrpClient {
  const A = modPow(g, a, N)
  if (A === ZERO) throw new RangeError('SRP: A is zero')
  return { a, A: A.toString(16) }
}

export interface PasswordVerifierChallenge { SRP_B: string, SALT: string, SECRET_BLOCK: string, USER_ID_FOR_SRP: string }

/** The ChallengeResponses of PASSWORD_VERIFIER for `password`. */
export function passwordClaim(client: SrpClient, challenge: PasswordVerifierChallenge, userPoolId: string, password: string, now = new Date()): Record<string, string> {
  const B = BigInt(`0x${challenge.SRP_B}`)
  if (B % N === ZERO) throw new RangeError('SRP: the user pool sent B = 0')
  const A = BigInt(`0x${client.A}`)
  const u = scramble(A, B)
  const poolName = poolNameOf(userPoolId)
  const userId = challenge.USER_ID_FOR_SRP
  const x = passwordExponent(poolName, userId, password, challenge.SALT)
  const base = ((B - k * modPow(g, x, N)) % N + N) % N
  const S = modPow(base, client.a + u * x, N)
  const timestamp = cognitoTimestamp(now)
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: claimSignature(derivedKey(S, u), poolName, userId, challenge.SECRET_BLOCK, timestamp),
  }
}

// ---- server side (what Cognito does; the local backend's emulation) -------------------------

export interface SrpServerState {
  poolName: string
  userId: string
  /** SALT as sent (hex). */
  salt: string
  v: bigint
  b: bigint
  B: bigint
}

/** The verifier v = g^x for a password, the server's b and B = k·v + g^b. */
export function srpServer(userPoolId: string, userId: string, password: string, salt = randomBytes(16).toString('hex'), b = BigInt(`0x${randomBytes(128).toString('hex')}`)): SrpServerState {
  const poolName = poolNameOf(userPoolId)
  const v = modPow(g, passwordExponent(poolName, userId, password, salt), N)
  const B = (k * v + modPow(g, b, N)) % N
  return { poolName, userId, salt, v, b, B }
}

/** True when the client's signature proves it knows the password behind `state.v`. */
export function verifyPasswordClaim(state: SrpServerState, srpA: string, secretBlock: string, timestamp: string, signature: string): boolean {
  if (!/^[0-9a-f]+$/i.test(srpA)) return false
  const A = BigInt(`0x${srpA}`)
  if (A % N === ZERO) return false
  const u = scramble(A, state.B)
  const S = modPow(A * modPow(state.v, u, N), state.b, N)
  const expected = Buffer.from(claimSignature(derivedKey(S, u), state.poolName, state.userId, secretBlock, timestamp), 'base64')
  const given = Buffer.from(signature, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
