// `persist` (src/local/persist.ts, `amplify.local.persist`): a second start on the same state
// directory gets the same pool, client and identity pool ids, and the users as the first left
// them (a password changed, a user created); without it every start is a fresh pool.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConsola } from 'consola'
import { afterAll, describe, expect, it } from 'vitest'
import type { Nuxt } from '@nuxt/schema'
import { startLocalBackend } from '../../src/local/index'
import { cognitoCall, CognitoCallError } from '../../src/local/cognito'
import { applyLocalOption, checkLocalOption } from '../../src/local-dev'
import type { LocalBackend } from '../../src/local/types'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'amplify-persist-test-'))
  dirs.push(dir)
  return dir
}

/** Signs in through the user pool endpoint the app uses; the error type if refused. */
async function signIn(backend: LocalBackend, username: string, password: string): Promise<{ accessToken?: string, error?: string }> {
  try {
    const answer = await cognitoCall<{ AuthenticationResult: { AccessToken: string } }>(backend.urls.userPool, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: backend.amplify.auth.userPoolClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    })
    return { accessToken: answer.AuthenticationResult.AccessToken }
  }
  catch (error) {
    if (error instanceof CognitoCallError) return { error: error.type }
    throw error
  }
}

const ids = (backend: LocalBackend) => ({
  userPoolId: backend.amplify.auth.userPoolId,
  clientId: backend.amplify.auth.userPoolClientId,
  identityPoolId: backend.amplify.auth.identityPoolId,
  apiKey: backend.amplify.rest.apiKey.apiKey,
  customToken: backend.users[0]!.customToken,
})

describe('local backend persist', () => {
  const started: LocalBackend[] = []
  const shared = Symbol.for('nuxt-amplify-rest.local-backend')
  afterAll(async () => {
    for (const backend of started) await backend.stop()
    const current = (globalThis as Record<symbol, { backend: Promise<LocalBackend> } | undefined>)[shared]
    await (await current?.backend.catch(() => undefined))?.stop()
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  it('a second start on the same directory has the same ids and the users as the first left them', async () => {
    const dir = join(await tempDir(), 'state')
    const first = await startLocalBackend({ persist: dir })
    started.push(first)
    const alice = await signIn(first, 'alice', 'Passw0rd!alice')
    expect(alice.accessToken).toBeTruthy()
    // What users change: a password (through the user pool endpoint, as Amplify's updatePassword does) and a new user.
    await cognitoCall(first.urls.userPool, 'ChangePassword', { AccessToken: alice.accessToken, PreviousPassword: 'Passw0rd!alice', ProposedPassword: 'Changed!alice1' })
    await cognitoCall(first.urls.cognito, 'AdminCreateUser', { UserPoolId: first.amplify.auth.userPoolId, Username: 'dave', MessageAction: 'SUPPRESS', TemporaryPassword: 'Passw0rd!dave' })
    await cognitoCall(first.urls.cognito, 'AdminSetUserPassword', { UserPoolId: first.amplify.auth.userPoolId, Username: 'dave', Password: 'Passw0rd!dave', Permanent: true })
    const before = ids(first)
    const aliceSub = first.users[0]!.sub
    await first.stop()
    // The state file holds the API key and custom tokens: owner only.
    expect((await stat(join(dir, 'state.json'))).mode & 0o777).toBe(0o600)

    const second = await startLocalBackend({ persist: dir })
    started.push(second)
    expect(ids(second)).toEqual(before)
    expect(second.users[0]!.sub).toBe(aliceSub)
    // The old password is refused (cognito-local says InvalidPasswordException where Cognito says NotAuthorizedException).
    expect(await signIn(second, 'alice', 'Passw0rd!alice')).toEqual({ error: 'InvalidPasswordException' })
    expect((await signIn(second, 'alice', 'Changed!alice1')).accessToken).toBeTruthy()
    expect((await signIn(second, 'dave', 'Passw0rd!dave')).accessToken).toBeTruthy()
    expect((await signIn(second, 'bob', 'Passw0rd!bob')).accessToken).toBeTruthy()

    // One backend at a time per directory.
    await expect(startLocalBackend({ persist: dir })).rejects.toThrow(/persist directory .* is in use by process \d+; one backend at a time per directory/)
    await second.stop()
  }, 120_000)

  it('without persist every start is a fresh pool with new ids', async () => {
    const a = await startLocalBackend()
    started.push(a)
    const first = ids(a)
    await a.stop()
    const b = await startLocalBackend()
    started.push(b)
    const second = ids(b)
    await b.stop()
    expect(second.userPoolId).not.toBe(first.userPoolId)
    expect(second.clientId).not.toBe(first.clientId)
    expect(second.identityPoolId).not.toBe(first.identityPoolId)
  }, 120_000)

  it('amplify.local.persist: checked, and true keeps the state under the app\'s rootDir', async () => {
    expect(checkLocalOption({ persist: 3 }).problems).toEqual([
      'amplify.local.persist is 3; expected true (.data/amplify-local under the app\'s rootDir), false, or a directory path such as \'.data/amplify-local\'',
    ])
    expect(checkLocalOption({ persist: '' }).problems).toHaveLength(1)
    expect(checkLocalOption({ persist: 'state/local' }).problems).toEqual([])
    await expect(startLocalBackend({ persist: '' as string })).rejects.toThrow('persist must be a directory path (got "")')

    const rootDir = await tempDir()
    const nuxt = { options: { dev: true, _prepare: false, rootDir }, hook: () => {} } as unknown as Nuxt
    const logger = createConsola({ level: 0 })
    const options = await applyLocalOption({ local: { persist: true } }, nuxt, logger)
    const state = JSON.parse(await readFile(join(rootDir, '.data/amplify-local/state.json'), 'utf8')) as { userPoolId: string, clientId: string }
    expect(state.userPoolId).toBe(options.auth!.userPoolId)
    expect(state.clientId).toBe(options.auth!.userPoolClientId)
  }, 120_000)
})
