// The server's remembered token verdicts (server/verified-tokens.ts): a token the verifier accepted
// is not checked again while unexpired and within the cache age; refusals and expired tokens are
// always checked again; keys hold no token; the number of entries is bounded.
import { describe, expect, it } from 'vitest'
import { createVerdictCache } from '../../src/runtime/server/verified-tokens'
import type { TokenVerdict, UserPoolTokenVerifier } from '../../src/runtime/server/token-verifier'

function verifier(verdicts: Record<string, TokenVerdict>) {
  const calls: string[] = []
  const verify: UserPoolTokenVerifier = async (token, use) => {
    calls.push(`${use}:${token}`)
    return verdicts[token] ?? { ok: false, reason: 'unknown token' }
  }
  return { verify, calls }
}

describe('createVerdictCache', () => {
  let clock = 1_000_000_000_000
  const now = () => clock
  const expiresIn = (s: number) => Math.floor(clock / 1000) + s

  it('an accepted token is verified once while unexpired; per token_use and scope', async () => {
    const cache = createVerdictCache({ now })
    const { verify, calls } = verifier({ good: { ok: true, payload: { sub: 'u1', exp: expiresIn(3600) }, expired: false } })
    const wrapped = cache.wrap(verify, 'pool-a client-a')
    const first = await wrapped('good', 'id')
    const second = await wrapped('good', 'id')
    expect(first).toMatchObject({ ok: true, payload: { sub: 'u1' }, expired: false })
    expect(second).toMatchObject({ ok: true, payload: { sub: 'u1' }, expired: false })
    expect(calls).toEqual(['id:good'])
    await wrapped('good', 'access')
    await cache.wrap(verify, 'pool-b client-b')('good', 'id')
    expect(calls).toEqual(['id:good', 'access:good', 'id:good'])
  })

  it('refused and expired verdicts are not remembered', async () => {
    const cache = createVerdictCache({ now })
    const { verify, calls } = verifier({ old: { ok: true, payload: { sub: 'u1', exp: expiresIn(-5) }, expired: true } })
    const wrapped = cache.wrap(verify, 's')
    await wrapped('forged', 'id')
    await wrapped('forged', 'id')
    expect(await wrapped('old', 'id')).toMatchObject({ ok: true, expired: true })
    await wrapped('old', 'id')
    expect(calls).toEqual(['id:forged', 'id:forged', 'id:old', 'id:old'])
    expect(cache.size).toBe(0)
  })

  it('past the token\'s expiry or the cache age the verifier is asked again', async () => {
    const cache = createVerdictCache({ now, maxAgeMs: 60_000 })
    const { verify, calls } = verifier({
      short: { ok: true, payload: { sub: 'u1', exp: expiresIn(30) }, expired: false },
      long: { ok: true, payload: { sub: 'u2', exp: expiresIn(3600) }, expired: false },
    })
    const wrapped = cache.wrap(verify, 's')
    await wrapped('short', 'id')
    await wrapped('long', 'id')
    clock += 31_000
    await wrapped('short', 'id')
    await wrapped('long', 'id')
    clock += 30_000
    await wrapped('long', 'id')
    expect(calls).toEqual(['id:short', 'id:long', 'id:short', 'id:long'])
  })

  it('bounded: the least recently used entry goes first', async () => {
    const cache = createVerdictCache({ now, maxEntries: 2 })
    const ok = (sub: string): TokenVerdict => ({ ok: true, payload: { sub, exp: expiresIn(3600) }, expired: false })
    const { verify, calls } = verifier({ a: ok('a'), b: ok('b'), c: ok('c') })
    const wrapped = cache.wrap(verify, 's')
    await wrapped('a', 'id')
    await wrapped('b', 'id')
    await wrapped('a', 'id')
    await wrapped('c', 'id')
    expect(cache.size).toBe(2)
    await wrapped('a', 'id')
    await wrapped('b', 'id')
    expect(calls).toEqual(['id:a', 'id:b', 'id:c', 'id:b'])
  })

  it('the remembered payload cannot be changed by one request for the next', async () => {
    const cache = createVerdictCache({ now })
    const { verify } = verifier({ good: { ok: true, payload: { sub: 'u1', exp: expiresIn(3600) }, expired: false } })
    const wrapped = cache.wrap(verify, 's')
    await wrapped('good', 'id')
    const hit = await wrapped('good', 'id')
    expect(() => {
      (hit as { payload: Record<string, unknown> }).payload.sub = 'someone-else'
    }).toThrow(TypeError)
    expect(await wrapped('good', 'id')).toMatchObject({ payload: { sub: 'u1' } })
  })
})
