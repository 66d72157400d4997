// mergeOptions + validateOptions: every rule that fails the build, and the good shapes that must not.
import { describe, expect, it } from 'vitest'
import type { AmplifyOutputs, ModuleOptions } from '../../src/runtime/shared/option-types'
import { AmplifyOptionsError, envSegment, validateOptions } from '../../src/runtime/shared/validate-options'
import { headerProblem } from '../../src/runtime/shared/headers'
import { mergeOptions, parseOutputsJson } from '../../src/options'

const EXECUTE_API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod'
const AUTH = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf',
  userPoolClientId: 'client123',
  identityPoolId: 'eu-west-1:0c2b-4d5e',
}
const OUTPUTS: AmplifyOutputs = {
  auth: {
    aws_region: 'eu-west-1',
    user_pool_id: 'eu-west-1_Out',
    user_pool_client_id: 'outClient',
    identity_pool_id: 'eu-west-1:out-pool',
    unauthenticated_identities_enabled: false,
  },
  custom: {
    API: {
      myRestApi: { endpoint: `${EXECUTE_API}/`, region: 'eu-west-1', apiName: 'myRestApi' },
    },
  },
}

/** What the module does: merge problems, and validation of the merged options when the merge had none. */
function problemsOf(input: ModuleOptions, outputs?: AmplifyOutputs): string[] {
  const merged = mergeOptions(input, outputs)
  return merged.problems.length ? merged.problems : validateOptions(merged.options)
}

/** One API under a complete auth section, with `api` merged into it. */
function withApi(api: Record<string, unknown>, extra: Record<string, unknown> = {}): ModuleOptions {
  return { auth: { ...AUTH }, rest: { items: { endpoint: EXECUTE_API, ...api } }, ...extra } as ModuleOptions
}

/** Exactly one problem, naming every fragment (key, value, expectation). */
function expectOnlyProblem(problems: string[], ...fragments: string[]) {
  expect(problems).toHaveLength(1)
  for (const fragment of fragments) expect(problems[0]).toContain(fragment)
}

