#!/usr/bin/env node
// CI's closing line, from vitest's JSON report: `N passed, N failed, N skipped`, and whether CI passes.
//
//   node scripts/ci-summary.mjs <vitest.json> --exit-code <n> [--unhandled <file>] [--allow '<file>::<full name>']...
//
// What vitest's JSON reporter (vitest 5, `JsonReporter.onTestRunEnd`) holds: numTotalTests,
// numPassedTests, numFailedTests, numPendingTests (skipped), numTodoTests, numFailedTestSuites, and per
// file `testResults[]` (`status` 'passed' | 'failed', `name` = absolute path, `assertionResults[]` with
// `status` 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' and `fullName`). It holds no unhandled
// errors (vitest only prints them and exits 1): `scripts/vitest-unhandled-reporter.mjs` writes those.
//
// failed = failed tests + unhandled errors + files that failed without a failed test (a file that did
// not load, a failing beforeAll/afterAll: vitest counts those only as failed suites, and a failed test
// also fails its suites, so adding numFailedTestSuites would count it twice).
// CI fails on: any failure, a skipped or todo test not on the allow-list, counts that do not add up,
// a report that is missing or unreadable, no test at all, or a non-zero vitest exit the report does not explain.

import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const COUNTS = ['numTotalTests', 'numPassedTests', 'numFailedTests', 'numPendingTests', 'numTodoTests', 'numFailedTestSuites']

/**
 * @param {unknown} report parsed vitest JSON (or anything else: then CI fails)
 * @param {{ exitCode: number, unhandledErrors?: number, allow?: string[], root?: string }} opts
 * @returns {{ passed: number, failed: number, skipped: number, problems: string[], line: string }} the counts, every reason CI fails (none: it passes) and the closing line
 */
export function summarize(report, { exitCode, unhandledErrors = 0, allow = [], root = process.cwd() }) {
  const problems = []
  const result = (passed, failed, skipped) => ({ passed, failed, skipped, problems, line: `${passed} passed, ${failed} failed, ${skipped} skipped` })

  if (typeof report !== 'object' || report === null || Array.isArray(report)) {
    problems.push('the vitest JSON report is not an object')
    return result(0, 1, 0)
  }
  const bad = COUNTS.filter(key => !Number.isInteger(report[key]) || report[key] < 0)
  if (bad.length || !Array.isArray(report.testResults)) {
    problems.push(`the vitest JSON report lacks valid ${[...bad, ...(Array.isArray(report.testResults) ? [] : ['testResults'])].join(', ')}`)
    return result(0, 1, 0)
  }

  const tests = report.testResults.flatMap(file => (Array.isArray(file?.assertionResults) ? file.assertionResults : [])
    .map(test => ({ ...test, file: typeof file.name === 'string' ? relative(root, file.name) : '?' })))
  const tally = status => tests.filter(test => test.status === status).length
  const failedFilesWithoutFailedTest = report.testResults
    .filter(file => file?.status === 'failed' && !(file.assertionResults ?? []).some(test => test.status === 'failed'))
    .map(file => `${typeof file.name === 'string' ? relative(root, file.name) : '?'}${file.message ? ` (${file.message})` : ''}`)

  const passed = report.numPassedTests
  const skipped = report.numPendingTests + report.numTodoTests
  const failed = report.numFailedTests + failedFilesWithoutFailedTest.length + unhandledErrors

  if (passed + report.numFailedTests + skipped !== report.numTotalTests) {
    problems.push(`the counts do not add up: ${passed} passed + ${report.numFailedTests} failed + ${skipped} skipped/todo != ${report.numTotalTests} total`)
  }
  const listed = { passed: tally('passed'), failed: tally('failed'), skipped: tally('skipped') + tally('pending') + tally('todo') }
  if (tests.length !== report.numTotalTests || listed.passed !== passed || listed.failed !== report.numFailedTests || listed.skipped !== skipped) {
    problems.push(`the per-test results (${listed.passed} passed, ${listed.failed} failed, ${listed.skipped} skipped of ${tests.length}) `
      + `differ from the totals (${passed} passed, ${report.numFailedTests} failed, ${skipped} skipped of ${report.numTotalTests})`)
  }
  if (report.numTotalTests === 0 || passed === 0) problems.push('no test passed')
  if (report.numFailedTests) problems.push(`${report.numFailedTests} failed test(s)`)
  for (const file of failedFilesWithoutFailedTest) problems.push(`test file failed outside its tests: ${file}`)
  if (unhandledErrors) problems.push(`${unhandledErrors} unhandled error(s) during the run (see vitest's output)`)

  const allowed = new Set(allow)
  for (const test of tests.filter(t => ['skipped', 'pending', 'todo'].includes(t.status))) {
    const id = `${test.file}::${test.fullName}`
    if (!allowed.has(id)) problems.push(`${test.status === 'todo' ? 'todo' : 'skipped'} test not on the allow-list in .ci/run: ${id}`)
  }
  if (exitCode !== 0 && problems.length === 0) {
    problems.push(`vitest exited with status ${exitCode} though its report shows no failure`)
    return result(passed, failed + 1, skipped)
  }
  return result(passed, failed, skipped)
}

/** Parses a JSON file; undefined when it is missing, empty or not JSON. */
function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  }
  catch {
    return undefined
  }
}

function main(argv) {
  const [reportPath, ...rest] = argv
  let exitCode = Number.NaN
  let unhandledPath
  const allow = []
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]]
    if (flag === '--exit-code') exitCode = Number(value)
    else if (flag === '--unhandled') unhandledPath = value
    else if (flag === '--allow') allow.push(value)
    else throw new Error(`ci-summary: unknown argument ${flag}`)
  }
  if (!reportPath || !Number.isInteger(exitCode)) throw new Error('usage: ci-summary.mjs <vitest.json> --exit-code <n> [--unhandled <file>] [--allow <file::name>]...')

  const report = readJson(reportPath)
  let unhandledErrors = 0
  let unhandledMissing = false
  if (unhandledPath) {
    const unhandled = readJson(unhandledPath)
    if (Number.isInteger(unhandled?.unhandledErrors) && unhandled.unhandledErrors >= 0) unhandledErrors = unhandled.unhandledErrors
    else unhandledMissing = true
  }
  const out = report === undefined
    ? { passed: 0, failed: 1, skipped: 0, problems: [`vitest's JSON report ${reportPath} is missing or unreadable (vitest exit ${exitCode})`] }
    : summarize(report, { exitCode, allow, unhandledErrors })
  if (unhandledMissing) {
    out.problems.push(`the unhandled-error report ${unhandledPath} is missing or unreadable`)
    out.failed += 1
  }
  for (const problem of out.problems) console.log(`CI: ${problem}`)
  console.log(`${out.passed} passed, ${out.failed} failed, ${out.skipped} skipped`)
  return out.problems.length === 0 ? 0 : 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2))
}
