#!/usr/bin/env node
// `npx nuxt-amplify-rest local [options] [-- command args…]`: starts the offline backend, then
// prints the NUXT_PUBLIC_AMPLIFY_* variables (or writes them to a file) and waits, or runs the given
// command with them set and stops the backend when the command ends (or on Ctrl-C / SIGTERM).

import { spawn } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import process from 'node:process'
import { formatEnv, LOCAL_API_NAMES, type LocalEnvApi } from './env'
import { parseCliArgs, USAGE } from './cli-args'
import type { LocalBackend } from './types'

async function main(argv: string[]): Promise<number> {
  const parsed = parseCliArgs(argv)
  if ('help' in parsed) {
    process.stdout.write(USAGE)
    return 0
  }
  if ('error' in parsed) {
    process.stderr.write(`nuxt-amplify-rest: ${parsed.error}\n\n${USAGE}`)
    return 2
  }
  const { startLocalBackend } = await import('./index')
  let backend: LocalBackend
  try {
    backend = await startLocalBackend()
  }
  catch (error) {
    process.stderr.write(`${(error as Error).message}\n`)
    return 1
  }
  const rest: Record<string, LocalEnvApi> | undefined = parsed.apis.length ? Object.fromEntries(parsed.apis.map(a => [a.name, a.serverOnly ? { api: a.api, serverOnly: true } : a.api])) : undefined
  let env: Record<string, string>
  try {
    env = backend.env(rest ? { rest } : {})
  }
  catch (error) {
    await backend.stop()
    process.stderr.write(`nuxt-amplify-rest: ${(error as Error).message}\n`)
    return 2
  }
  const log = (line: string) => process.stderr.write(`[nuxt-amplify-rest local] ${line}\n`)
  log(`offline backend up: user pool ${backend.urls.userPool}, identity ${backend.urls.identity}, REST ${backend.urls.rest}`)
  log(`users: ${backend.users.map(u => `${u.username} / ${u.password}`).join(', ') || '(none)'}`)
  if (!rest) log(`APIs: ${LOCAL_API_NAMES.join(', ')} (point your own with --api <yourApi>=<${LOCAL_API_NAMES.join('|')}>)`)
  if (parsed.envFile) {
    // Holds the local API key: readable by its owner only.
    writeFileSync(parsed.envFile, formatEnv(env), { mode: 0o600 })
    chmodSync(parsed.envFile, 0o600)
    log(`wrote ${Object.keys(env).length} variables to ${parsed.envFile}`)
  }

  let stopping: Promise<void> | undefined
  const stop = () => stopping ??= backend.stop()

  if (!parsed.command) {
    if (!parsed.envFile) process.stdout.write(formatEnv(env))
    log('running; Ctrl-C stops it')
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    await stop()
    return 0
  }

  const [command, ...args] = parsed.command
  log(`running ${command} with ${Object.keys(env).length} NUXT_*AMPLIFY_* variables set`)
  const child = spawn(command!, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  const code = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`nuxt-amplify-rest: cannot run ${command}: ${error.message}\n`)
      resolve(127)
    })
    child.once('exit', (status, signal) => resolve(status ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1)))
  })
  process.off('SIGINT', onInt)
  process.off('SIGTERM', onTerm)
  await stop()
  return code
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  (error) => {
    process.stderr.write(`nuxt-amplify-rest: ${(error as Error)?.stack ?? String(error)}\n`)
    process.exit(1)
  },
)
