// The check of resolved options, run at build on the merged options, and on the server when it
// starts and renders, because `NUXT_PUBLIC_AMPLIFY_*` variables may have changed them. Pure.
import { headerProblem } from './headers'
import { AUTH_FLOW_TYPES, AUTH_MODES, SAME_SITE, SCHEMES, SESSION_MODES, TOKEN_KINDS } from './option-types'
import type { ResolvedOptions } from './option-types'
import { describe, describeSecret, isHttpUrl, isRecord, oneOf } from './option-text'

/** Thrown (at build or dev start, and at app start for env overrides) with every problem found. */
export class AmplifyOptionsError extends Error {
  override name = 'AmplifyOptionsError'
  readonly problems: string[]
  constructor(problems: string[]) {
    super(`[nuxt-amplify-rest] invalid \`amplify\` options:\n${problems.map(p => `  - ${p}`).join('\n')}`)
    this.problems = problems
  }
}

/**
 * Checks resolved options: run at build on the merged options and again when the app starts,
 * because `NUXT_PUBLIC_AMPLIFY_*` variables may have changed them.
 */
export function validateOptions(options: ResolvedOptions): string[] {
  const problems: string[] = []
  // Env variables can replace whole objects (NUXT_PUBLIC_AMPLIFY_REST='{"items":null}'): check shapes first.
  if (!isRecord(options)) return [`amplify is ${describe(options)}; expected an object`]
  for (const key of ['auth', 'rest'] as const) {
    if (!isRecord(options[key])) problems.push(`amplify.${key} is ${describe(options[key])}; expected an object`)
  }
  if (problems.length) return problems
  for (const [name, api] of Object.entries(options.rest)) {
    if (!isRecord(api)) problems.push(`amplify.rest.${name} is ${describe(api)}; expected an object like { endpoint, authMode }`)
  }
  if (problems.length) return problems
  const { auth, rest } = options
  const names = Object.keys(rest)
  const check = (ok: boolean, key: string, value: unknown, expected: string) => {
    if (!ok) problems.push(`${key} is ${describe(value)}; expected ${expected}`)
  }

  for (const key of ['region', 'userPoolId', 'userPoolClientId', 'identityPoolId', 'userPoolEndpoint', 'identityPoolEndpoint', 'userPoolIssuer'] as const)
    check(typeof auth[key] === 'string', `amplify.auth.${key}`, auth[key], 'a string')
  check(typeof auth.allowGuestAccess === 'boolean', 'amplify.auth.allowGuestAccess', auth.allowGuestAccess, 'true or false')
  check((AUTH_FLOW_TYPES as readonly unknown[]).includes(auth.authFlowType), 'amplify.auth.authFlowType', auth.authFlowType, oneOf(AUTH_FLOW_TYPES))
  for (const key of ['userPoolEndpoint', 'identityPoolEndpoint', 'userPoolIssuer'] as const) {
    if (typeof auth[key] === 'string' && auth[key])
      check(isHttpUrl(auth[key]), `amplify.auth.${key}`, auth[key], 'an absolute http(s) URL')
  }
  if (typeof auth.identityPoolId === 'string' && auth.identityPoolId)
    check(/^[a-z0-9-]+:[\w-]+$/.test(auth.identityPoolId), 'amplify.auth.identityPoolId', auth.identityPoolId, 'the form "<region>:<id>", e.g. "eu-west-1:0c2b…"')
  if (auth.userPoolId || auth.userPoolClientId) {
    check(!!auth.userPoolId, 'amplify.auth.userPoolId', auth.userPoolId, 'the user pool id (userPoolClientId is set)')
    check(!!auth.userPoolClientId, 'amplify.auth.userPoolClientId', auth.userPoolClientId, 'the app client id (userPoolId is set)')
  }
  if (auth.userPoolId || auth.identityPoolId)
    check(!!auth.region, 'amplify.auth.region', auth.region, 'the Cognito region, e.g. "eu-west-1"')

  for (const name of names) {
    const api = rest[name]!
    const at = `amplify.rest.${name}`
    check(/^[A-Z][A-Z0-9]*$/i.test(name), `the API name "${name}"`, name, 'letters and digits starting with a letter (camelCase), so NUXT_PUBLIC_AMPLIFY_REST_* variables can address it')
    check(typeof api.endpoint === 'string' && api.endpoint !== '', `${at}.endpoint`, api.endpoint, 'the absolute http(s) URL of the API')
    if (typeof api.endpoint === 'string' && api.endpoint !== '')
      check(isHttpUrl(api.endpoint) && !/[?#]/.test(api.endpoint), `${at}.endpoint`, api.endpoint, 'an absolute http(s) URL without query or fragment, e.g. "https://abc.execute-api.eu-west-1.amazonaws.com/prod"')
    check(typeof api.region === 'string' && /^[a-z0-9-]+$/.test(api.region), `${at}.region`, api.region, 'an AWS region such as "eu-west-1"')
    const modeOk = (AUTH_MODES as readonly unknown[]).includes(api.authMode)
    check(modeOk, `${at}.authMode`, api.authMode, oneOf(AUTH_MODES))
    check((TOKEN_KINDS as readonly unknown[]).includes(api.token), `${at}.token`, api.token, oneOf(TOKEN_KINDS))
    check((SCHEMES as readonly unknown[]).includes(api.scheme), `${at}.scheme`, api.scheme, `"" (raw token) or "Bearer"`)
    // An API key's value is never repeated: these messages are logged and shown in a server's 500 page.
    if (typeof api.apiKey !== 'string') problems.push(`${at}.apiKey is ${describeSecret(api.apiKey)}; expected a string`)
    if (api.serverOnly !== undefined) check(typeof api.serverOnly === 'boolean', `${at}.serverOnly`, api.serverOnly, 'true or false')
    if (!isRecord(api.headers)) {
      check(false, `${at}.headers`, api.headers, 'an object of header names to string values')
    }
    else {
      for (const [header, value] of Object.entries(api.headers)) {
        const problem = headerProblem(header, value)
        if (problem) problems.push(`${at}.headers["${header}"] ${problem}`)
      }
    }
    if (api.authMode === 'apiKey' && api.apiKey === '')
      problems.push(`${at}.apiKey is empty; expected the API key, because authMode is "apiKey" (or ${api.serverOnly === true || options.session === 'server' ? 'NUXT_AMPLIFY_REST_' : 'NUXT_PUBLIC_AMPLIFY_REST_'}${envSegment(name)}_API_KEY)`)
    if (api.authMode === 'userPool' && !(auth.userPoolId && auth.userPoolClientId))
      problems.push(`${at}.authMode is "userPool" but amplify.auth has no userPoolId/userPoolClientId; expected them in amplify.auth or in the outputs file's auth section`)
    if (api.authMode === 'iam' && !auth.identityPoolId)
      problems.push(`${at}.authMode is "iam" but amplify.auth.identityPoolId is missing; expected the identity pool that hands out ${auth.allowGuestAccess ? 'guest and signed-in' : 'signed-in'} credentials (amplify.auth or the outputs file's auth section)`)
  }
  const serverOnlyApis = options.serverOnlyApis ?? []
  if (!Array.isArray(serverOnlyApis) || serverOnlyApis.some(n => typeof n !== 'string')) problems.push(`amplify.serverOnlyApis is ${describe(serverOnlyApis)}; expected the names of the serverOnly APIs (written by the module, not an option)`)
  const known = [...new Set([...names, ...(Array.isArray(serverOnlyApis) ? serverOnlyApis : [])])]
  if (options.defaultApi !== '')
    check(known.includes(options.defaultApi), 'amplify.defaultApi', options.defaultApi, known.length ? `one of the configured APIs: ${known.map(n => `"${n}"`).join(', ')}` : 'the name of an API under amplify.rest (none configured)')
  check(typeof options.ssr === 'boolean', 'amplify.ssr', options.ssr, 'true or false')
  check(typeof options.cacheControl === 'boolean', 'amplify.cacheControl', options.cacheControl, 'true or false')
  const { cookie, redirect } = options
  problems.push(...sessionProblems(options))
  if (cookie) {
    check(typeof cookie.domain === 'string' && !/[;\s]/.test(cookie.domain), 'amplify.cookie.domain', cookie.domain, 'a domain such as ".example.com", or "" for the host')
    check(typeof cookie.maxAge === 'number' && Number.isInteger(cookie.maxAge) && cookie.maxAge > 0, 'amplify.cookie.maxAge', cookie.maxAge, 'a whole number of seconds greater than 0')
    check((SAME_SITE as readonly unknown[]).includes(cookie.sameSite), 'amplify.cookie.sameSite', cookie.sameSite, oneOf(SAME_SITE))
    check(cookie.secure === 'auto' || typeof cookie.secure === 'boolean', 'amplify.cookie.secure', cookie.secure, '"auto", true or false')
  }
  if (redirect) {
    for (const key of ['login', 'home'] as const)
      check(typeof redirect[key] === 'string' && /^\/(?![/\\])/.test(redirect[key]), `amplify.redirect.${key}`, redirect[key], 'a path of this app starting with "/", e.g. "/login"')
  }
  return problems
}

/** The `session` and `proxyMaxBytes` options; options written before they existed (undefined) mean 'browser'. */
function sessionProblems(options: ResolvedOptions): string[] {
  const { session, proxyMaxBytes } = options
  if (session === undefined) return []
  const problems: string[] = []
  if (!(SESSION_MODES as readonly unknown[]).includes(session)) problems.push(`amplify.session is ${describe(session)}; expected ${oneOf(SESSION_MODES)}`)
  if (!(typeof proxyMaxBytes === 'number' && Number.isInteger(proxyMaxBytes) && proxyMaxBytes > 0))
    problems.push(`amplify.proxyMaxBytes is ${describe(proxyMaxBytes)}; expected a whole number of bytes greater than 0`)
  if (session !== 'server') return problems
  if (!options.auth.userPoolId || !options.auth.userPoolClientId)
    problems.push('amplify.session is "server" but amplify.auth has no userPoolId/userPoolClientId; expected the user pool the server signs users in with')
  if (options.cookie?.sameSite === 'none')
    problems.push('amplify.cookie.sameSite is "none" while amplify.session is "server"; expected "lax" or "strict" (the token cookies are only for this site)')
  if (!options.ssr)
    problems.push('amplify.ssr is false while amplify.session is "server"; expected true (the server reads the session from the token cookies)')
  return problems
}

/** The env variable segment Nitro derives from a config key: `keyApi` → `KEY_API`. */
export function envSegment(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase()
}
