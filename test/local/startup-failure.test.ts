// Startup failures give one clear error and leave nothing running.

import { afterEach, describe, expect, it } from 'vitest'
import { LocalBackendError, startLocalBackend } from '../../src/local'
import { canConnect, isProcessAlive, occupyPort } from '../utils/local-helpers'

const held: Array<{ close: () => Promise<void> }> = []

afterEach(async () => {
  await Promise.all(held.splice(0).map(port => port.close()))
})

/** Ports that were free a moment ago, for fixed-port starts. */
async function freePorts(count: number): Promise<number[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => occupyPort()))
  await Promise.all(ports.map(port => port.close()))
  return ports.map(port => port.port)
}

async function startupError(options: Parameters<typeof startLocalBackend>[0]): Promise<LocalBackendError> {
  const error = await startLocalBackend(options).then(
    (backend) => {
      void backend.stop()
      throw new Error('startLocalBackend should have failed')
    },
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(LocalBackendError)
  return error as LocalBackendError
}

describe('startup failures', () => {
  it('a fixed REST port in use: clear error, child killed, other servers closed', async () => {
    const exitListeners = process.listenerCount('exit')
    const busy = await occupyPort()
    held.push(busy)
    const [userPool, identity, cognito] = await freePorts(3) as [number, number, number]

    const error = await startupError({ ports: { rest: busy.port, userPool, identity, cognito } })
    expect(error.message).toBe(`Local backend: the REST server cannot listen on 127.0.0.1:${busy.port} because the port is already in use. `
      + 'Stop whatever uses it, or leave `ports.rest` unset to get a free port.')
    expect(error.childPid).toBeTypeOf('number')
    expect(isProcessAlive(error.childPid!)).toBe(false)
    for (const port of [userPool, identity, cognito]) expect(await canConnect(port)).toBe(false)
    expect(process.listenerCount('exit')).toBe(exitListeners)
  })

  it('a fixed cognito-local port in use: the error names cognito-local and the option', async () => {
    const busy = await occupyPort()
    held.push(busy)
    const error = await startupError({ ports: { cognito: busy.port } })
    expect(error.message).toBe(`Local backend: the cognito-local server cannot listen on 127.0.0.1:${busy.port} because the port is already in use. `
      + 'Stop whatever uses it, or leave `ports.cognito` unset to get a free port.')
    // Caught before spawning, so there is no child at all.
    expect(error.childPid).toBeUndefined()
  })

  it('cognito-local not answering in time: the error says so and the child is gone', async () => {
    const [userPool] = await freePorts(1) as [number]
    const error = await startupError({ startupTimeout: 1, ports: { userPool } })
    expect(error.message).toMatch(/^Local backend: cognito-local did not answer on http:\/\/127\.0\.0\.1:\d+ within 1 ms/)
    expect(isProcessAlive(error.childPid!)).toBe(false)
    expect(await canConnect(userPool)).toBe(false)
  })

  it('rejects invalid options before starting anything', async () => {
    expect((await startupError({ ports: { rest: 70000 } })).message).toContain('ports.rest must be an integer')
    expect((await startupError({ tokenValidity: { idToken: 0 } })).message).toContain('tokenValidity.idToken')
    expect((await startupError({ users: [{ username: 'x', password: 'p' }, { username: 'x', password: 'q' }] })).message).toContain('"x" twice')
    expect((await startupError({ region: 'us-east-1:bad' })).message).toContain('region')
  })
})
