// Types only: `useRestApiData` typed from an API's OpenAPI spec (see shared/openapi-paths.ts). An
// API with `rest.<name>.openapi` takes its spec's paths, path parameters, query and body, and its
// data is the spec's response; the other APIs keep the untyped signature.
import type { MaybeRefOrGetter } from 'vue'
import type { AsyncData } from '#app'
import type { RestMethod } from '../../shared/rest-types'
import type { Args, SpecCallOptions, SpecMethod, SpecOperation, SpecPath, SpecResponse, TypedApiName, TypedDefaultApi, UntypedApiName } from '../../shared/openapi-paths'
import type { RestApiDataError, UseRestApiDataOptions } from './useRestApiData'

type Method = RestMethod | Lowercase<RestMethod>
type ToSpecMethod<M extends Method> = Lowercase<M> extends 'delete' ? 'delete' : Lowercase<M> extends SpecMethod ? Lowercase<M> : never
type Reactive<T> = { [K in keyof T]: K extends 'pathParams' | 'query' | 'body' | 'headers' | 'authMode' ? MaybeRefOrGetter<T[K]> : T[K] }

/** A typed `useRestApiData`'s options: the spec's path parameters, query and body; `useAsyncData`'s own. */
export type SpecDataOptions<Api extends TypedApiName, Path extends string, M extends Method, DataT, DefaultT>
  = Omit<UseRestApiDataOptions<SpecResponse<SpecOperation<Api, Path, ToSpecMethod<M>>>, DataT, DefaultT>, 'apiName' | 'method' | 'pathParams' | 'query' | 'body'>
    & Reactive<Omit<SpecCallOptions<SpecOperation<Api, Path, ToSpecMethod<M>>, Path>, 'signal' | 'timeout' | 'headers' | 'authMode'>>
    & { method?: M }

type Res<Api extends TypedApiName, Path extends string, M extends Method> = SpecResponse<SpecOperation<Api, Path, ToSpecMethod<M>>>

type SpecUse = <Api extends TypedApiName, Path extends SpecPath<Api, ToSpecMethod<M>>, M extends Method = 'GET', DataT = Res<Api, Path, M>, DefaultT = undefined>(
  path: MaybeRefOrGetter<Path>,
  options: SpecDataOptions<Api, Path, M, DataT, DefaultT> & { apiName: MaybeRefOrGetter<Api> },
) => AsyncData<DataT | DefaultT, RestApiDataError | undefined>
type DefaultSpecUse<Api extends TypedApiName> = <Path extends SpecPath<Api, ToSpecMethod<M>>, M extends Method = 'GET', DataT = Res<Api, Path, M>, DefaultT = undefined>(
  path: MaybeRefOrGetter<Path>,
  ...options: Args<SpecDataOptions<Api, Path, M, DataT, DefaultT> & { apiName?: undefined }>
) => AsyncData<DataT | DefaultT, RestApiDataError | undefined>

/** The untyped signatures, for the APIs without a spec (`apiName` required when the default API has one). */
type PlainUse = {
  <ResT = unknown, DataT = ResT>(path: MaybeRefOrGetter<string>, options: Omit<UseRestApiDataOptions<ResT, DataT, DataT>, 'apiName'> & ApiNameOption & { default: () => DataT }): AsyncData<DataT, RestApiDataError | undefined>
  <ResT = unknown, DataT = ResT, DefaultT = undefined>(path: MaybeRefOrGetter<string>, ...options: Args<Omit<UseRestApiDataOptions<ResT, DataT, DefaultT>, 'apiName'> & ApiNameOption>): AsyncData<DataT | DefaultT, RestApiDataError | undefined>
}
type ApiNameOption = [TypedDefaultApi] extends [never] ? { apiName?: MaybeRefOrGetter<UntypedApiName> } : { apiName: MaybeRefOrGetter<UntypedApiName> }

/** `useRestApiData`: exactly the untyped signatures without any spec; with specs, typed for their APIs. */
export type SpecAwareUseRestApiData<Untyped extends (...args: never[]) => unknown> = [TypedApiName] extends [never]
  ? Untyped
  : PlainUse & ([TypedDefaultApi] extends [never] ? unknown : DefaultSpecUse<TypedDefaultApi>) & SpecUse
