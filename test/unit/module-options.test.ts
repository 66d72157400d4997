// resolveModuleOptions: reads the outputs file from rootDir, merges and validates, as the build does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveModuleOptions } from '../../src/options'
import { AmplifyOptionsError } from '../../src/runtime/shared/validate-options'

const EXECUTE_API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod'
const OUTPUTS = {
  version: '1.3',
  auth: {
    aws_region: 'eu-west-1',
    user_pool_id: 'eu-west-1_Out',
    user_pool_client_id: 'outClient',
    identity_pool_id: 'eu-west-1:out-pool',
    unauthenticated_identities_enabled: true,
  },
  custom: {
    API: {
      myRestApi: { endpoint: `${EXECUTE_API}/`, region: 'eu-west-1', apiName: 'myRestApi' },
    },
  },
}

let rootDir: string

beforeAll(() => {
  rootDir = mkdtempSync(join(tmpdir(), 'amplify-module-options-'))
  writeFileSync(join(rootDir, 'amplify_outputs.json'), JSON.stringify(OUTPUTS, null, 2))
  writeFileSync(join(rootDir, 'bad.json'), '{ "auth": { "aws_region": "eu-west-1", }')
  writeFileSync(join(rootDir, 'array.json'), '[]')
  writeFileSync(join(rootDir, 'no-auth.json'), JSON.stringify({ custom: OUTPUTS.custom }))
  mkdirSync(join(rootDir, 'config'))
  writeFileSync(join(rootDir, 'config', 'outputs.json'), JSON.stringify(OUTPUTS))
  mkdirSync(join(rootDir, 'a-directory.json'))
})

afterAll(() => {
  rmSync(rootDir, { recursive: true, force: true })
})

