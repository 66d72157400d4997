// `persist`: the local backend's state directory kept between starts. cognito-local keeps its own
// data in `<dir>/.cognito/db` (it runs with the directory as its cwd); this file adds `state.json`
// with what the backend itself makes up at start (pool and client ids, identity pool id, API key,
// custom tokens), and reuses a stored pool instead of creating a new one. A lock file keeps a
// second backend out of a directory in use: two cognito-locals rewriting one db would race.

import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { cognitoCall, CognitoCallError, createSeedUser, type SeedResult, type SeedUser } from './cognito'
import { LocalBackendError } from './http'

export interface PersistedState {
  version: 1
  userPoolId: string
  clientId: string
  identityPoolId: string
  apiKey: string
  customTokens: Record<string, string>
}

const STATE_FILE = 'state.json'
const LOCK_FILE = 'backend.lock'

function isState(value: unknown): value is PersistedState {
  const state = value as PersistedState
  return !!state && state.version === 1
    && [state.userPoolId, state.clientId, state.identityPoolId, state.apiKey].every(field => typeof field === 'string' && field.length > 0)
    && !!state.customTokens && typeof state.customTokens === 'object'
    && Object.values(state.customTokens).every(token => typeof token === 'string')
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Creates the directory if needed, takes its lock (a stale lock of a dead process is taken over)
 * and reads its state. Returns the absolute directory, the state (undefined on a first start) and
 * the lock's release.
 */
export async function openPersistDir(path: string): Promise<{ dir: string, state: PersistedState | undefined, release: () => Promise<void> }> {
  const dir = resolve(path)
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
  }
  catch (error) {
    throw new LocalBackendError(`Local backend: persist directory ${dir} cannot be created: ${(error as Error).message}`, { cause: error })
  }
  const lock = join(dir, LOCK_FILE)
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx', 0o600)
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw new LocalBackendError(`Local backend: persist directory ${dir} cannot be locked: ${(error as Error).message}`, { cause: error })
      const owner = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10)
      if (Number.isInteger(owner) && owner > 0 && alive(owner))
        throw new LocalBackendError(`Local backend: persist directory ${dir} is in use by process ${owner}; one backend at a time per directory (stop the other, or use another directory)`)
      await rm(lock, { force: true })
    }
  }
  const release = () => rm(lock, { force: true })
  let state: PersistedState | undefined
  const file = join(dir, STATE_FILE)
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (text !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    }
    catch {
      // reported below
    }
    if (!isState(parsed)) {
      await release()
      throw new LocalBackendError(`Local backend: ${file} is not a state file this version wrote; delete the directory ${dir} to start with a fresh user pool`)
    }
    state = parsed
  }
  return { dir, state, release }
}

/** Written mode 600: it holds the API key and the custom tokens. */
export async function savePersistState(dir: string, state: PersistedState): Promise<void> {
  await writeFile(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
}

function notFound(error: unknown): boolean {
  return error instanceof CognitoCallError && ['ResourceNotFoundException', 'UserNotFoundException'].includes(error.type)
}

/**
 * The stored pool and client, if cognito-local still has them (undefined: seed a fresh pool). Users
 * it has keep what they have (password, groups, attributes); configured users it lacks are created.
 */
export async function reuseCognito(url: string, state: PersistedState, users: SeedUser[]): Promise<SeedResult | undefined> {
  try {
    await cognitoCall(url, 'DescribeUserPool', { UserPoolId: state.userPoolId })
    await cognitoCall(url, 'DescribeUserPoolClient', { UserPoolId: state.userPoolId, ClientId: state.clientId })
  }
  catch (error) {
    if (notFound(error)) return undefined
    throw error
  }
  const userPoolId = state.userPoolId
  for (const group of new Set(users.flatMap(user => user.groups))) {
    try {
      await cognitoCall(url, 'GetGroup', { UserPoolId: userPoolId, GroupName: group })
    }
    catch (error) {
      if (!notFound(error)) throw error
      await cognitoCall(url, 'CreateGroup', { UserPoolId: userPoolId, GroupName: group })
    }
  }
  const subs = new Map<string, string>()
  for (const user of users) {
    let sub: string | undefined
    try {
      const found = await cognitoCall<{ UserAttributes?: Array<{ Name: string, Value: string }> }>(url, 'AdminGetUser', { UserPoolId: userPoolId, Username: user.username })
      sub = found.UserAttributes?.find(attribute => attribute.Name === 'sub')?.Value
      if (!sub) throw new Error(`cognito-local has ${user.username} without a sub`)
    }
    catch (error) {
      if (!notFound(error)) throw error
      sub = await createSeedUser(url, userPoolId, user)
    }
    subs.set(user.username, sub)
  }
  return { userPoolId, clientId: state.clientId, subs }
}
