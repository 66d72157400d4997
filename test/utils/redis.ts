// A real redis-server for tests: started on a free loopback port with nothing persisted
// (`--save '' --appendonly no`), stopped (and restartable on the same port) by the test.
import { spawn, type ChildProcess } from 'node:child_process'
import { connect } from 'node:net'
import { freePort } from './processes'

export interface TestRedis {
  readonly port: number
  readonly url: string
  /** Stops the server (SIGTERM) and waits until its port refuses connections. */
  stop: () => Promise<void>
  /** Starts it again on the same port (empty). */
  start: () => Promise<void>
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server: timed out waiting until ${what}`)
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  let output = ''
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout?.on('data', (d: Buffer) => output += d.toString())
    child.stderr?.on('data', (d: Buffer) => output += d.toString())
    const exited = new Promise<boolean>(resolve => child!.once('exit', () => resolve(false)))
    await until(() => Promise.race([accepts(port), exited]).then(ok => ok || (child!.exitCode !== null ? Promise.reject(new Error(`redis-server exited: ${output}`)) : false)), `port ${port} accepts connections`)
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      const running = child
      if (!running || running.exitCode !== null) return
      const gone = new Promise(resolve => running.once('exit', resolve))
      running.kill('SIGTERM')
      await gone
      await until(async () => !(await accepts(port)), `port ${port} is closed`)
    },
  }
}
