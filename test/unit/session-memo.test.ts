import type { AuthSession } from '@aws-amplify/core'
import { describe, expect, it } from 'vitest'
import { AMPLIFY_CREDENTIALS_TTL_MS, EXPIRY_MARGIN_MS, rememberSession } from '../../src/runtime/shared/session-memo'

const HOUR = 60 * 60 * 1000

function setup(expiresIn: number | null = HOUR) {
  const state = { storage: 'tokens-of-bob', clock: 1_000_000, lookups: 0, writeDuringLookup: undefined as string | undefined }
  const lookup = async (): Promise<AuthSession> => {
    state.lookups++
    if (state.writeDuringLookup !== undefined) state.storage = state.writeDuringLookup
    const expiration = expiresIn === null ? undefined : new Date(state.clock + expiresIn)
    return { tokens: undefined, identityId: `id-${state.lookups}`, credentials: { accessKeyId: `AKIA${state.lookups}`, secretAccessKey: 's', ...(expiration ? { expiration } : {}) } }
  }
  const session = rememberSession(lookup, () => state.storage, () => state.clock)
  return { state, session }
}

describe('rememberSession', () => {
  it('looks up once while the storage and the credentials stay the same', async () => {
    const { state, session } = setup()
    const first = await session()
    expect(await session()).toBe(first)
    expect(await session()).toBe(first)
    expect(state.lookups).toBe(1)
  })

  it('looks up again as soon as the storage changed (a sign-in, sign-out or refresh here or in another tab)', async () => {
    const { state, session } = setup()
    await session()
    state.storage = ''
    expect((await session()).identityId).toBe('id-2')
    state.storage = 'tokens-of-alice'
    expect((await session()).identityId).toBe('id-3')
    expect((await session()).identityId).toBe('id-3')
    expect(state.lookups).toBe(3)
  })

  it('forget(): the next call looks up again (an auth event in this tab)', async () => {
    const { state, session } = setup()
    await session()
    session.forget()
    expect((await session()).identityId).toBe('id-2')
    expect((await session()).identityId).toBe('id-2')
    expect(state.lookups).toBe(2)
  })

  it('does not remember a lookup during which the storage changed', async () => {
    const { state, session } = setup()
    state.writeDuringLookup = 'identity-written'
    await session()
    state.writeDuringLookup = undefined
    expect((await session()).identityId).toBe('id-2')
    expect((await session()).identityId).toBe('id-2')
    expect(state.lookups).toBe(2)
  })

  it('looks up again when Amplify\'s own cache would (50 minutes) or the credentials are near their expiration', async () => {
    const long = setup(10 * HOUR)
    await long.session()
    long.state.clock += AMPLIFY_CREDENTIALS_TTL_MS - 1
    expect((await long.session()).identityId).toBe('id-1')
    long.state.clock += 1
    expect((await long.session()).identityId).toBe('id-2')

    const short = setup(20 * 60 * 1000)
    await short.session()
    short.state.clock += 20 * 60 * 1000 - EXPIRY_MARGIN_MS - 1
    expect((await short.session()).identityId).toBe('id-1')
    short.state.clock += 1
    expect((await short.session()).identityId).toBe('id-2')
  })

  it('never remembers a session without credentials or without an expiration, nor a failed lookup', async () => {
    const none = setup(null)
    await none.session()
    await none.session()
    expect(none.state.lookups).toBe(2)
    const guestless = rememberSession(async () => ({ tokens: undefined }), () => 'same')
    expect(await guestless()).toEqual({ tokens: undefined })

    let calls = 0
    const failing = rememberSession(async () => {
      calls++
      if (calls === 1) throw new Error('identity pool down')
      return { tokens: undefined, credentials: { accessKeyId: 'A', secretAccessKey: 's', expiration: new Date(Date.now() + HOUR) } }
    }, () => 'same')
    await expect(failing()).rejects.toThrow('identity pool down')
    await failing()
    await failing()
    expect(calls).toBe(2)
  })
})
