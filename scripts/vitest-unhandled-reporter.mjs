// A vitest reporter that writes what vitest's JSON report leaves out: the number of unhandled errors
// (uncaught exceptions / unhandled rejections during the run). Vitest prints those and exits 1, but
// its JSON reporter ignores them. Used by .ci/run; read by scripts/ci-summary.mjs.
//   vitest run --reporter=./scripts/vitest-unhandled-reporter.mjs   (writes test-results/vitest-unhandled.json)

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

export default class UnhandledErrorsReporter {
  onInit(ctx) {
    this.file = resolve(ctx.config.root, process.env.VITEST_UNHANDLED_FILE || 'test-results/vitest-unhandled.json')
  }

  onTestRunEnd(_testModules, unhandledErrors = []) {
    mkdirSync(dirname(this.file), { recursive: true })
    writeFileSync(this.file, JSON.stringify({
      unhandledErrors: unhandledErrors.length,
      // Names only (vitest's own output has the details): a message could quote a request's token.
      errors: unhandledErrors.map(error => error?.name ?? 'Error'),
    }))
  }
}