describe('resolveModuleOptions', () => {
  describe('a valid outputs file', () => {
    it('is read from rootDir: its custom.API entries become iam APIs, its auth configures Cognito', () => {
      const resolved = resolveModuleOptions({ outputs: './amplify_outputs.json' }, rootDir)
      expect(resolved.problems).toEqual([])
      expect(resolved.warnings).toEqual([])
      expect(resolved.options.rest).toEqual({
        myRestApi: { endpoint: EXECUTE_API, region: 'eu-west-1', authMode: 'iam', token: 'id', apiKey: '', scheme: '', headers: {} },
      })
      expect(resolved.options.auth).toMatchObject({
        region: 'eu-west-1', userPoolId: 'eu-west-1_Out', userPoolClientId: 'outClient', identityPoolId: 'eu-west-1:out-pool', allowGuestAccess: true,
      })
      expect(resolved.options.defaultApi).toBe('myRestApi')
    })

    it('is found by a path in a subfolder and by an absolute path', () => {
      expect(resolveModuleOptions({ outputs: 'config/outputs.json' }, rootDir).problems).toEqual([])
      expect(resolveModuleOptions({ outputs: join(rootDir, 'amplify_outputs.json') }, '/').problems).toEqual([])
    })

    it('is merged with rest by name', () => {
      const resolved = resolveModuleOptions({ outputs: './amplify_outputs.json', rest: { myRestApi: { authMode: 'userPool' } } }, rootDir)
      expect(resolved.problems).toEqual([])
      expect(resolved.options.rest.myRestApi).toMatchObject({ endpoint: EXECUTE_API, authMode: 'userPool' })
    })

    it('passes warnings through and still validates', () => {
      const resolved = resolveModuleOptions({ outputs: './amplify_outputs.json', defualtApi: 'x', defaultApi: 'nope' } as never, rootDir)
      expect(resolved.warnings).toEqual([expect.stringContaining('did you mean "defaultApi"?')])
      expect(resolved.problems).toEqual([expect.stringContaining('amplify.defaultApi is "nope"; expected one of the configured APIs: "myRestApi"')])
    })
  })

  describe('outputs as an object', () => {
    it('is used as is', () => {
      const resolved = resolveModuleOptions({ outputs: OUTPUTS }, rootDir)
      expect(resolved.problems).toEqual([])
      expect(Object.keys(resolved.options.rest)).toEqual(['myRestApi'])
    })

    it.each([
      ['number', 42],
      ['an array', []],
    ])('refuses outputs that is a %s', (described, outputs) => {
      const resolved = resolveModuleOptions({ outputs } as never, rootDir)
      expect(resolved.problems).toContainEqual(`amplify.outputs is ${described}; expected a path (string) or the outputs object`)
    })
  })

  describe('a wrong outputs file', () => {
    it('that does not exist: names the key, the value, where it looked and what is expected', () => {
      const resolved = resolveModuleOptions({ outputs: './nope/amplify_outputs.json' }, rootDir)
      expect(resolved.problems).toHaveLength(1)
      const [problem] = resolved.problems
      expect(problem).toContain('amplify.outputs "./nope/amplify_outputs.json" does not exist')
      expect(problem).toContain(join(rootDir, 'nope', 'amplify_outputs.json'))
      expect(problem).toContain('expected the path of amplify_outputs.json')
    })

    it('that is not JSON: names the key, the value and what is expected', () => {
      const resolved = resolveModuleOptions({ outputs: './bad.json' }, rootDir)
      expect(resolved.problems).toHaveLength(1)
      expect(resolved.problems[0]).toContain('amplify.outputs "./bad.json" is not valid JSON')
      expect(resolved.problems[0]).toContain('expected the amplify_outputs.json')
    })

    it('that holds JSON but not an object', () => {
      expect(resolveModuleOptions({ outputs: './array.json' }, rootDir).problems)
        .toEqual(['amplify.outputs "./array.json" holds an array; expected a JSON object'])
    })

    it('without auth, while its API defaults to iam: asks for the identity pool', () => {
      const resolved = resolveModuleOptions({ outputs: './no-auth.json' }, rootDir)
      expect(resolved.problems).toEqual([expect.stringContaining('amplify.rest.myRestApi.authMode is "iam" but amplify.auth.identityPoolId is missing')])
    })

    it('without auth, while rest makes its API userPool: asks for the user pool', () => {
      const resolved = resolveModuleOptions({ outputs: './no-auth.json', rest: { myRestApi: { authMode: 'userPool' } } }, rootDir)
      expect(resolved.problems).toEqual([expect.stringContaining('amplify.rest.myRestApi.authMode is "userPool" but amplify.auth has no userPoolId/userPoolClientId')])
    })

    it('without auth is fine when auth gives the settings', () => {
      const resolved = resolveModuleOptions({ outputs: './no-auth.json', auth: { identityPoolId: 'eu-west-1:abc' } }, rootDir)
      expect(resolved.problems).toEqual([])
    })

    it('the problems make one AmplifyOptionsError message naming each of them', () => {
      const resolved = resolveModuleOptions({ outputs: './nope.json' }, rootDir)
      const error = new AmplifyOptionsError(resolved.problems)
      expect(error.name).toBe('AmplifyOptionsError')
      expect(error.message).toContain('amplify.outputs "./nope.json" does not exist')
    })
  })

  describe('outputs paths that are not a file', () => {
    // A directory (or the empty string, which resolves to rootDir itself) must give a problem like a missing
    // file, or be treated as unset: never an uncaught EISDIR from readFileSync.
    it('a directory gives a problem naming amplify.outputs and the value', () => {
      let resolved: ReturnType<typeof resolveModuleOptions> | undefined
      expect(() => {
        resolved = resolveModuleOptions({ outputs: './a-directory.json' }, rootDir)
      }).not.toThrow()
      expect(resolved!.problems).toEqual([expect.stringContaining('amplify.outputs "./a-directory.json"')])
    })

    it('an env-style empty string is treated as unset: no problem, and rootDir\'s amplify_outputs.json is not read', () => {
      const rest = { items: { endpoint: EXECUTE_API, authMode: 'none' as const } }
      const resolved = resolveModuleOptions({ outputs: '', rest }, rootDir)
      expect(resolved.problems).toEqual([])
      expect(resolved).toEqual(resolveModuleOptions({ rest }, rootDir))
      expect(resolved.options.defaultApi).toBe('items')
      expect(Object.keys(resolved.options.rest)).toEqual(['items'])
      expect(resolved.options.rest.items).toMatchObject({ endpoint: EXECUTE_API, authMode: 'none', region: 'eu-west-1', apiKey: '', headers: {} })
      expect(resolved.options.auth).toMatchObject({ userPoolId: '', userPoolClientId: '', identityPoolId: '' })
    })
  })

  describe('without outputs', () => {
    it('auth and rest alone are a complete configuration', () => {
      const resolved = resolveModuleOptions({
        auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_x', userPoolClientId: 'c' },
        rest: { items: { endpoint: 'http://127.0.0.1:4010/items', authMode: 'userPool' } },
      }, rootDir)
      expect(resolved.problems).toEqual([])
      expect(resolved.options.rest.items).toMatchObject({ region: 'us-east-1', authMode: 'userPool' })
      expect(resolved.options.defaultApi).toBe('items')
    })

    it('reports merge problems without piling validation problems on them', () => {
      const resolved = resolveModuleOptions({ rest: { items: 'https://x.example' } } as never, rootDir)
      expect(resolved.problems).toEqual([expect.stringContaining('amplify.rest.items is "https://x.example"; expected an object')])
    })
  })
})
