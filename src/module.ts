import { existsSync, readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ModuleCustomTab } from '@nuxt/devtools-kit/types'
import { defineEventHandler, setResponseHeader } from 'h3'
import { addDevServerHandler, addImports, addPlugin, addRouteMiddleware, addVitePlugin, addServerImports, addTypeTemplate, createResolver, defineNuxtModule, installModule, useLogger } from '@nuxt/kit'
import { defu } from 'defu'
import type { AmplifyOutputs, ModuleOptions, ResolvedOptions } from './runtime/shared/options'
import { AmplifyOptionsError, mergeOptions, parseOutputsJson, validateOptions } from './runtime/shared/options'
import type { RestCallRecord, RestRequestContext } from './runtime/shared/client'
import { DEVTOOLS_ROUTE, tabHtml } from './runtime/devtools/tab'

export type { ModuleOptions } from './runtime/shared/options'
export type { AuthMode, RestApiOptions, AuthOptions, AmplifyOutputs, ResolvedOptions } from './runtime/shared/options'
export type { RestApi, RestCallOptions, RawResponse, RestRequestContext, RestCallRecord } from './runtime/shared/client'

export interface ModulePublicRuntimeConfig {
  amplify: ResolvedOptions
}

export interface ModuleRuntimeHooks {
  /** Before every REST call (`$restApi` and Amplify's own `get`/`post`/...): change `context.headers` to change what is sent. */
  'amplify:rest:request': (context: RestRequestContext) => void | Promise<void>
  /** After every `$restApi` call: what it carried (secrets masked), status, duration, error name. */
  'amplify:rest:response': (record: RestCallRecord) => void | Promise<void>
}

const ERROR_CLASSES = [
  'AmplifyRestError', 'RestApiError', 'UnknownApiError', 'NotSignedInError', 'MissingCustomTokenError',
  'InvalidHeaderError', 'InvalidPathError', 'InvalidRequestError', 'RequestAbortedError', 'RequestTimeoutError',
  'SessionExpiredError', 'NetworkError', 'CredentialsError',
]

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

    const resolved = resolveModuleOptions(options, nuxt.options.rootDir)
    for (const warning of resolved.warnings) logger.warn(warning)
    if (resolved.problems.length) throw new AmplifyOptionsError(resolved.problems)

    // Merged under what the app may already declare, so every key exists for NUXT_PUBLIC_AMPLIFY_* overrides.
    nuxt.options.runtimeConfig.public.amplify = defu(
      nuxt.options.runtimeConfig.public.amplify as ResolvedOptions | undefined,
      resolved.options,
    ) as never

    await installModule('@pinia/nuxt')
    // @pinia/nuxt imports defineNuxtPlugin/useNuxtApp from '#app', Nuxt's whole barrel, which keeps
    // ~7 kB gzip of unrelated composables in the client bundle; both live in '#app/nuxt'.
    addVitePlugin({
      name: 'nuxt-amplify-rest:pinia-imports',
      enforce: 'pre',
      transform(code, id) {
        if (!/@pinia[\\/]nuxt[\\/]dist[\\/]runtime[\\/](?:plugin|composables)\.js/.test(id)) return
        return code.replace(/import \{([^}]*)\} from ["']#app["']/, (whole, names: string) =>
          names.split(',').every(name => ['defineNuxtPlugin', 'useNuxtApp'].includes(name.trim())) ? `import {${names}} from '#app/nuxt'` : whole)
      },
    })

    addPlugin({ src: resolver.resolve('./runtime/app/plugins/amplify.client'), mode: 'client' })
    addPlugin({ src: resolver.resolve('./runtime/app/plugins/amplify.server'), mode: 'server' })
    addRouteMiddleware({ name: 'amplify-auth', path: resolver.resolve('./runtime/app/middleware/amplify-auth') })
    addRouteMiddleware({ name: 'amplify-login', path: resolver.resolve('./runtime/app/middleware/amplify-login.global'), global: true })
    addServerImports(['useServerRestApi', 'getServerAmplifySession', 'setServerCustomToken'].map(name => ({ name, from: resolver.resolve('./runtime/server/utils/amplify') })))
    addTypeTemplate({
      filename: 'types/nuxt-amplify-rest-nitro.d.ts',
      getContents: () => `import type { H3Event } from 'h3'
import type { RestRequestContext } from ${JSON.stringify(resolver.resolve('./runtime/shared/client'))}
declare module 'nitropack/types' {
  interface NitroRuntimeHooks {
    'amplify:rest:request': (context: RestRequestContext, event: H3Event) => void | Promise<void>
  }
}
export {}
`,
    }, { nitro: true, nuxt: true })
    addImports([
      { name: 'useRestApi', from: resolver.resolve('./runtime/app/composables/useRestApi') },
      { name: 'useAmplifyAuth', from: resolver.resolve('./runtime/app/composables/useAmplifyAuth') },
      { name: 'useAmplifyAuthStore', from: resolver.resolve('./runtime/app/stores/amplify-auth') },
      ...ERROR_CLASSES.map(name => ({ name, from: resolver.resolve('./runtime/shared/errors') })),
    ])

    // Development only: a DevTools tab with the auth state and the last calls. Nothing of it is
    // added to a production build.
    if (nuxt.options.dev) {
      addPlugin({ src: resolver.resolve('./runtime/app/plugins/devtools.client'), mode: 'client' })
      addDevServerHandler({
        route: DEVTOOLS_ROUTE,
        handler: defineEventHandler((event) => {
          setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
          return tabHtml
        }),
      })
      // What @nuxt/devtools-kit's addCustomTab does, without importing it: that package is only needed
      // for its types here, so apps do not get a second copy of it next to the one Nuxt's DevTools bring.
      nuxt.hook('devtools:customTabs', (tabs: ModuleCustomTab[]) => {
        tabs.push({ name: 'amplify-rest', title: 'Amplify REST', icon: 'carbon:api', view: { type: 'iframe', src: DEVTOOLS_ROUTE } })
      })
    }

    // Amplify's packages are many small ESM files: pre-bundle them so dev does not reload on first use.
    nuxt.options.vite.optimizeDeps ||= {}
    nuxt.options.vite.optimizeDeps.include ||= []
    nuxt.options.vite.optimizeDeps.include.push('aws-amplify', 'aws-amplify/api', 'aws-amplify/auth', 'aws-amplify/utils')
  },
})

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
