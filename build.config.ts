import { defineBuildConfig } from 'unbuild'

// The module builder builds src/module and src/runtime; `nuxt-amplify-rest/local` is one more entry.
export default defineBuildConfig({
  entries: ['src/local'],
  externals: ['cognito-local', 'jose', '@smithy/signature-v4', '@aws-crypto/sha256-js'],
})
