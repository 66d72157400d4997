// The SRP math of the server sign-in (client side) and of the local backend (server side),
// checked against Amplify's own client implementation: the same inputs give the same A, the same
// key and the same PASSWORD_CLAIM_SIGNATURE, and Amplify's claim passes our server's check.
import { createHash, hkdfSync, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { claimSignature, cognitoTimestamp, g, k, modPow, N, padHex, passwordClaim, srpClient, srpServer, verifyPasswordClaim } from '../../src/runtime/shared/srp'

// Amplify's SRP helpers are internal (not in @aws-amplify/auth's package exports): loaded by file.
const srpDir = join(dirname(createRequire(import.meta.url).resolve('@aws-amplify/auth/package.json')), 'dist/esm/providers/cognito/utils/srp')
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(join(srpDir, file)).href)).default as T
const named = async <T>(file: string, name: string): Promise<T> => (await import(pathToFileURL(join(srpDir, file)).href))[name] as T

type BigInteger = { toString: (radix: number) => string }
type BigIntegerCtor = new (hex: string, radix: number) => BigInteger
interface AmplifyHelper {
  A: BigInteger
  k: BigInteger
  getPasswordAuthenticationKey: (input: { username: string, password: string, serverBValue: BigInteger, salt: BigInteger }) => Promise<Uint8Array>
}

async function amplify() {
  const BigInteger = await load<BigIntegerCtor>('BigInteger/BigInteger.mjs')
  const AuthenticationHelper = await load<new (input: Record<string, unknown>) => AmplifyHelper>('AuthenticationHelper/AuthenticationHelper.mjs')
  const { calculateA } = await import(pathToFileURL(join(srpDir, 'calculate/calculateA.mjs')).href) as { calculateA: (i: Record<string, BigInteger>) => Promise<BigInteger> }
  const getSignatureString = await named<(i: Record<string, unknown>) => string>('getSignatureString.mjs', 'getSignatureString')
  const getPaddedHex = await named<(b: BigInteger) => string>('getPaddedHex.mjs', 'getPaddedHex')
  const big = (value: bigint) => new BigInteger(value.toString(16), 16)
  /** Amplify's handlePasswordVerifierChallenge, its network call left out. */
  async function claim(userPoolId: string, a: bigint, challenge: Record<string, string>, password: string, dateNow: string) {
    const userPoolName = userPoolId.split('_')[1]
    const A = await calculateA({ a: big(a), g: big(g), N: big(N) })
    const helper = new AuthenticationHelper({ userPoolName, a: big(a), g: big(g), A, N: big(N) })
    const hkdf = await helper.getPasswordAuthenticationKey({
      username: challenge.USER_ID_FOR_SRP!, password, serverBValue: new BigInteger(challenge.SRP_B!, 16), salt: new BigInteger(challenge.SALT!, 16),
    })
    const signature = getSignatureString({ userPoolName, username: challenge.USER_ID_FOR_SRP, challengeParameters: challenge, dateNow, hkdf })
    return { A: A.toString(16), k: helper.k.toString(16), signature }
  }
  return { claim, padHex: (value: bigint) => getPaddedHex(big(value)) }
}

const POOL = 'eu-west-1_AbCdEf123'
const SECRET_BLOCK = randomBytes(96).toString('base64')
const challengeFor = (server: ReturnType<typeof srpServer>) => ({ SRP_B: server.B.toString(16), SALT: server.salt, SECRET_BLOCK, USER_ID_FOR_SRP: server.userId })