describe('validation rules', () => {
  describe('authMode', () => {
    it('refuses an unknown authMode, naming key, value and the allowed modes', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'oauth' })),
        'amplify.rest.items.authMode', '"oauth"', 'one of "iam", "apiKey", "userPool", "custom", "none"')
    })

    it.each([
      ['iam', {}],
      ['apiKey', { apiKey: 'k-123' }],
      ['userPool', {}],
      ['custom', {}],
      ['none', {}],
    ])('accepts authMode %s with the settings it needs', (authMode, extra) => {
      expect(problemsOf(withApi({ authMode, ...extra }))).toEqual([])
    })
  })

  describe('apiKey', () => {
    it('refuses apiKey mode without a key, naming the env variable that could set it', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'apiKey' })),
        'amplify.rest.items.apiKey', 'is empty', 'the API key', 'NUXT_PUBLIC_AMPLIFY_REST_ITEMS_API_KEY')
    })

    it('refuses a non-string apiKey without repeating it (the message is logged and shown in a 500)', () => {
      const problems = problemsOf(withApi({ authMode: 'apiKey', apiKey: 424242 }))
      expect(problems).toEqual(['amplify.rest.items.apiKey is a number; expected a string'])
    })

    it('a serverOnly API without key points at the private variable NUXT_AMPLIFY_REST_*', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'apiKey', serverOnly: true })), 'amplify.rest.items.apiKey is empty', 'NUXT_AMPLIFY_REST_ITEMS_API_KEY')
    })

    it('refuses a serverOnly that is not a boolean', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none', serverOnly: 'yes' })), 'amplify.rest.items.serverOnly is "yes"', 'true or false')
    })

    it('accepts apiKey mode with a key', () => {
      expect(problemsOf(withApi({ authMode: 'apiKey', apiKey: 'k-123' }))).toEqual([])
    })
  })

  describe('endpoint', () => {
    it('refuses a missing endpoint', () => {
      expectOnlyProblem(problemsOf({ auth: AUTH, rest: { items: { authMode: 'none' } } }),
        'amplify.rest.items.endpoint', 'is empty', 'absolute http(s) URL')
    })

    it.each([
      ['relative', '/prod'],
      ['host without scheme', 'api.example.com/prod'],
      ['ftp', 'ftp://files.example.com/prod'],
      ['javascript', 'javascript:alert(1)'],
    ])('refuses a %s endpoint', (_, endpoint) => {
      expectOnlyProblem(problemsOf(withApi({ endpoint, authMode: 'none' })),
        'amplify.rest.items.endpoint', JSON.stringify(endpoint), 'an absolute http(s) URL')
    })

    it.each([
      ['a query', `${EXECUTE_API}?stage=1`],
      ['a fragment', `${EXECUTE_API}#top`],
    ])('refuses an endpoint with %s', (_, endpoint) => {
      expectOnlyProblem(problemsOf(withApi({ endpoint, authMode: 'none' })),
        'amplify.rest.items.endpoint', JSON.stringify(endpoint), 'without query or fragment')
    })

    it.each([
      ['https execute-api', EXECUTE_API],
      ['http loopback with port', 'http://127.0.0.1:4010/items'],
      ['origin only', 'https://api.example.com'],
    ])('accepts a %s endpoint', (_, endpoint) => {
      expect(problemsOf(withApi({ endpoint, authMode: 'none' }))).toEqual([])
    })
  })

  describe('region of an API', () => {
    it('refuses a region that is not an AWS region name', () => {
      expectOnlyProblem(problemsOf(withApi({ region: 'EU West 1', authMode: 'none' })),
        'amplify.rest.items.region', '"EU West 1"', 'an AWS region such as "eu-west-1"')
    })
  })

  describe('token', () => {
    it('refuses a token other than id/access', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'userPool', token: 'refresh' })),
        'amplify.rest.items.token', '"refresh"', 'one of "id", "access"')
    })

    it.each(['id', 'access'])('accepts token %s', (token) => {
      expect(problemsOf(withApi({ authMode: 'userPool', token }))).toEqual([])
    })
  })

  describe('scheme', () => {
    it.each(['Basic', 'bearer', 'Bearer '])('refuses scheme %j', (scheme) => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'userPool', scheme })),
        'amplify.rest.items.scheme', JSON.stringify(scheme), '"" (raw token) or "Bearer"')
    })

    it.each(['', 'Bearer'])('accepts scheme %j', (scheme) => {
      expect(problemsOf(withApi({ authMode: 'custom', scheme }))).toEqual([])
    })
  })

  describe('static headers', () => {
    it.each([
      ['CR', 'secret-value\rX-Evil: 1'],
      ['LF', 'secret-value\nX-Evil: 1'],
      ['CRLF', 'secret-value\r\nX-Evil: 1'],
      ['NUL', 'secret-value\0'],
    ])('refuses a value with %s, without repeating the value', (_, value) => {
      const problems = problemsOf(withApi({ authMode: 'none', headers: { 'X-Trace': value } }))
      expectOnlyProblem(problems, 'amplify.rest.items.headers["X-Trace"]', 'CR, LF or NUL', 'expected a single-line value')
      expect(problems[0]).not.toContain('secret-value')
    })

    it('refuses an invalid header name', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none', headers: { 'X Trace': 'v' } })),
        'amplify.rest.items.headers["X Trace"]', 'invalid name')
    })

    it('refuses a non-string header value', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none', headers: { 'X-Count': 3 } })),
        'amplify.rest.items.headers["X-Count"]', 'number value', 'expected a string')
    })

    it('refuses headers that are not an object', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none', headers: ['X-Trace: 1'] })),
        'amplify.rest.items.headers', 'an array', 'an object of header names to string values')
    })

    it.each(['Host', 'Cookie', 'Transfer-Encoding', 'Content-Length', 'Connection', 'Proxy-Authorization'])('refuses the forbidden request header %s, naming it', (name) => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none', headers: { [name]: 'v' } })),
        `amplify.rest.items.headers["${name}"]`, 'forbidden request header')
    })

    it('accepts single-line values, tabs included', () => {
      expect(problemsOf(withApi({ authMode: 'none', headers: { 'X-Trace': 'a\tb', 'Accept': 'application/json' } }))).toEqual([])
    })
  })

  describe('API names', () => {
    it.each(['my-api', 'my_api', '1api', 'my api'])('refuses the API name %j', (name) => {
      const problems = problemsOf({ auth: AUTH, rest: { [name]: { endpoint: EXECUTE_API, authMode: 'none' } } })
      expectOnlyProblem(problems, `the API name "${name}"`, 'letters and digits starting with a letter', 'NUXT_PUBLIC_AMPLIFY_REST_')
    })

    it.each(['items', 'myRestApi', 'api2'])('accepts the API name %j', (name) => {
      expect(problemsOf({ auth: AUTH, rest: { [name]: { endpoint: EXECUTE_API, authMode: 'none' } } })).toEqual([])
    })

    it('refuses an API entry that is not an object', () => {
      expectOnlyProblem(problemsOf({ auth: AUTH, rest: { items: 'https://x.example' } } as never),
        'amplify.rest.items', '"https://x.example"', 'expected an object like { endpoint, authMode }')
    })

    it('refuses rest that is not an object', () => {
      expectOnlyProblem(problemsOf({ auth: AUTH, rest: [] } as never), 'amplify.rest', 'an array', 'an object of APIs by name')
    })
  })

  describe('defaultApi', () => {
    it('refuses a defaultApi naming no configured API, listing the known ones', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none' }, { defaultApi: 'orders' })),
        'amplify.defaultApi', '"orders"', 'one of the configured APIs: "items"')
    })

    it('refuses a defaultApi when no API is configured at all', () => {
      expectOnlyProblem(problemsOf({ auth: AUTH, defaultApi: 'orders' }),
        'amplify.defaultApi', '"orders"', 'none configured')
    })

    it('accepts a defaultApi naming a configured API', () => {
      const input: ModuleOptions = {
        auth: AUTH,
        rest: { items: { endpoint: EXECUTE_API, authMode: 'none' }, orders: { endpoint: EXECUTE_API, authMode: 'none' } },
        defaultApi: 'orders',
      }
      expect(problemsOf(input)).toEqual([])
    })
  })

  describe('outputs custom.API entries', () => {
    it('refuses an entry without endpoint, naming both ways to give one', () => {
      const problems = problemsOf({}, { auth: OUTPUTS.auth, custom: { API: { orders: { region: 'eu-west-1' } } } })
      expectOnlyProblem(problems, 'outputs custom.API.orders has no endpoint', 'expected { endpoint:', 'amplify.rest.orders.endpoint')
    })

    it('accepts an entry without endpoint when rest gives the endpoint', () => {
      const outputs = { auth: OUTPUTS.auth, custom: { API: { orders: { region: 'eu-west-1' } } } }
      expect(problemsOf({ rest: { orders: { endpoint: EXECUTE_API } } }, outputs)).toEqual([])
    })
  })

  describe('auth settings an API mode needs', () => {
    it('refuses userPool mode without user pool settings (outputs without auth)', () => {
      const problems = problemsOf({ rest: { items: { authMode: 'userPool' } } }, { custom: { API: { items: { endpoint: EXECUTE_API } } } })
      expectOnlyProblem(problems, 'amplify.rest.items.authMode is "userPool"', 'no userPoolId/userPoolClientId', 'expected them in amplify.auth')
    })

    it('refuses iam mode without identityPoolId, mentioning guest credentials when guests are allowed', () => {
      const problems = problemsOf({ rest: { items: { authMode: 'iam' } } }, { custom: { API: { items: { endpoint: EXECUTE_API } } } })
      expectOnlyProblem(problems, 'amplify.rest.items.authMode is "iam"', 'amplify.auth.identityPoolId is missing', 'guest and signed-in credentials')
    })

    it('refuses iam mode without identityPoolId, mentioning only signed-in credentials when guests are not allowed', () => {
      const problems = problemsOf({ auth: { allowGuestAccess: false }, rest: { items: { endpoint: EXECUTE_API } } })
      expectOnlyProblem(problems, 'amplify.auth.identityPoolId is missing', 'hands out signed-in credentials')
      expect(problems[0]).not.toContain('guest')
    })

    it('refuses an identityPoolId not of the form region:id', () => {
      expectOnlyProblem(problemsOf(withApi({}, { auth: { ...AUTH, identityPoolId: 'pool-without-region' } })),
        'amplify.auth.identityPoolId', '"pool-without-region"', 'the form "<region>:<id>"')
    })

    it('refuses a userPoolId without client id and the reverse', () => {
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none' }, { auth: { ...AUTH, userPoolClientId: '' } })),
        'amplify.auth.userPoolClientId', 'is empty', 'the app client id')
      expectOnlyProblem(problemsOf(withApi({ authMode: 'none' }, { auth: { ...AUTH, userPoolId: '' } })),
        'amplify.auth.userPoolId', 'is empty', 'the user pool id')
    })

    it('refuses Cognito ids without any region', () => {
      const problems = problemsOf({ auth: { userPoolId: 'p', userPoolClientId: 'c' }, rest: { items: { endpoint: EXECUTE_API, authMode: 'userPool' } } })
      expectOnlyProblem(problems, 'amplify.auth.region', 'is empty', 'the Cognito region')
    })
  })

  describe('other auth options', () => {
    it('refuses an unknown authFlowType', () => {
      expectOnlyProblem(problemsOf(withApi({}, { auth: { ...AUTH, authFlowType: 'CUSTOM_AUTH' } })),
        'amplify.auth.authFlowType', '"CUSTOM_AUTH"', 'one of "USER_SRP_AUTH", "USER_PASSWORD_AUTH"')
    })

    it.each(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'])('accepts authFlowType %s', (authFlowType) => {
      expect(problemsOf(withApi({}, { auth: { ...AUTH, authFlowType } }))).toEqual([])
    })

    it.each([
      ['userPoolEndpoint', 'localhost:9229'],
      ['userPoolEndpoint', 'not a url'],
      ['identityPoolEndpoint', 'ftp://127.0.0.1:9230'],
    ])('refuses %s %j', (key, value) => {
      expectOnlyProblem(problemsOf(withApi({}, { auth: { ...AUTH, [key]: value } })),
        `amplify.auth.${key}`, JSON.stringify(value), 'an absolute http(s) URL')
    })

    it('accepts http(s) Cognito endpoints of an emulator', () => {
      const auth = { ...AUTH, userPoolEndpoint: 'http://127.0.0.1:9229', identityPoolEndpoint: 'https://id.example.com' }
      expect(problemsOf(withApi({}, { auth }))).toEqual([])
    })

    it('refuses a non-boolean allowGuestAccess and ssr', () => {
      expect(problemsOf(withApi({}, { auth: { ...AUTH, allowGuestAccess: 'yes' } }))).toEqual([
        expect.stringMatching(/^amplify\.auth\.allowGuestAccess is "yes"; expected true or false$/),
      ])
      expect(problemsOf(withApi({}, { ssr: 'no' }))).toEqual([
        expect.stringMatching(/^amplify\.ssr is "no"; expected true or false$/),
      ])
    })

    it('refuses auth that is not an object', () => {
      expectOnlyProblem(mergeOptions({ auth: 'eu-west-1' } as never).problems, 'amplify.auth', '"eu-west-1"', 'expected an object')
    })

    it('refuses options that are not an object', () => {
      expectOnlyProblem(mergeOptions('x' as never).problems, 'amplify is "x"', 'expected an object')
    })
  })

  describe('unknown options are warnings naming the closest known option', () => {
    it('at the top level', () => {
      const merged = mergeOptions({ ...withApi({}), defualtApi: 'items' } as never)
      expect(merged.problems).toEqual([])
      expect(merged.warnings).toEqual([
        'amplify.defualtApi is not an option of nuxt-amplify-rest and is ignored; did you mean "defaultApi"?',
      ])
    })

    it('in auth and in an API', () => {
      const merged = mergeOptions({ auth: { ...AUTH, userPoolID: 'x' }, rest: { items: { endpoint: EXECUTE_API, authmode: 'none' } } } as never)
      expect(merged.warnings).toContainEqual(expect.stringMatching(/^amplify\.auth\.userPoolID is not an option.*did you mean "userPoolId"\?$/))
      expect(merged.warnings).toContainEqual(expect.stringMatching(/^amplify\.rest\.items\.authmode is not an option.*did you mean "authMode"\?$/))
    })

    it('lists the known options when nothing is close', () => {
      const merged = mergeOptions({ bananas: true } as never)
      expect(merged.warnings).toEqual([expect.stringContaining('known options: outputs, auth, rest, defaultApi, ssr')])
    })

    it('a good config has no warnings', () => {
      expect(mergeOptions(withApi({})).warnings).toEqual([])
    })
  })
})

