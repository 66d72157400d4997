// Build time, `session: 'server'`: the module's routes under /api/_amplify/ and the check that the
// Cognito SDK they sign users in with is installed (an optional peer: browser-mode apps skip it).
import { createRequire } from 'node:module'
import { addServerHandler } from '@nuxt/kit'
import type { Resolver } from '@nuxt/kit'
import type { ResolvedOptions } from './runtime/shared/option-types'
import { SESSION_ROUTES } from './runtime/shared/session-routes'

export const COGNITO_SDK = '@aws-sdk/client-cognito-identity-provider'

/** Whether the app can load the Cognito SDK; the module fails the build with what to install otherwise. */
export function cognitoSdkProblem(rootDir: string): string | undefined {
  try {
    createRequire(`${rootDir}/`).resolve(COGNITO_SDK)
    return undefined
  }
  catch {
    try {
      createRequire(import.meta.url).resolve(COGNITO_SDK)
      return undefined
    }
    catch {
      return `amplify.session is "server", which signs users in on the server with ${COGNITO_SDK}; install it: npm i ${COGNITO_SDK}@^3`
    }
  }
}

export function setupServerSession(options: ResolvedOptions, resolver: Resolver): void {
  if (options.session !== 'server') return
  const route = (path: string) => resolver.resolve(`./runtime/server/session/${path}`)
  addServerHandler({ route: SESSION_ROUTES.signIn, method: 'post', handler: route('sign-in') })
  addServerHandler({ route: SESSION_ROUTES.signOut, method: 'post', handler: route('sign-out') })
  addServerHandler({ route: SESSION_ROUTES.session, handler: route('session') })
  addServerHandler({ route: `${SESSION_ROUTES.rest}/**`, handler: route('proxy') })
}