describe('SRP', () => {
  it('padHex encodes like Amplify\'s getPaddedHex (Java toByteArray)', async () => {
    const { padHex: theirs } = await amplify()
    for (const value of [0n, 20n, 56n, 127n, 128n, 200n, 236n, 255n, 256n, 0x7FFFn, 0x8000n, N, N - 1n, BigInt(`0x${randomBytes(48).toString('hex')}`)])
      expect(padHex(value), String(value)).toBe(theirs(value))
  })

  it('the timestamp is Cognito\'s: day not padded, time padded, UTC', () => {
    expect(cognitoTimestamp(new Date(Date.UTC(2026, 11, 1, 4, 5, 6)))).toBe('Tue Dec 1 04:05:06 UTC 2026')
    expect(cognitoTimestamp(new Date(Date.UTC(2027, 0, 31, 23, 59, 9)))).toBe('Sun Jan 31 23:59:09 UTC 2027')
  })

  it('the same inputs give Amplify\'s A, k and PASSWORD_CLAIM_SIGNATURE', async () => {
    const theirs = await amplify()
    for (const [userId, password] of [['alice', 'Passw0rd!alice'], ['0f6c-ü-user', 'pässwörd with spaces 😀']] as const) {
      const server = srpServer(POOL, userId, password)
      const a = BigInt(`0x${randomBytes(128).toString('hex')}`)
      const timestamp = 'Wed Dec 2 04:05:06 UTC 2026'
      const expected = await theirs.claim(POOL, a, challengeFor(server), password, timestamp)
      const client = srpClient(a)
      const ours = passwordClaim(client, challengeFor(server), POOL, password, new Date(Date.UTC(2026, 11, 2, 4, 5, 6)))
      expect(client.A).toBe(expected.A)
      expect(k.toString(16)).toBe(expected.k)
      expect(ours).toEqual({ USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: expected.signature })
    }
  })

  it('the server accepts the claim of Amplify\'s client and of ours, for the right password only', async () => {
    const theirs = await amplify()
    const server = srpServer(POOL, 'alice', 'Passw0rd!alice')
    const a = BigInt(`0x${randomBytes(128).toString('hex')}`)
    const timestamp = cognitoTimestamp(new Date())
    const amplifyClaim = await theirs.claim(POOL, a, challengeFor(server), 'Passw0rd!alice', timestamp)
    expect(verifyPasswordClaim(server, amplifyClaim.A, SECRET_BLOCK, timestamp, amplifyClaim.signature)).toBe(true)

    const client = srpClient()
    const right = passwordClaim(client, challengeFor(server), POOL, 'Passw0rd!alice')
    expect(verifyPasswordClaim(server, client.A, SECRET_BLOCK, right.TIMESTAMP!, right.PASSWORD_CLAIM_SIGNATURE!)).toBe(true)
    const wrong = passwordClaim(client, challengeFor(server), POOL, 'Passw0rd!alicf')
    expect(verifyPasswordClaim(server, client.A, SECRET_BLOCK, wrong.TIMESTAMP!, wrong.PASSWORD_CLAIM_SIGNATURE!)).toBe(false)
  })

  it('the server refuses a replayed signature under another timestamp or secret block, A = 0 and a non-hex A', () => {
    const server = srpServer(POOL, 'alice', 'Passw0rd!alice')
    const client = srpClient()
    const claim = passwordClaim(client, challengeFor(server), POOL, 'Passw0rd!alice', new Date(Date.UTC(2026, 11, 2, 4, 5, 6)))
    const signature = claim.PASSWORD_CLAIM_SIGNATURE!
    expect(verifyPasswordClaim(server, client.A, SECRET_BLOCK, 'Wed Dec 2 04:05:07 UTC 2026', signature)).toBe(false)
    expect(verifyPasswordClaim(server, client.A, randomBytes(96).toString('base64'), claim.TIMESTAMP!, signature)).toBe(false)
    expect(verifyPasswordClaim(server, N.toString(16), SECRET_BLOCK, claim.TIMESTAMP!, signature)).toBe(false)
    expect(verifyPasswordClaim(server, 'zz', SECRET_BLOCK, claim.TIMESTAMP!, signature)).toBe(false)
  })

  it('a user pool that sends B = 0 is refused', () => {
    expect(() => passwordClaim(srpClient(), { SRP_B: '0', SALT: 'ab', SECRET_BLOCK, USER_ID_FOR_SRP: 'alice' }, POOL, 'x')).toThrow(/B = 0/)
  })
})

/**
 * The claim of someone who does not know the password but guesses the server's shared secret S
 * (the key derivation as the file header describes it, and as Amplify's client does it above).
 */
