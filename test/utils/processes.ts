// Child processes of e2e tests that start servers (the local command, `nuxi dev`): their output
// collected, waited on by what they print, and stopped by the test that started them.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { createServer } from 'node:net'

export interface Running {
  child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output: () => string
  /** Resolves with the first match of `pattern` in the output; rejects if the process ends first. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>
  /** SIGTERM (then SIGKILL after `graceMs`), resolves when it has ended. */
  stop: (graceMs?: number) => Promise<number | string>
}

export function run(command: string, args: string[], options: SpawnOptions = {}): Running {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
  let text = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8')
    for (const listener of listeners) listener()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal ?? -1)
      for (const listener of listeners) listener()
    })
  })
  const waitFor = (pattern: RegExp, timeoutMs = 300_000) => new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${pattern}; output so far:\n${text.slice(-3000)}`)), timeoutMs)
    const check = () => {
      const match = pattern.exec(text)
      if (match) return done(undefined, match)
      if (child.exitCode !== null || child.signalCode !== null) done(new Error(`${command} ended (${child.exitCode ?? child.signalCode}) before printing ${pattern}; output:\n${text.slice(-3000)}`))
    }
    function done(error?: Error, match?: RegExpExecArray) {
      clearTimeout(timer)
      listeners.delete(check)
      if (error) reject(error)
      else resolve(match!)
    }
    listeners.add(check)
    check()
  })
  const stop = async (graceMs = 30_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    }
    return exited
  }
  return { child, output: () => text, waitFor, exited, stop }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** The environment of a child that should log as a user's terminal would (Nuxt is quiet under vitest). */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(?:VITEST|TEST$|NODE_ENV$|NUXT_PUBLIC_AMPLIFY|NUXT_AMPLIFY)/.test(name)))
  return { ...env, NUXT_TELEMETRY_DISABLED: '1', ...extra }
}
