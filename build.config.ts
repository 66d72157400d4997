import { defineBuildConfig } from 'unbuild'

// The module builder builds src/module and src/runtime; `nuxt-amplify-rest/local` is one more entry
// (src/local/index.ts, written to dist/local.mjs as package.json's exports expect), and the command
// `nuxt-amplify-rest` (src/local/cli.ts → dist/cli.mjs, package.json's "bin").
export default defineBuildConfig({
  entries: [{ input: 'src/local/index', name: 'local' }, { input: 'src/local/cli', name: 'cli' }],
  // graphql: the local GraphQL stand-in imports it lazily; it comes with aws-amplify (@aws-amplify/api-graphql).
  externals: ['cognito-local', 'jose', '@smithy/signature-v4', '@aws-crypto/sha256-js', 'graphql'],
})
