// validateOptions on resolved options as a built server holds them after NUXT_PUBLIC_AMPLIFY_* /
// NUXT_AMPLIFY_* variables were applied (Nitro's applyEnv can replace a value by anything JSON: a
// number, null, an array, a string with a trailing newline): the exact problems a user reads.
// The build-time shapes (mergeOptions + validateOptions) are in options.test.ts.
import { afterEach, describe, expect, it } from 'vitest'
import { applyEnv } from 'nitropack/runtime/internal/utils.env'
import type { ResolvedOptions } from '../../src/runtime/shared/option-types'
import { envSegment, validateOptions } from '../../src/runtime/shared/validate-options'
import { mergeOptions } from '../../src/options'

const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod'

/** What mergeOptions resolves for one iam API under a complete auth section (checked: no problem). */
function resolved(): ResolvedOptions {
  return mergeOptions({
    auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf', userPoolClientId: 'client123', identityPoolId: 'eu-west-1:0c2b-4d5e' },
    rest: { items: { endpoint: ENDPOINT, authMode: 'iam' } },
    defaultApi: 'items',
  }).options
}

/** The problems of the resolved options after `change` (values typed loosely: env gives any JSON). */
function problemsAfter(change: (options: Record<string, any>) => void): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const options = resolved()
  change(options)
  return validateOptions(options)
}

