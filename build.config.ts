import { defineBuildConfig } from 'unbuild'

// The module builder builds src/module and src/runtime; `nuxt-amplify-rest/local` is one more entry
// (src/local/index.ts, written to dist/local.mjs as package.json's exports expect).
export default defineBuildConfig({
  entries: [{ input: 'src/local/index', name: 'local' }],
  externals: ['cognito-local', 'jose', '@smithy/signature-v4', '@aws-crypto/sha256-js'],
})
