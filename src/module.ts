import { addImports, addPlugin, addRouteMiddleware, addServerHandler, addServerPlugin, addVitePlugin, addServerImports, addTypeTemplate, createResolver, defineNuxtModule, installModule, useLogger } from '@nuxt/kit'
import { defu } from 'defu'
import type { ModuleOptions, ResolvedOptions } from './runtime/shared/option-types'
import { AmplifyOptionsError } from './runtime/shared/validate-options'
import { resolveModuleOptions } from './options'
import type { RestCallRecord, RestRequestContext } from './runtime/shared/rest-types'
import type { PrivateAmplifyConfig } from './runtime/shared/server-only'
import { splitServerOnly } from './runtime/shared/server-only'
import * as errors from './runtime/shared/errors'
import { setupDevtools } from './devtools'
import { cognitoSdkProblem, setupServerSession } from './session'
import { piniaImportsPlugin } from './pinia-imports'
import type { AmplifyConfigureContext } from './runtime/app/library-options'
import { applyLocalOption } from './local-dev'
import { apiNamesTemplate } from './api-types'
import { loadOpenApiTypes, openApiSources, openApiTypesTemplate } from './openapi-types'

export type { ModuleOptions } from './runtime/shared/option-types'
export type { AuthMode, RestApiOptions, AuthOptions, AmplifyOutputs, ResolvedOptions } from './runtime/shared/option-types'
export type { RestApi, RestCallOptions, RawResponse, RestRequestContext, RestCallRecord } from './runtime/shared/rest-types'
export type { AmplifyConfigureContext } from './runtime/app/library-options'
export type { AmplifyRestApis, ApiName } from './runtime/shared/api-names'

/** Everything here ships to every browser: APIs marked `serverOnly` are left out (only their names stay). */
export interface ModulePublicRuntimeConfig {
  amplify: ResolvedOptions
}

/** Server-only settings: the `serverOnly` APIs, overridable by `NUXT_AMPLIFY_REST_<NAME>_*` variables. */
export interface ModuleRuntimeConfig {
  amplify: PrivateAmplifyConfig
}

export interface ModuleRuntimeHooks {
  /** Before every REST call (`$restApi` and Amplify's own `get`/`post`/...): change `context.headers` to change what is sent. */
  'amplify:rest:request': (context: RestRequestContext) => void | Promise<void>
  /** After every `$restApi` call: what it carried (secrets masked), status, duration, error name. */
  'amplify:rest:response': (record: RestCallRecord) => void | Promise<void>
  /** Browser, before the module's one `Amplify.configure`: add to `context.libraryOptions` (register in a plugin with `enforce: 'pre'`). */
  'amplify:configure': (context: AmplifyConfigureContext) => void | Promise<void>
}

/** Every error class of the errors module, auto-imported: derived, so a new class cannot be forgotten. */
const ERROR_CLASSES = Object.entries(errors)
  .filter(([, value]) => typeof value === 'function' && (value === errors.AmplifyRestError || value.prototype instanceof errors.AmplifyRestError))
  .map(([name]) => name)