describe('validateOptions on options changed by env variables', () => {
  it('the resolved options it starts from have no problem', () => {
    expect(validateOptions(resolved())).toEqual([])
  })

  it('options that are not an object are one problem, not a crash', () => {
    expect(validateOptions(null as never)).toEqual(['amplify is null; expected an object'])
    expect(validateOptions('{"auth":{}}' as never)).toEqual(['amplify is "{\\"auth\\":{}}"; expected an object'])
  })

  it('auth, rest or one API replaced by something that is not an object: the shape problem alone', () => {
    expect(problemsAfter((o) => {
      o.auth = []
      o.rest = null
    })).toEqual(['amplify.auth is an array; expected an object', 'amplify.rest is null; expected an object'])
    expect(problemsAfter((o) => {
      o.rest.items = ENDPOINT
    })).toEqual([`amplify.rest.items is "${ENDPOINT}"; expected an object like { endpoint, authMode }`])
  })

  it('an auth value that env turned into a number is named once, as not a string', () => {
    // NUXT_PUBLIC_AMPLIFY_AUTH_USER_POOL_CLIENT_ID=1234: Nitro parses digits as a number.
    expect(problemsAfter((o) => {
      o.auth.userPoolClientId = 1234
    })).toEqual(['amplify.auth.userPoolClientId is number 1234; expected a string'])
    // An endpoint that is not a string gets the type problem only, not also "not a URL".
    expect(problemsAfter((o) => {
      o.auth.userPoolEndpoint = 5
    })).toEqual(['amplify.auth.userPoolEndpoint is number 5; expected a string'])
  })

  it('an identity pool id must be the whole value "<region>:<id>": no upper case region, nothing after it', () => {
    const problem = (value: string) => `amplify.auth.identityPoolId is ${JSON.stringify(value)}; expected the form "<region>:<id>", e.g. "eu-west-1:0c2b…"`
    for (const value of ['EU-WEST-1:0c2b-4d5e', 'x eu-west-1:0c2b-4d5e', 'eu-west-1:0c2b-4d5e\n', 'eu-west-1:0c2b-4d5e/guest']) {
      expect(problemsAfter((o) => {
        o.auth.identityPoolId = value
      }), value).toEqual([problem(value)])
    }
  })

  it('an API endpoint that is missing or not a string is one problem', () => {
    expect(problemsAfter((o) => {
      delete o.rest.items.endpoint
    })).toEqual(['amplify.rest.items.endpoint is missing; expected the absolute http(s) URL of the API'])
    expect(problemsAfter((o) => {
      o.rest.items.endpoint = 42
    })).toEqual(['amplify.rest.items.endpoint is number 42; expected the absolute http(s) URL of the API'])
  })

  it('an API region with anything after it (a trailing newline or space) is refused', () => {
    for (const region of ['eu-west-1\n', 'eu-west-1 ', 'eu-west-1/prod']) {
      expect(problemsAfter((o) => {
        o.rest.items.region = region
      }), region).toEqual([`amplify.rest.items.region is ${JSON.stringify(region)}; expected an AWS region such as "eu-west-1"`])
    }
  })

  it('an empty API key names the variable the server reads: the private one for serverOnly APIs and session "server"', () => {
    const empty = (variable: string) => `amplify.rest.items.apiKey is empty; expected the API key, because authMode is "apiKey" (or ${variable})`
    expect(problemsAfter((o) => {
      o.rest.items.authMode = 'apiKey'
    })).toEqual([empty('NUXT_PUBLIC_AMPLIFY_REST_ITEMS_API_KEY')])
    expect(problemsAfter((o) => {
      o.rest.items.authMode = 'apiKey'
      o.rest.items.serverOnly = true
    })).toEqual([empty('NUXT_AMPLIFY_REST_ITEMS_API_KEY')])
    expect(problemsAfter((o) => {
      o.rest.items.authMode = 'apiKey'
      o.session = 'server'
    })).toEqual([empty('NUXT_AMPLIFY_REST_ITEMS_API_KEY')])
  })

  it('a userPool API or session "server" with only half of the user pool names both problems', () => {
    expect(problemsAfter((o) => {
      o.auth.userPoolClientId = ''
      o.rest.items.authMode = 'userPool'
    })).toEqual([
      'amplify.auth.userPoolClientId is empty; expected the app client id (userPoolId is set)',
      'amplify.rest.items.authMode is "userPool" but amplify.auth has no userPoolId/userPoolClientId; expected them in amplify.auth or in the outputs file\'s auth section',
    ])
    expect(problemsAfter((o) => {
      o.auth.userPoolClientId = ''
      o.session = 'server'
    })).toEqual([
      'amplify.auth.userPoolClientId is empty; expected the app client id (userPoolId is set)',
      'amplify.session is "server" but amplify.auth has no userPoolId/userPoolClientId; expected the user pool the server signs users in with',
    ])
  })

  it('serverOnlyApis (written by the module) must be a list of names; defaultApi is checked against the configured APIs only', () => {
    const listProblem = (described: string) => `amplify.serverOnlyApis is ${described}; expected the names of the serverOnly APIs (written by the module, not an option)`
    expect(problemsAfter((o) => {
      o.serverOnlyApis = ['orders', 3]
      o.defaultApi = 'orders'
    })).toEqual([listProblem('an array')])
    expect(problemsAfter((o) => {
      o.serverOnlyApis = 'orders'
      o.defaultApi = 'orders'
    })).toEqual([listProblem('"orders"'), 'amplify.defaultApi is "orders"; expected one of the configured APIs: "items"'])
    expect(problemsAfter((o) => {
      o.serverOnlyApis = ['orders']
      o.defaultApi = 'orders'
    })).toEqual([])
    expect(problemsAfter((o) => {
      o.rest = {}
    })).toEqual(['amplify.defaultApi is "items"; expected the name of an API under amplify.rest (none configured)'])
    expect(problemsAfter((o) => {
      o.rest.orders = { ...o.rest.items }
      o.defaultApi = 'order'
    })).toEqual(['amplify.defaultApi is "order"; expected one of the configured APIs: "items", "orders"'])
  })

  it('cookie and redirect problems say what is expected', () => {
    expect(problemsAfter((o) => {
      o.cookie.domain = 'a.com; secure'
    })).toEqual(['amplify.cookie.domain is "a.com; secure"; expected a domain such as ".example.com", or "" for the host'])
    for (const maxAge of [1.5, 0]) {
      expect(problemsAfter((o) => {
        o.cookie.maxAge = maxAge
      }), String(maxAge)).toEqual([`amplify.cookie.maxAge is number ${maxAge}; expected a whole number of seconds greater than 0`])
    }
    expect(problemsAfter((o) => {
      o.redirect.home = 'dashboard'
    })).toEqual(['amplify.redirect.home is "dashboard"; expected a path of this app starting with "/", e.g. "/login"'])
  })

  it('cookie.secure takes true and false as well as "auto"', () => {
    for (const secure of [true, false]) {
      expect(problemsAfter((o) => {
        o.cookie.secure = secure
      }), String(secure)).toEqual([])
    }
  })

  it('proxyMaxBytes must be a whole number of bytes', () => {
    expect(problemsAfter((o) => {
      o.proxyMaxBytes = 1.5
    })).toEqual(['amplify.proxyMaxBytes is number 1.5; expected a whole number of bytes greater than 0'])
  })

  it('options written before session, proxyMaxBytes, cookie and redirect existed are valid (session "browser")', () => {
    expect(problemsAfter((o) => {
      delete o.session
      delete o.proxyMaxBytes
    })).toEqual([])
    expect(problemsAfter((o) => {
      o.session = 'server'
      delete o.cookie
      delete o.redirect
    })).toEqual([])
  })
})

describe('envSegment names the variable Nitro reads', () => {
  // Nitro's applyEnv reads process.env: each test sets its variables, and they are removed after it.
  const saved = { ...process.env }
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) Reflect.deleteProperty(process.env, key)
  })

  it.each(['items', 'keyApi', 'myRestApi', 'api2Key', 'my-api'])('rest.%s.apiKey ← NUXT_PUBLIC_AMPLIFY_REST_<envSegment>_API_KEY', (name) => {
    const config = { public: { amplify: { rest: { [name]: { apiKey: '' } } } } }
    process.env[`NUXT_PUBLIC_AMPLIFY_REST_${envSegment(name)}_API_KEY`] = 'from-env'
    applyEnv(config, { prefix: 'NUXT_', altPrefix: 'NITRO_', envExpansion: false } as never)
    expect(config.public.amplify.rest[name]!.apiKey).toBe('from-env')
  })
})
