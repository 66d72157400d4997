import { createConfigForNuxt } from '@nuxt/eslint-config/flat'

export default createConfigForNuxt({
  features: {
    tooling: true,
    stylistic: true,
  },
  dirs: {
    src: ['./playground', './test/fixtures/packed'],
  },
}).append({
  files: ['**/pages/**/*.vue'],
  rules: { 'vue/multi-word-component-names': 'off' },
}, {
  ignores: ['dist', 'node_modules', '**/.nuxt', '**/.output', 'bench/results.json', 'bench/.work'],
})
