import { computed, toValue, watch } from 'vue'
import type { MaybeRefOrGetter, MultiWatchSources, Ref } from 'vue'
import type { AsyncData, AsyncDataOptions, NuxtError } from '#app'
import { createError, useAsyncData, useNuxtApp } from '#imports'
import type { Pinia } from 'pinia'
import type { AuthMode } from '../../shared/option-types'
import type { RestApi, RestCallOptions, RestMethod } from '../../shared/rest-types'
import type { PathParams } from '../../shared/rest-path'
import { fillPathParams } from '../../shared/rest-path'
import { restDataKey } from '../../shared/rest-data-key'
import { adoptFields, nuxtErrorInit, restErrorFields } from '../../shared/error-transport'
import type { RestErrorFields } from '../../shared/error-transport'
import { AmplifyRestError } from '../../shared/errors'
import { useAmplifyAuthStore } from '../stores/amplify-auth'
import { useAmplifyOptions } from '../options'
import type { SpecAwareUseRestApiData } from './rest-api-data-types'

type Method = RestMethod | Lowercase<RestMethod>
type KeysOf<T> = Array<T extends T ? keyof T extends string ? keyof T : never : never>

/** `$restApi`'s options (each may be a ref or a getter) with `useAsyncData`'s, and `refreshOnAuthChange`. */
export interface UseRestApiDataOptions<ResT, DataT = ResT, DefaultT = undefined> extends Omit<AsyncDataOptions<ResT, DataT, KeysOf<DataT>, DefaultT>, 'timeout' | 'watch'> {
  /** Which API under `amplify.rest`. @default amplify.defaultApi */
  apiName?: MaybeRefOrGetter<RestCallOptions['apiName']>
  /** @default 'GET' */
  method?: Method
  /** Headers for this call only. Never part of the key. */
  headers?: MaybeRefOrGetter<Record<string, string> | undefined>
  /** Query parameters; a change refetches. */
  query?: MaybeRefOrGetter<Record<string, string | number | boolean> | undefined>
  body?: MaybeRefOrGetter<unknown>
  authMode?: MaybeRefOrGetter<AuthMode | undefined>
  /** Values for the path's `{name}` placeholders, each encoded as one path segment; a change refetches. */
  pathParams?: MaybeRefOrGetter<PathParams | undefined>
  /** Milliseconds for the REST call, as in `$restApi` (not useAsyncData's own timeout). */
  timeout?: number
  /** The asyncData key. @default from API, method, path, query and auth mode (never headers) */
  key?: string
  /** More sources that refetch when they change (path, query and pathParams always do). */
  watch?: MultiWatchSources | false
  /**
   * Refetch when the user signs in or out (and, for `custom`, when the custom token changes), for
   * the modes that depend on the user: `userPool`, `iam`, `custom`. The old data is cleared first.
   * @default true
   */
  refreshOnAuthChange?: boolean
}

/** An error of `useRestApiData`: a NuxtError with the module error's `name` and fields (see `isRestApiError`). */
export type RestApiDataError = NuxtError & Partial<RestErrorFields>

const CALLS: Record<RestMethod, keyof RestApi> = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'del', HEAD: 'head' }
const USER_MODES: AuthMode[] = ['userPool', 'iam', 'custom']

/**
 * `useAsyncData` over `$restApi`: `useRestApiData('items/{id}', { pathParams: { id } })`. Runs
 * during SSR with the request's identity and is not fetched again on hydration.
 */
