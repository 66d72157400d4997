// @pinia/nuxt imports defineNuxtPlugin/useNuxtApp from '#app', Nuxt's whole barrel, which keeps
// ~7 kB gzip of unrelated composables in the client bundle; both live in '#app/nuxt'. This Vite
// transform changes only that import's specifier, with a source map (no SOURCEMAP_BROKEN warning).
import MagicString from 'magic-string'
import type { Plugin } from 'vite'

export function piniaImportsPlugin(): Plugin {
  return {
    name: 'nuxt-amplify-rest:pinia-imports',
    enforce: 'pre',
    transform(code, id) {
      if (!/@pinia[\\/]nuxt[\\/]dist[\\/]runtime[\\/](?:plugin|composables)\.js/.test(id)) return
      const match = /import \{([^}]*)\} from (["'])#app\2/.exec(code)
      if (!match || !match[1]!.split(',').every(name => ['defineNuxtPlugin', 'useNuxtApp'].includes(name.trim()))) return
      const specifier = match.index + match[0].lastIndexOf('#app') - 1
      const s = new MagicString(code)
      s.overwrite(specifier, specifier + '"#app"'.length, `'#app/nuxt'`)
      return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }) }
    },
  }
}