function forgedSignature(server: ReturnType<typeof srpServer>, A: bigint, S: bigint, timestamp: string): string {
  const u = BigInt(`0x${createHash('sha256').update(Buffer.from(padHex(A) + padHex(server.B), 'hex')).digest('hex')}`)
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16))
  return claimSignature(key, server.poolName, server.userId, SECRET_BLOCK, timestamp)
}

describe('SRP, what an attacker or a broken peer gets', () => {
  const timestamp = 'Wed Dec 2 04:05:06 UTC 2026'

  it('A ≡ 0 (mod N) is refused: with it the server\'s secret S would be 0 and known without the password', () => {
    const server = srpServer(POOL, 'alice', 'Passw0rd!alice')
    for (const A of [0n, N, 2n * N])
      expect(verifyPasswordClaim(server, A.toString(16), SECRET_BLOCK, timestamp, forgedSignature(server, A, 0n, timestamp)), String(A)).toBe(false)
  })

  it('each challenge has a fresh secret b: a claim guessing S = 1 (b = 0) is refused, two challenges differ', () => {
    const A = modPow(g, 12345n, N)
    // The forgery is right: a server whose b were 0 would accept it.
    const weak = srpServer(POOL, 'alice', 'Passw0rd!alice', 'ab12', 0n)
    expect(verifyPasswordClaim(weak, A.toString(16), SECRET_BLOCK, timestamp, forgedSignature(weak, A, 1n, timestamp))).toBe(true)
    const server = srpServer(POOL, 'alice', 'Passw0rd!alice', 'ab12')
    expect(verifyPasswordClaim(server, A.toString(16), SECRET_BLOCK, timestamp, forgedSignature(server, A, 1n, timestamp))).toBe(false)
    expect(srpServer(POOL, 'alice', 'Passw0rd!alice', 'ab12').B).not.toBe(server.B)
  })

  it('each client has a fresh secret a (128 random bytes), never a fixed or trivial A', () => {
    const one = srpClient()
    const two = srpClient()
    expect(one.A).not.toBe(two.A)
    expect(one.a).not.toBe(two.a)
    for (const client of [one, two]) {
      expect(client.a > 2n ** 512n).toBe(true)
      expect(client.A).toBe(modPow(g, client.a, N).toString(16))
    }
  })

  it('a user pool that sends B ≡ 0 (mod N) is refused, as the protocol requires', () => {
    for (const B of [N, 3n * N])
      expect(() => passwordClaim(srpClient(), { SRP_B: B.toString(16), SALT: 'ab', SECRET_BLOCK, USER_ID_FOR_SRP: 'alice' }, POOL, 'x'), String(B)).toThrow('SRP: the user pool sent B = 0')
  })

  it('the server answers false, never throws, for an SRP_A that is not all hex or a signature of another length', () => {
    const server = srpServer(POOL, 'alice', 'Passw0rd!alice')
    const client = srpClient()
    const claim = passwordClaim(client, challengeFor(server), POOL, 'Passw0rd!alice', new Date(Date.UTC(2026, 11, 2, 4, 5, 6)))
    const signature = claim.PASSWORD_CLAIM_SIGNATURE!
    expect(verifyPasswordClaim(server, client.A, SECRET_BLOCK, claim.TIMESTAMP!, signature)).toBe(true)
    for (const A of [`zz${client.A}`, `${client.A}zz`, `${client.A}\n`, `-${client.A}`, ''])
      expect(verifyPasswordClaim(server, A, SECRET_BLOCK, claim.TIMESTAMP!, signature), JSON.stringify(A)).toBe(false)
    const longer = Buffer.concat([Buffer.from(signature, 'base64'), Buffer.from([0])]).toString('base64')
    for (const other of [signature.slice(0, 20), '', longer])
      expect(verifyPasswordClaim(server, client.A, SECRET_BLOCK, claim.TIMESTAMP!, other), other).toBe(false)
  })

  it('padHex refuses a negative number (it has no two\'s-complement form the protocol hashes)', () => {
    expect(() => padHex(-1n)).toThrow(new RangeError('padHex takes a non-negative integer'))
  })
})