describe('mergeOptions: good configurations', () => {
  it('outputs alone: custom.API entries become iam REST APIs, auth and region come from outputs', () => {
    const merged = mergeOptions({}, OUTPUTS)
    expect(merged.problems).toEqual([])
    expect(merged.warnings).toEqual([])
    expect(merged.options).toEqual({
      auth: {
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_Out',
        userPoolClientId: 'outClient',
        identityPoolId: 'eu-west-1:out-pool',
        allowGuestAccess: false,
        userPoolEndpoint: '',
        identityPoolEndpoint: '',
        userPoolIssuer: '',
        authFlowType: 'USER_SRP_AUTH',
      },
      rest: {
        myRestApi: { endpoint: EXECUTE_API, region: 'eu-west-1', authMode: 'iam', token: 'id', apiKey: '', scheme: '', headers: {} },
      },
      defaultApi: 'myRestApi',
      ssr: true,
      cookie: { domain: '', maxAge: 2592000, sameSite: 'lax', secure: 'auto' },
      redirect: { login: '/login', home: '/' },
      cacheControl: true,
      session: 'browser',
      proxyMaxBytes: 1048576,
    })
    expect(validateOptions(merged.options)).toEqual([])
  })

  it('takes the region of an outputs entry from the entry', () => {
    const outputs = { auth: OUTPUTS.auth, custom: { API: { other: { endpoint: 'https://api.example.com/v1', region: 'ap-south-1' } } } }
    expect(mergeOptions({}, outputs).options.rest.other!.region).toBe('ap-south-1')
  })

  it('merges rest over outputs by name: rest settings win, the rest comes from outputs', () => {
    const merged = mergeOptions({ rest: { myRestApi: { authMode: 'userPool', token: 'access' } } }, OUTPUTS)
    expect(merged.problems).toEqual([])
    expect(merged.options.rest.myRestApi).toEqual({
      endpoint: EXECUTE_API, region: 'eu-west-1', authMode: 'userPool', token: 'access', apiKey: '', scheme: '', headers: {},
    })
    expect(validateOptions(merged.options)).toEqual([])
  })

  it('adds rest APIs beside the outputs ones; auth options override the outputs auth key by key', () => {
    const merged = mergeOptions({
      auth: { userPoolClientId: 'mine', authFlowType: 'USER_PASSWORD_AUTH', userPoolEndpoint: 'http://127.0.0.1:9229' },
      rest: { extra: { endpoint: 'https://extra.example.com', authMode: 'none' } },
      defaultApi: 'extra',
    }, OUTPUTS)
    expect(Object.keys(merged.options.rest).sort()).toEqual(['extra', 'myRestApi'])
    expect(merged.options.auth).toMatchObject({
      userPoolId: 'eu-west-1_Out', userPoolClientId: 'mine', authFlowType: 'USER_PASSWORD_AUTH', userPoolEndpoint: 'http://127.0.0.1:9229',
    })
    expect(merged.options.defaultApi).toBe('extra')
    expect(validateOptions(merged.options)).toEqual([])
  })

  it('infers the signing region of an execute-api endpoint', () => {
    const merged = mergeOptions({ rest: { items: { endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod', authMode: 'none' } } })
    expect(merged.options.rest.items!.region).toBe('eu-west-1')
  })

  it('signs for us-east-1 when a non-execute-api endpoint names no region', () => {
    const merged = mergeOptions({ rest: { items: { endpoint: 'https://api.example.com/v1', authMode: 'none' } } })
    expect(merged.options.rest.items!.region).toBe('us-east-1')
  })

  it('uses the region given for a non-execute-api endpoint', () => {
    const merged = mergeOptions({ rest: { items: { endpoint: 'https://api.example.com/v1', region: 'eu-central-1', authMode: 'none' } } })
    expect(merged.options.rest.items!.region).toBe('eu-central-1')
  })

  it('defaults defaultApi to the only API, and leaves it empty (valid) with several', () => {
    expect(mergeOptions(withApi({})).options.defaultApi).toBe('items')
    const two = mergeOptions({ auth: AUTH, rest: { a: { endpoint: EXECUTE_API }, b: { endpoint: EXECUTE_API } } })
    expect(two.options.defaultApi).toBe('')
    expect(validateOptions(two.options)).toEqual([])
  })

  it.each([
    ['one slash', `${EXECUTE_API}/`],
    ['several slashes', `${EXECUTE_API}///`],
  ])('removes the trailing %s of an endpoint', (_, endpoint) => {
    expect(mergeOptions(withApi({ endpoint })).options.rest.items!.endpoint).toBe(EXECUTE_API)
  })

  it('treats env-style empty strings as unset', () => {
    const merged = mergeOptions({
      auth: { region: '', userPoolId: '', userPoolClientId: '', identityPoolId: '', userPoolEndpoint: '', authFlowType: '' as never },
      rest: { myRestApi: { endpoint: '', region: '', authMode: '' as never, token: '' as never, scheme: '', apiKey: '' } },
      defaultApi: '',
    }, OUTPUTS)
    expect(merged.problems).toEqual([])
    expect(merged.options.auth).toMatchObject({
      region: 'eu-west-1', userPoolId: 'eu-west-1_Out', userPoolClientId: 'outClient', identityPoolId: 'eu-west-1:out-pool', authFlowType: 'USER_SRP_AUTH',
    })
    expect(merged.options.rest.myRestApi).toEqual({
      endpoint: EXECUTE_API, region: 'eu-west-1', authMode: 'iam', token: 'id', apiKey: '', scheme: '', headers: {},
    })
    expect(merged.options.defaultApi).toBe('myRestApi')
    expect(validateOptions(merged.options)).toEqual([])
  })

  it('takes the Cognito region from the identity pool id when nothing else names it', () => {
    const merged = mergeOptions({ auth: { identityPoolId: 'ap-south-1:abc-123' }, rest: { items: { endpoint: EXECUTE_API } } })
    expect(merged.options.auth.region).toBe('ap-south-1')
    expect(validateOptions(merged.options)).toEqual([])
  })

  it('fills every key with a default, so env variables can override each one', () => {
    const merged = mergeOptions({})
    expect(merged.options).toEqual({
      auth: {
        region: '', userPoolId: '', userPoolClientId: '', identityPoolId: '', allowGuestAccess: true,
        userPoolEndpoint: '', identityPoolEndpoint: '', userPoolIssuer: '', authFlowType: 'USER_SRP_AUTH',
      },
      rest: {},
      defaultApi: '',
      ssr: true,
      cookie: { domain: '', maxAge: 2592000, sameSite: 'lax', secure: 'auto' },
      redirect: { login: '/login', home: '/' },
      cacheControl: true,
      session: 'browser',
      proxyMaxBytes: 1048576,
    })
    expect(merged.problems).toEqual([])
    expect(validateOptions(merged.options)).toEqual([])
  })

  it('keeps static headers and the other per-API settings as given', () => {
    const merged = mergeOptions(withApi({ authMode: 'custom', scheme: 'Bearer', headers: { 'X-Trace': 'on' } }))
    expect(merged.options.rest.items).toMatchObject({ authMode: 'custom', scheme: 'Bearer', headers: { 'X-Trace': 'on' } })
  })
})

describe('mergeOptions: outputs entries named like Object.prototype members', () => {
  // custom.API entries are keyed by API name; `constructor` and `toString` are valid camelCase names.
  it.each(['constructor', 'toString'])('turns the outputs entry %j into a REST API like any other', (name) => {
    const outputs = { auth: OUTPUTS.auth, custom: { API: { [name]: { endpoint: EXECUTE_API } } } }
    const merged = mergeOptions({}, outputs)
    expect(merged.problems).toEqual([])
    expect(Object.keys(merged.options.rest)).toEqual([name])
    expect(merged.options.rest[name]!.endpoint).toBe(EXECUTE_API)
  })
})

describe('parseOutputsJson', () => {
  it('returns the parsed object', () => {
    expect(parseOutputsJson(JSON.stringify(OUTPUTS), './amplify_outputs.json')).toEqual({ outputs: OUTPUTS })
  })

  it('names the file and what is expected when the text is not JSON', () => {
    const { outputs, problem } = parseOutputsJson('{ "auth": ', './amplify_outputs.json')
    expect(outputs).toBeUndefined()
    expect(problem).toContain('amplify.outputs "./amplify_outputs.json" is not valid JSON')
    expect(problem).toContain('expected the amplify_outputs.json')
  })

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['number 3', '3'],
    ['"text"', '"text"'],
  ])('refuses JSON holding %s', (described, text) => {
    expect(parseOutputsJson(text, 'out.json')).toEqual({ problem: `amplify.outputs "out.json" holds ${described}; expected a JSON object` })
  })
})

describe('envSegment', () => {
  it.each([
    ['keyApi', 'KEY_API'],
    ['apiKey', 'API_KEY'],
    ['items', 'ITEMS'],
    ['myRestApi', 'MY_REST_API'],
    ['api2Key', 'API2_KEY'],
    ['userPoolId', 'USER_POOL_ID'],
  ])('%s → %s', (key, segment) => {
    expect(envSegment(key)).toBe(segment)
  })
})

describe('headerProblem', () => {
  it('accepts a token name with a single-line string value', () => {
    expect(headerProblem('X-Api-Key', 'abc def\t1')).toBeUndefined()
    expect(headerProblem('!#$%&\'*+-.^_`|~', 'v')).toBeUndefined()
  })

  it.each(['', 'X Trace', 'x:y', 'é', 'a\nb', 'a"b'])('refuses the name %j', (name) => {
    expect(headerProblem(name, 'v')).toMatch(/invalid name/)
  })

  it.each([
    [1, 'a number value'],
    [null, 'a null value'],
    [{}, 'a object value'],
    [true, 'a boolean value'],
  ])('refuses the value %j', (value, text) => {
    expect(headerProblem('X', value)).toContain(text)
  })

  it.each(['a\rb', 'a\nb', 'a\0b'])('refuses the value %j', (value) => {
    expect(headerProblem('X', value)).toBe('has a value with CR, LF or NUL; expected a single-line value')
  })
})

describe('AmplifyOptionsError', () => {
  it('has an explicit name, keeps the problems and lists them in the message', () => {
    const error = new AmplifyOptionsError(['amplify.a is 1; expected 2', 'amplify.b is 3; expected 4'])
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('AmplifyOptionsError')
    expect(error.problems).toEqual(['amplify.a is 1; expected 2', 'amplify.b is 3; expected 4'])
    expect(error.message).toBe('[nuxt-amplify-rest] invalid `amplify` options:\n  - amplify.a is 1; expected 2\n  - amplify.b is 3; expected 4')
  })
})

describe('cookie and redirect options', () => {
  const base = { auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_a', userPoolClientId: 'c' }, rest: { items: { endpoint: 'https://api.example.com/prod', authMode: 'userPool' as const } } }

  it('accepts a domain, a max age and a sameSite value', () => {
    const merged = mergeOptions({ ...base, cookie: { domain: '.example.com', maxAge: 3600, sameSite: 'strict' }, redirect: { login: '/sign-in', home: '/dashboard' } })
    expect(validateOptions(merged.options)).toEqual([])
    expect(merged.options.cookie).toEqual({ domain: '.example.com', maxAge: 3600, sameSite: 'strict', secure: 'auto' })
    expect(merged.options.redirect).toEqual({ login: '/sign-in', home: '/dashboard' })
  })

  it.each([
    [{ cookie: { sameSite: 'lenient' } }, 'amplify.cookie.sameSite is "lenient"'],
    [{ cookie: { secure: 'yes' } }, 'amplify.cookie.secure is "yes"; expected "auto", true or false'],
    [{ cacheControl: 'off' }, 'amplify.cacheControl is "off"; expected true or false'],
    [{ cookie: { maxAge: -5 } }, 'amplify.cookie.maxAge is number -5'],
    [{ cookie: { domain: 'a.com; secure' } }, 'amplify.cookie.domain'],
    [{ redirect: { login: 'login' } }, 'amplify.redirect.login is "login"'],
    [{ redirect: { home: '//evil.example' } }, 'amplify.redirect.home is "//evil.example"'],
  ])('refuses %j', (extra, expected) => {
    const problems = validateOptions(mergeOptions({ ...base, ...extra } as never).options)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(expected)
  })
})