export default defineNuxtModule<ModuleOptions>({
  meta: {
    name: 'nuxt-amplify-rest',
    configKey: 'amplify',
    compatibility: { nuxt: '>=4.0.0' },
  },
  defaults: {},
  async setup(options, nuxt) {
    const logger = useLogger('nuxt-amplify-rest')
    const resolver = createResolver(import.meta.url)

    // `local`: the offline backend's settings instead of the app's (dev only; see local-dev.ts).
    if (options.local) options = await applyLocalOption(options, nuxt, logger)
    const resolved = resolveModuleOptions(options, nuxt.options.rootDir)
    for (const warning of resolved.warnings) logger.warn(warning)
    const sdkProblem = resolved.options.session === 'server' ? cognitoSdkProblem(nuxt.options.rootDir) : undefined
    if (resolved.problems.length || sdkProblem) throw new AmplifyOptionsError([...resolved.problems, ...(sdkProblem ? [sdkProblem] : [])])
    // `rest.<name>.openapi`: the specs are read once the modules are set up (openapi-typescript is
    // slow to load); a bad one fails the build there (types only, nothing at run time).
    const openApi = openApiSources(options.rest, nuxt.options.rootDir)
    if (openApi.problems.length) throw new AmplifyOptionsError(openApi.problems)
    let openApiTypes: ReturnType<typeof loadOpenApiTypes> | undefined
    const specs = () => (openApiTypes ??= loadOpenApiTypes(openApi.sources))
    if (openApi.sources.length) {
      nuxt.hook('modules:done', async () => {
        const { problems } = await specs()
        if (problems.length) throw new AmplifyOptionsError(problems)
      })
    }
    nuxt.options.watch.push(...openApi.sources.filter(source => !source.remote).map(source => source.location))

    // Merged under what the app may already declare, so every key exists for NUXT_PUBLIC_AMPLIFY_* /
    // NUXT_AMPLIFY_* overrides. Public config ships to every browser: serverOnly APIs stay private.
    const split = splitServerOnly(resolved.options)
    nuxt.options.runtimeConfig.public.amplify = defu(
      nuxt.options.runtimeConfig.public.amplify as ResolvedOptions | undefined,
      split.public,
    ) as never
    nuxt.options.runtimeConfig.amplify = defu(
      nuxt.options.runtimeConfig.amplify as PrivateAmplifyConfig | undefined,
      split.private,
    ) as never

    // Cross-request server state (credentials per identity, the refresh share) lives in the Nitro
    // storage mount `amplify`: this process's memory unless the app mounts a shared driver there.
    const privateConfig = nuxt.options.runtimeConfig.amplify as PrivateAmplifyConfig
    privateConfig.sessionSecret ??= ''
    nuxt.options.nitro.storage = { amplify: { driver: 'memory' }, ...nuxt.options.nitro.storage }

    await installModule('@pinia/nuxt')
    addVitePlugin(piniaImportsPlugin())

    // The run-time options (env variables) are checked once when the server starts: every problem
    // is logged then, and every request answers 500 naming them instead of failing somewhere later.
    addServerPlugin(resolver.resolve('./runtime/server/plugins/options-check'))
    addServerPlugin(resolver.resolve('./runtime/server/plugins/shared-state'))
    addServerPlugin(resolver.resolve('./runtime/server/plugins/amplify-warnings'))
    addServerPlugin(resolver.resolve('./runtime/server/plugins/library-options'))
    addServerHandler({ middleware: true, handler: resolver.resolve('./runtime/server/middleware/options-check') })

    addPlugin({ src: resolver.resolve('./runtime/app/plugins/amplify.client'), mode: 'client' })
    addPlugin({ src: resolver.resolve('./runtime/app/plugins/amplify.server'), mode: 'server' })
    addPlugin(resolver.resolve('./runtime/app/plugins/rest-errors'))
    addRouteMiddleware({ name: 'amplify-auth', path: resolver.resolve('./runtime/app/middleware/amplify-auth') })
    addRouteMiddleware({ name: 'amplify-login', path: resolver.resolve('./runtime/app/middleware/amplify-login.global'), global: true })
    addServerImports(['useServerRestApi', 'getServerAmplifySession', 'setServerCustomToken'].map(name => ({ name, from: resolver.resolve('./runtime/server/utils/amplify') })))
    addServerImports([{ name: 'runWithAmplify', from: resolver.resolve('./runtime/server/utils/run-with-amplify') }])
    // One declaration for both sides and for the module's own runtime files: the runtime config and
    // the runtime hooks, typed, so no runtime file casts them.
    addTypeTemplate({
      filename: 'types/nuxt-amplify-rest.d.ts',
      getContents: () => runtimeTypes(path => resolver.resolve(path)),
    }, { nitro: true, nuxt: true })
    addTypeTemplate({
      filename: 'types/nuxt-amplify-rest-apis.d.ts',
      getContents: () => apiNamesTemplate(Object.keys(resolved.options.rest), resolver.resolve('./runtime/shared/api-names')),
    }, { nitro: true, nuxt: true })
    if (openApi.sources.length) {
      addTypeTemplate({
        filename: 'types/nuxt-amplify-rest-openapi.d.ts',
        getContents: async () => openApiTypesTemplate((await specs()).specs, resolved.options.defaultApi, resolver.resolve('./runtime/shared/openapi-paths')),
      }, { nitro: true, nuxt: true })
    }
    addImports([
      { name: 'useRestApi', from: resolver.resolve('./runtime/app/composables/useRestApi') },
      { name: 'useAmplifyAuth', from: resolver.resolve('./runtime/app/composables/useAmplifyAuth') },
      { name: 'useAmplifyAuthStore', from: resolver.resolve('./runtime/app/stores/amplify-auth') },
      { name: 'runWithAmplify', from: resolver.resolve('./runtime/app/run-with-amplify') },
      { name: 'useRestApiData', from: resolver.resolve('./runtime/app/composables/useRestApiData') },
      { name: 'isRestApiError', from: resolver.resolve('./runtime/shared/error-transport') },
      ...ERROR_CLASSES.map(name => ({ name, from: resolver.resolve('./runtime/shared/errors') })),
    ])

    setupDevtools(nuxt, resolver)
    setupServerSession(resolved.options, resolver)

    // Amplify's packages are many small ESM files: pre-bundle them so dev does not reload on first use.
    nuxt.options.vite.optimizeDeps ||= {}
    nuxt.options.vite.optimizeDeps.include ||= []
    nuxt.options.vite.optimizeDeps.include.push('aws-amplify', 'aws-amplify/api', 'aws-amplify/auth', 'aws-amplify/utils')
  },
})

/** The type template: runtime config (public and private) and the Nuxt and Nitro runtime hooks. */
function runtimeTypes(resolve: (path: string) => string): string {
  const from = (path: string) => JSON.stringify(resolve(path))
  return `import type { H3Event } from 'h3'
import type { ResolvedOptions } from ${from('./runtime/shared/option-types')}
import type { PrivateAmplifyConfig } from ${from('./runtime/shared/server-only')}
import type { RestCallRecord, RestRequestContext } from ${from('./runtime/shared/rest-types')}
import type { AmplifyConfigureContext } from ${from('./runtime/app/library-options')}
declare module 'nuxt/schema' {
  interface PublicRuntimeConfig { amplify: ResolvedOptions }
  interface RuntimeConfig { amplify: PrivateAmplifyConfig }
}
declare module '#app' {
  interface RuntimeNuxtHooks {
    'amplify:rest:request': (context: RestRequestContext) => void | Promise<void>
    'amplify:rest:response': (record: RestCallRecord) => void | Promise<void>
    'amplify:configure': (context: AmplifyConfigureContext) => void | Promise<void>
  }
}
declare module 'nitropack/types' {
  interface NitroRuntimeHooks {
    'amplify:rest:request': (context: RestRequestContext, event: H3Event) => void | Promise<void>
    /** Each request's Amplify context, as it is built: add to \`context.libraryOptions\` synchronously. */
    'amplify:configure': (context: AmplifyConfigureContext, event: H3Event) => void
  }
}
export {}
`
}
