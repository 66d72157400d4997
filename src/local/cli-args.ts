// The command line of `nuxt-amplify-rest local`, parsed without side effects (unit-tested).

import { LOCAL_API_NAMES } from './env'
import type { LocalApiName } from './types'

export const USAGE = `Usage: npx nuxt-amplify-rest local [--env-out <file>] [--api <name>=<localApi>[,serverOnly]]… [-- <command> [args…]]

Starts the offline backend (cognito-local, identity pool, verifying REST server) on loopback, then
  - without a command: prints the NUXT_PUBLIC_AMPLIFY_* variables (or writes them to --env-out) and
    runs until Ctrl-C;
  - with "-- <command>": runs the command with those variables set, and stops when it ends.

  --env-out <file>    write the variables to <file> (KEY=value lines, mode 600). Not "--env-file":
                      Node 20/22 reads an "--env-file" anywhere on its command line as its own option.
  --api <name>=<api>  point your app's API <name> at the local API <api>, one of
                      ${LOCAL_API_NAMES.join(', ')}; add ",serverOnly" for an API your app
                      declares serverOnly. Repeat per API. Default: the six local APIs by their own names.
  -h, --help          this text

Example: npx nuxt-amplify-rest local --api items=userPool -- node .output/server/index.mjs
`

export interface CliApi { name: string, api: LocalApiName, serverOnly: boolean }
export interface CliOptions {
  envFile?: string
  apis: CliApi[]
  command?: string[]
}

export function parseCliArgs(argv: string[]): CliOptions | { error: string } | { help: true } {
  const [sub, ...rest] = argv
  if (sub === '-h' || sub === '--help' || sub === 'help') return { help: true }
  if (sub !== 'local') return { error: sub === undefined ? 'missing the command "local"' : `unknown command "${sub}"; expected "local"` }
  const options: CliOptions = { apis: [] }
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (arg === '--') {
      const command = rest.slice(i + 1)
      if (!command.length) return { error: '"--" is followed by no command; expected e.g. -- node .output/server/index.mjs' }
      options.command = command
      break
    }
    if (arg === '-h' || arg === '--help') return { help: true }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = () => inline ?? rest[++i]
    if (flag === '--env-out') {
      const file = value()
      if (!file || file.startsWith('-')) return { error: '--env-out needs a file name' }
      options.envFile = file
    }
    else if (flag === '--api') {
      const spec = value()
      const match = spec ? /^([^=]+)=([^,]+)(,serverOnly)?$/.exec(spec) : null
      if (!match) return { error: `--api ${spec ?? ''} is not <name>=<localApi>[,serverOnly]; e.g. --api items=userPool` }
      const [, name, api, serverOnly] = match
      if (!(LOCAL_API_NAMES as readonly string[]).includes(api!)) return { error: `--api ${spec}: "${api}" is no local API; expected one of ${LOCAL_API_NAMES.join(', ')}` }
      if (options.apis.some(a => a.name === name)) return { error: `--api ${name} is given twice` }
      options.apis.push({ name: name!, api: api as LocalApiName, serverOnly: Boolean(serverOnly) })
    }
    else {
      return { error: `unknown option "${arg}" (a command to run goes after "--")` }
    }
  }
  return options
}
