// Development only: the DevTools tab (auth state, APIs, last calls) — a client plugin that keeps the
// bridge the tab reads, the tab's page on the dev server, and the tab's registration. Nothing of it
// is added to a production build.
import type { Nuxt } from '@nuxt/schema'
import type { ModuleCustomTab } from '@nuxt/devtools-kit/types'
import { defineEventHandler, setResponseHeader } from 'h3'
import { addDevServerHandler, addPlugin } from '@nuxt/kit'
import type { Resolver } from '@nuxt/kit'
import { DEVTOOLS_ROUTE, tabHtml } from './runtime/devtools/tab'

export function setupDevtools(nuxt: Nuxt, resolver: Resolver): void {
  if (!nuxt.options.dev) return
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
