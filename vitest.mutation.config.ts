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
      // Files merged on 2 December: shared state (sealed.ts), session mode, data fetching, Gen 2 outputs.
      'test/unit/shared-state.test.ts', 'test/unit/server-session.test.ts', 'test/unit/proxy-client.test.ts',
      'test/unit/rest-path.test.ts', 'test/unit/rest-data-key.test.ts', 'test/unit/error-transport.test.ts', 'test/unit/gen2-outputs.test.ts',
      // The credentials cache over a store shared by instances (issue 18 §5: its shared-store path had no unit test).
      'test/unit/credentials-cache-shared.test.ts',
      // The proxy's byte counting and cut mark (session: 'server').
      'test/unit/proxy-stream.test.ts', 'test/unit/session-memo.test.ts',
      // Measured on 2 December (third session): the joined library options, the per-task snapshot, the SRP math.
      'test/unit/library-options.test.ts', 'test/unit/task-snapshot.test.ts', 'test/unit/srp.test.ts', 'test/unit/validate-options.test.ts', 'test/unit/proxy-request.test.ts',
    ],
    environment: 'node',
    // Longer than the unit project's 30 s (vitest.config.ts): under Stryker's instrumentation on a
    // loaded machine the 2,000-run option properties of fuzz.test.ts took over 30 s in the initial run.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
})
