// Build time: the outputs file and the `amplify` options merged into the resolved shape kept at
// `runtimeConfig.public.amplify`, with the problems of the raw input (wrong types, entries without
// endpoint, unknown keys). Runs in the module's setup, never in the app.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { DEFAULT_COOKIE_MAX_AGE, DEFAULT_PROXY_MAX_BYTES, MODULE_OPTION_KEYS } from './runtime/shared/option-types'
import type { AmplifyOutputs, AuthOptions, CookieOptions, CookieSameSite, CookieSecure, ModuleOptions, SessionMode, RedirectOptions, ResolvedAuth, ResolvedOptions, ResolvedRestApi, RestApiOptions } from './runtime/shared/option-types'
import { describe, isRecord } from './runtime/shared/option-text'
import { validateOptions } from './runtime/shared/validate-options'
import { leanOutputs } from './runtime/shared/outputs'

const AUTH_KEYS: (keyof AuthOptions)[] = ['region', 'userPoolId', 'userPoolClientId', 'identityPoolId', 'allowGuestAccess', 'userPoolEndpoint', 'identityPoolEndpoint', 'userPoolIssuer', 'authFlowType']
const REST_KEYS: (keyof RestApiOptions)[] = ['endpoint', 'region', 'authMode', 'token', 'apiKey', 'scheme', 'headers', 'serverOnly', 'openapi']
const DEFAULT_SIGNING_REGION = 'us-east-1'
const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/

export interface MergeResult {
  options: ResolvedOptions
  problems: string[]
  warnings: string[]
}

/**
 * Merges outputs and options into the resolved shape and reports problems of the raw input
 * (wrong types, entries without endpoint, unknown keys). `outputs` is the parsed outputs object:
 * reading the file is the caller's job (see `parseOutputsJson`).
 */
export function mergeOptions(input: ModuleOptions = {}, outputs?: AmplifyOutputs): MergeResult {
  const problems: string[] = []
  const warnings: string[] = []
  if (!isRecord(input)) {
    problems.push(`amplify is ${describe(input)}; expected an object`)
    input = {}
  }
  for (const key of Object.keys(input)) {
    if (!(MODULE_OPTION_KEYS as readonly string[]).includes(key))
      warnings.push(`amplify.${key} is not an option of nuxt-amplify-rest and is ignored${closest(key, MODULE_OPTION_KEYS)}`)
  }
  const outAuth = isRecord(outputs?.auth) ? outputs.auth : {}
  const auth = isRecord(input.auth) ? input.auth : {}
  if (input.auth !== undefined && !isRecord(input.auth))
    problems.push(`amplify.auth is ${describe(input.auth)}; expected an object`)
  for (const key of Object.keys(auth)) {
    if (!(AUTH_KEYS as string[]).includes(key))
      warnings.push(`amplify.auth.${key} is not an option and is ignored${closest(key, AUTH_KEYS)}`)
  }
  const identityPoolId = pick(auth.identityPoolId, outAuth.identity_pool_id, '')
  const resolvedAuth: ResolvedAuth = {
    region: pick(auth.region, outAuth.aws_region, typeof identityPoolId === 'string' && identityPoolId.includes(':') ? identityPoolId.split(':')[0]! : ''),
    userPoolId: pick(auth.userPoolId, outAuth.user_pool_id, ''),
    userPoolClientId: pick(auth.userPoolClientId, outAuth.user_pool_client_id, ''),
    identityPoolId,
    allowGuestAccess: pick(auth.allowGuestAccess, outAuth.unauthenticated_identities_enabled, true),
    userPoolEndpoint: pick(auth.userPoolEndpoint, undefined, ''),
    identityPoolEndpoint: pick(auth.identityPoolEndpoint, undefined, ''),
    userPoolIssuer: pick(auth.userPoolIssuer, undefined, ''),
    authFlowType: pick(auth.authFlowType, undefined, 'USER_SRP_AUTH'),
  }

  const rest: Record<string, ResolvedRestApi> = {}
  const outApis = isRecord(outputs?.custom) && isRecord(outputs.custom.API) ? outputs.custom.API : {}
  const inApis = isRecord(input.rest) ? input.rest : {}
  if (input.rest !== undefined && !isRecord(input.rest))
    problems.push(`amplify.rest is ${describe(input.rest)}; expected an object of APIs by name`)
  for (const [name, entry] of Object.entries(outApis)) {
    if (!isRecord(entry) || typeof entry.endpoint !== 'string' || !entry.endpoint) {
      if (!Object.hasOwn(inApis, name) || !isRecord(inApis[name]) || !inApis[name].endpoint)
        problems.push(`outputs custom.API.${name} has no endpoint; expected { endpoint: 'https://…', region } (or set amplify.rest.${name}.endpoint)`)
    }
  }
  for (const name of new Set([...Object.keys(outApis), ...Object.keys(inApis)])) {
    const fromOutputs = Object.hasOwn(outApis, name) && isRecord(outApis[name]) ? outApis[name] : {}
    const given = Object.hasOwn(inApis, name) ? inApis[name] : undefined
    if (given !== undefined && !isRecord(given)) {
      problems.push(`amplify.rest.${name} is ${describe(given)}; expected an object like { endpoint, authMode }`)
      continue
    }
    const own: RestApiOptions = given ?? {}
    for (const key of Object.keys(own)) {
      if (!(REST_KEYS as string[]).includes(key))
        warnings.push(`amplify.rest.${name}.${key} is not an option and is ignored${closest(key, REST_KEYS)}`)
    }
    const endpoint = pick(own.endpoint, fromOutputs.endpoint, '')
    rest[name] = {
      endpoint: typeof endpoint === 'string' ? endpoint.replace(/\/+$/, '') : endpoint,
      region: pick(own.region, fromOutputs.region, typeof endpoint === 'string' ? executeApiRegion(endpoint) ?? DEFAULT_SIGNING_REGION : DEFAULT_SIGNING_REGION),
      authMode: pick(own.authMode, undefined, 'iam'),
      token: pick(own.token, undefined, 'id'),
      apiKey: pick(own.apiKey, undefined, ''),
      scheme: pick(own.scheme, undefined, ''),
      headers: pick(own.headers, undefined, {}),
      // Only when given: where an API's settings live is decided at build, not by env variables.
      ...(own.serverOnly !== undefined ? { serverOnly: own.serverOnly } : {}),
    }
  }
  const names = Object.keys(rest)
  const defaultApi = pick(input.defaultApi, undefined, names.length === 1 ? names[0]! : '')
  const ssr = pick(input.ssr, undefined, true)
  const cookieIn: CookieOptions = isRecord(input.cookie) ? input.cookie : {}
  const redirectIn: RedirectOptions = isRecord(input.redirect) ? input.redirect : {}
  const cookie = {
    domain: pick(cookieIn.domain, undefined, ''),
    maxAge: pick(cookieIn.maxAge, undefined, DEFAULT_COOKIE_MAX_AGE),
    sameSite: pick(cookieIn.sameSite, undefined, 'lax' as CookieSameSite),
    secure: pick(cookieIn.secure, undefined, 'auto' as CookieSecure),
  }
  const redirect = {
    login: pick(redirectIn.login, undefined, '/login'),
    home: pick(redirectIn.home, undefined, '/'),
  }
  const cacheControl = pick(input.cacheControl, undefined, true)
  const session = pick(input.session, undefined, 'browser' as SessionMode)
  const proxyMaxBytes = pick(input.proxyMaxBytes, undefined, DEFAULT_PROXY_MAX_BYTES)
  const lean = leanOutputs(outputs)
  return { options: { auth: resolvedAuth, rest, defaultApi, ssr, cookie, redirect, cacheControl, session, proxyMaxBytes, ...(lean ? { outputs: lean } : {}) }, problems, warnings }
}

