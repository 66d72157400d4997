// The configured API names as a type. The module's type template (src/api-types.ts) fills
// `AmplifyRestApis` with one key per API of `amplify.rest` and the outputs file, so `apiName`
// autocompletes and a wrong name is a type error. Types only.

/** One key per configured API (`{ items: true, reports: true }`), declared by the type template. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AmplifyRestApis {}

/** A configured API's name; any string where no type template declared them (e.g. the module's own sources). */
export type ApiName = [keyof AmplifyRestApis] extends [never] ? string : Extract<keyof AmplifyRestApis, string>
