// The command line of `nuxt-amplify-rest local` (src/local/cli-args.ts).
import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../src/local/cli-args'

describe('nuxt-amplify-rest local: arguments', () => {
  it('takes --env-out, repeated --api (with ,serverOnly) and everything after -- as the command', () => {
    expect(parseCliArgs(['local', '--env-out', '.env.local', '--api', 'items=userPool', '--api=feed=apiKey,serverOnly', '--', 'node', '.output/server/index.mjs', '--api', 'x'])).toEqual({
      envFile: '.env.local',
      apis: [{ name: 'items', api: 'userPool', serverOnly: false }, { name: 'feed', api: 'apiKey', serverOnly: true }],
      command: ['node', '.output/server/index.mjs', '--api', 'x'],
    })
    expect(parseCliArgs(['local'])).toEqual({ apis: [] })
    expect(parseCliArgs(['--help'])).toEqual({ help: true })
  })

  it('names what is wrong', () => {
    const error = (argv: string[]) => (parseCliArgs(argv) as { error: string }).error
    expect(error([])).toBe('missing the command "local"')
    expect(error(['start'])).toContain('unknown command "start"; expected "local"')
    expect(error(['local', '--api', 'items'])).toContain('is not <name>=<localApi>[,serverOnly]')
    expect(error(['local', '--api', 'items=cognito'])).toContain('"cognito" is no local API; expected one of iam, apiKey, userPool, userPoolAccess, custom, none')
    expect(error(['local', '--api', 'a=iam', '--api', 'a=none'])).toContain('--api a is given twice')
    expect(error(['local', '--env-out'])).toContain('--env-out needs a file name')
    expect(error(['local', '--'])).toContain('followed by no command')
    expect(error(['local', 'node', 'server.mjs'])).toContain('unknown option "node" (a command to run goes after "--")')
  })
})