/** Parses the outputs file's text; a problem names the file and what is wrong. */
export function parseOutputsJson(text: string, path: string): { outputs?: AmplifyOutputs, problem?: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  }
  catch (error) {
    return { problem: `amplify.outputs "${path}" is not valid JSON (${(error as Error).message}); expected the amplify_outputs.json written by \`npx ampx sandbox\` or \`ampx generate outputs\`` }
  }
  if (!isRecord(parsed))
    return { problem: `amplify.outputs "${path}" holds ${describe(parsed)}; expected a JSON object` }
  return { outputs: parsed as AmplifyOutputs }
}

/** Reads the outputs file (if any), merges and validates; pure apart from reading that one file. */
export function resolveModuleOptions(options: ModuleOptions, rootDir: string) {
  const problems: string[] = []
  let outputs: AmplifyOutputs | undefined
  if (typeof options.outputs === 'string' && options.outputs !== '') {
    const path = resolve(rootDir, options.outputs)
    if (!existsSync(path)) {
      problems.push(`amplify.outputs "${options.outputs}" does not exist (looked at ${path}); expected the path of amplify_outputs.json from the project root`)
    }
    else if (!statSync(path).isFile()) {
      problems.push(`amplify.outputs "${options.outputs}" is a directory (${path}); expected the path of the amplify_outputs.json file`)
    }
    else {
      const parsed = parseOutputsJson(readFileSync(path, 'utf8'), options.outputs)
      if (parsed.problem) problems.push(parsed.problem)
      outputs = parsed.outputs
    }
  }
  else if (options.outputs !== undefined && options.outputs !== '') {
    if (typeof options.outputs !== 'object' || options.outputs === null || Array.isArray(options.outputs))
      problems.push(`amplify.outputs is ${Array.isArray(options.outputs) ? 'an array' : typeof options.outputs}; expected a path (string) or the outputs object`)
    else outputs = options.outputs
  }
  const merged = mergeOptions(options, outputs)
  problems.push(...merged.problems)
  if (!merged.problems.length) problems.push(...validateOptions(merged.options))
  return { options: merged.options, problems, warnings: merged.warnings }
}

function executeApiRegion(endpoint: string): string | undefined {
  try {
    return EXECUTE_API_HOST.exec(new URL(endpoint).hostname)?.[1]
  }
  catch {
    return undefined
  }
}

// Env overrides turn empty values into ''; treat '' and undefined alike as "not given".
function pick<T>(own: unknown, fromOutputs: unknown, fallback: T): T {
  if (own !== undefined && own !== '') return own as T
  if (fromOutputs !== undefined && fromOutputs !== '') return fromOutputs as T
  return fallback
}

function closest(key: string, known: readonly string[]): string {
  let best = ''
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? `; did you mean "${best}"?` : `; known options: ${known.join(', ')}`
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}
