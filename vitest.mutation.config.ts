import { defineConfig } from 'vitest/config'

// The unit tests of the pure core, for Stryker (stryker.config.json, npm run test:mutation): no
// Nuxt app, no local backend, no browser, so each mutant runs in seconds.
export default defineConfig({
  test: {
    include: ['test/unit/headers.test.ts', 'test/unit/fuzz.test.ts', 'test/unit/options.test.ts', 'test/unit/errors.test.ts'],
    environment: 'node',
  },
})