function restApiData<ResT = unknown, DataT = ResT>(
  path: MaybeRefOrGetter<string>,
  options: UseRestApiDataOptions<ResT, DataT, DataT> & { default: () => DataT | Ref<DataT> },
): AsyncData<DataT, RestApiDataError | undefined>
function restApiData<ResT = unknown, DataT = ResT, DefaultT = undefined>(
  path: MaybeRefOrGetter<string>,
  options?: UseRestApiDataOptions<ResT, DataT, DefaultT>,
): AsyncData<DataT | DefaultT, RestApiDataError | undefined>
function restApiData<ResT = unknown, DataT = ResT, DefaultT = undefined>(
  path: MaybeRefOrGetter<string>,
  options: UseRestApiDataOptions<ResT, DataT, DefaultT> = {},
): AsyncData<DataT | DefaultT, RestApiDataError | undefined> {
  const nuxtApp = useNuxtApp()
  const amplify = useAmplifyOptions()
  const {
    apiName, method: methodOption = 'GET', headers, query, body, authMode, pathParams, timeout, key, watch: extraWatch,
    refreshOnAuthChange = true, ...asyncOptions
  } = options
  const method = methodOption.toUpperCase() as RestMethod
  const call = CALLS[method]
  if (!call) throw new TypeError(`useRestApiData: method is ${JSON.stringify(methodOption)}; expected one of ${Object.keys(CALLS).join(', ')}`)

  const api = computed(() => toValue(apiName) ?? amplify.defaultApi)
  // A serverOnly API is known on the server only: its key must not differ in the browser.
  const serverOnly = computed(() => !!amplify.serverOnlyApis?.includes(api.value))
  const mode = computed<AuthMode | 'serverOnly'>(() => toValue(authMode) ?? (serverOnly.value ? 'serverOnly' : Object.hasOwn(amplify.rest, api.value) ? amplify.rest[api.value]!.authMode : 'none'))
  // An invalid template or parameter fails in the handler, as a typed error in `error`.
  const target = computed(() => {
    try {
      return fillPathParams(toValue(path), toValue(pathParams))
    }
    catch {
      return toValue(path)
    }
  })
  const dataKey = computed(() => key ?? restDataKey({ apiName: api.value, method, path: target.value, query: toValue(query), authMode: mode.value }))

  const result = useAsyncData<ResT, unknown, DataT>(dataKey, async (_nuxtApp, { signal }) => {
    const restApi = nuxtApp.$restApi as RestApi
    const callOptions: RestCallOptions = { apiName: toValue(apiName), headers: toValue(headers), query: toValue(query), authMode: toValue(authMode), timeout, signal }
    if (method !== 'GET' && method !== 'HEAD') callOptions.body = toValue(body)
    try {
      return await (restApi[call] as (path: string, options: RestCallOptions) => Promise<ResT>)(fillPathParams(toValue(path), toValue(pathParams)), callOptions)
    }
    catch (error) {
      if (!(error instanceof AmplifyRestError)) throw error
      // Nuxt keeps a NuxtError as it is: this one has the typed error's name and fields.
      throw adoptFields(createError(nuxtErrorInit(error)), restErrorFields(error))
    }
  }, {
    ...asyncOptions,
    // A given key does not follow the path: the path, query and params are watched instead.
    watch: watched(key ? [target, () => toValue(query)] : [], extraWatch),
  } as AsyncDataOptions<ResT, DataT>) as AsyncData<DataT | DefaultT, RestApiDataError | undefined>

  if (import.meta.client && refreshOnAuthChange) {
    const store = useAmplifyAuthStore(nuxtApp.$pinia as Pinia)
    // Who the call is made as; null while the store does not know yet (no change to react to).
    const identity = computed(() => {
      if (!USER_MODES.includes(mode.value as AuthMode)) return 'any'
      const who = store.status === 'signedIn' ? `user:${store.user?.userId}` : store.status === 'signedOut' ? 'guest' : null
      if (who === null || mode.value !== 'custom') return who
      return `${who}|${store.customToken ?? ''}`
    })
    // The clear is synchronous: the previous user's data is gone before anything renders with the
    // new identity. The refetch waits for the store to finish its change (tokens, user), so the
    // handler reads the new state, not a half-updated one.
    watch(identity, (now, before) => {
      if (now === null || before === null || now === before) return
      result.clear()
      Promise.resolve().then(() => result.refresh()).catch(() => {})
    }, { flush: 'sync' })
  }
  return result
}

/**
 * `useAsyncData` over `$restApi`: `useRestApiData('items/{id}', { pathParams: { id } })`. Runs
 * during SSR with the request's identity and is not fetched again on hydration. With the API's
 * `openapi` spec, its paths, path parameters, query, body and data are typed (rest-api-data-types.ts).
 */
export const useRestApiData = restApiData as unknown as SpecAwareUseRestApiData<typeof restApiData>

function watched(own: MultiWatchSources, extra: MultiWatchSources | false | undefined): MultiWatchSources | undefined {
  const all = extra === false ? [] : [...own, ...(extra ?? [])]
  return all.length ? all : undefined
}
