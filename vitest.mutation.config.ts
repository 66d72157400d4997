import { defineConfig } from 'vitest/config'

// The unit tests of the pure core, for Stryker (stryker.config.json, npm run test:mutation): no
// Nuxt app, no local backend, no browser, so each mutant runs in seconds.
export default defineConfig({
  test: {
    include: [
      'test/unit/headers.test.ts', 'test/unit/fuzz.test.ts', 'test/unit/options.test.ts', 'test/unit/errors.test.ts',
      'test/unit/session.test.ts', 'test/unit/token-size.test.ts', 'test/unit/token-size-passthrough.test.ts', 'test/unit/signing.test.ts', 'test/unit/server-only.test.ts',
      'test/unit/credentials-cache.test.ts', 'test/unit/cookie-storage.test.ts', 'test/unit/module-options.test.ts', 'test/unit/rest-core.test.ts',
      'test/unit/amplify-config.test.ts', 'test/unit/amplify-warnings.test.ts', 'test/unit/session-state.test.ts', 'test/unit/rest-request.test.ts',
      'test/unit/credentials-cache-bounds.test.ts', 'test/unit/option-text.test.ts', 'test/unit/error-messages.test.ts', 'test/unit/signing-send.test.ts',
      'test/unit/rest-outcome.test.ts', 'test/unit/server-only-guards.test.ts',
    ],
    environment: 'node',
    // As the unit project's (vitest.config.ts): the seeded property tests take seconds on a loaded machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
