// Types only: `$restApi` and `useRestApiData` typed from an API's OpenAPI spec. The module's type
// template (src/openapi-types.ts) fills `AmplifyRestOpenApi` with openapi-typescript's `paths` per
// API that has `rest.<name>.openapi`; an API without one (and every API when none has one) keeps
// the untyped signatures. A path is a spec's template ('/items/{id}' or 'items/{id}'), its
// placeholders are filled with `pathParams`.
import type { ApiName } from './api-names'
import type { PathParams } from './rest-path'
import type { RawResponse, RestCallOptions } from './rest-types'

/** One key per API with an OpenAPI spec: its openapi-typescript `paths`. Declared by the type template. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AmplifyRestOpenApi {}

/** `{ name: <defaultApi> }`, declared by the type template. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AmplifyRestDefaultApi {}

/** The APIs typed from a spec. */
export type TypedApiName = Extract<keyof AmplifyRestOpenApi, string>
/** The APIs without a spec (any string where no type template declared the names). */
export type UntypedApiName = [TypedApiName] extends [never] ? ApiName : Exclude<ApiName, TypedApiName>
type DefaultApi = AmplifyRestDefaultApi extends { name: infer Name } ? Name : never
/** The default API when it is typed from a spec, else never. */
export type TypedDefaultApi = DefaultApi extends TypedApiName ? DefaultApi : never

/** Lower-case methods as in openapi-typescript's `paths`. */
export type SpecMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head'

type Slashed<Path extends string> = Path extends `/${string}` ? Path : `/${Path}`
type Unslashed<Path> = Path extends `/${infer Rest}` ? Rest : never
type PathsOf<Api extends TypedApiName> = AmplifyRestOpenApi[Api]
type HasOperation<Item, Method extends SpecMethod> = Item extends { [M in Method]: infer Op } ? [Op] extends [never | undefined] ? false : true : false

/** The spec's paths that have `method`, with and without the leading slash. */
export type SpecPath<Api extends TypedApiName, Method extends SpecMethod> = {
  [P in keyof PathsOf<Api>]-?: P extends string ? HasOperation<PathsOf<Api>[P], Method> extends true ? P | Unslashed<P> : never : never
}[keyof PathsOf<Api>]

/** The operation of `path` and `method` in the API's spec. */
export type SpecOperation<Api extends TypedApiName, Path extends string, Method extends SpecMethod>
  = PathsOf<Api> extends infer Paths ? Slashed<Path> extends keyof Paths ? Paths[Slashed<Path>] extends { [M in Method]: infer Op } ? Op : never : never : never

/** `'items/{id}/tags/{tag}'` → `'id' | 'tag'`. */
export type PlaceholderNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholderNames<Rest> : never

type PathParamsOption<Path extends string> = [PlaceholderNames<Path>] extends [never]
  ? { pathParams?: Record<string, never> }
  : { pathParams: { [Name in PlaceholderNames<Path>]: string | number } }

type QueryOf<Op> = Op extends { parameters: { query?: infer Query } } ? Query : never
type QueryOption<Op> = [QueryOf<Op>] extends [never | undefined]
  ? { query?: never }
  : Op extends { parameters: { query: object } } ? { query: QueryOf<Op> } : { query?: QueryOf<Op> }

type ContentOf<Body> = Body extends { content: infer Content }
  ? 'application/json' extends keyof Content ? Content['application/json'] : Content[keyof Content] | FormData
  : never
type BodyOption<Op> = Op extends { requestBody: infer Body }
  ? { body: ContentOf<Body> }
  : Op extends { requestBody?: infer Body } ? [Body] extends [never | undefined] ? { body?: never } : { body?: ContentOf<Body> } : { body?: never }

type SuccessCode = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226 | '200' | '201' | '202' | '203' | '204' | '205' | '206' | '207' | '208' | '226' | '2XX'
type ResponsesOf<Op> = Op extends { responses: infer Responses } ? Responses : never
type ContentBody<Response> = Response extends { content: infer Content }
  ? 'application/json' extends keyof Content ? Content['application/json'] : Content[keyof Content]
  : unknown
/** The body of a successful answer: the 2xx responses' JSON, else the `default` response's; unknown without content. */
export type SpecResponse<Op> = ResponsesOf<Op> extends infer Responses
  ? [Extract<keyof Responses, SuccessCode>] extends [never]
      ? 'default' extends keyof Responses ? ContentBody<Responses['default']> : unknown
      : ContentBody<Responses[Extract<keyof Responses, SuccessCode>]>
  : unknown

/** A typed call's options: `$restApi`'s own, with path parameters, query and body from the spec. */
export type SpecCallOptions<Op, Path extends string>
  = Omit<RestCallOptions, 'apiName' | 'pathParams' | 'query' | 'body' | 'raw'> & PathParamsOption<Path> & QueryOption<Op> & BodyOption<Op>

/** The options argument, optional when none of its keys is required. */
export type Args<Options> = Record<never, never> extends Options ? [options?: Options] : [options: Options]

type SpecCall<Method extends SpecMethod> = {
  <Api extends TypedApiName, Path extends SpecPath<Api, Method>>(path: Path, options: SpecCallOptions<SpecOperation<Api, Path, Method>, Path> & { apiName: Api, raw?: false }): Promise<SpecResponse<SpecOperation<Api, Path, Method>>>
  <Api extends TypedApiName, Path extends SpecPath<Api, Method>>(path: Path, options: SpecCallOptions<SpecOperation<Api, Path, Method>, Path> & { apiName: Api, raw: true }): Promise<RawResponse<SpecResponse<SpecOperation<Api, Path, Method>>>>
}
type DefaultSpecCall<Method extends SpecMethod, Api extends TypedApiName> = {
  <Path extends SpecPath<Api, Method>>(path: Path, ...options: Args<SpecCallOptions<SpecOperation<Api, Path, Method>, Path> & { apiName?: undefined, raw?: false }>): Promise<SpecResponse<SpecOperation<Api, Path, Method>>>
  <Path extends SpecPath<Api, Method>>(path: Path, options: SpecCallOptions<SpecOperation<Api, Path, Method>, Path> & { apiName?: undefined, raw: true }): Promise<RawResponse<SpecResponse<SpecOperation<Api, Path, Method>>>>
}

/** The untyped call, as before: `apiName` one of the APIs without a spec (required when the default API has one). */
type PlainCall = {
  <T = unknown>(path: string, ...options: Args<Omit<RestCallOptions, 'apiName'> & ApiNameOption & { raw?: false }>): Promise<T>
  <T = unknown>(path: string, options: Omit<RestCallOptions, 'apiName'> & ApiNameOption & { raw: true }): Promise<RawResponse<T>>
}
type ApiNameOption = [TypedDefaultApi] extends [never] ? { apiName?: UntypedApiName } : { apiName: UntypedApiName }

/**
 * One `$restApi` method: without any spec exactly the untyped call; with specs, the untyped call for
 * the other APIs, then the typed one (so a typed API's mistakes are reported against its spec).
 */
export type SpecAwareCall<Method extends SpecMethod, Untyped> = [TypedApiName] extends [never]
  ? Untyped
  : PlainCall & ([TypedDefaultApi] extends [never] ? unknown : DefaultSpecCall<Method, TypedDefaultApi>) & SpecCall<Method>

/** `PathParams` as the untyped options take them (re-exported for the composable). */
export type { PathParams }
