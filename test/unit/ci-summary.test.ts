// CI's closing line (scripts/ci-summary.mjs), fed small hand-made vitest JSON reports shaped like
// vitest 5's JsonReporter output, and run as .ci/run runs it (a child node process on files).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { summarize } from '../../scripts/ci-summary.mjs'

const root = '/repo'
const script = fileURLToPath(new URL('../../scripts/ci-summary.mjs', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'nar-ci-summary-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Status = 'passed' | 'failed' | 'skipped' | 'pending' | 'todo'
interface File { name: string, status?: 'passed' | 'failed', message?: string, tests: Array<[string, Status]> }

/** A report as vitest writes it; the totals are derived from the per-test list unless overridden. */
function report(files: File[], override: Record<string, unknown> = {}) {
  const all = files.flatMap(file => file.tests.map(([, status]) => status))
  const count = (...statuses: Status[]) => all.filter(status => statuses.includes(status)).length
  const failedFiles = files.filter(file => (file.status ?? (file.tests.some(([, s]) => s === 'failed') ? 'failed' : 'passed')) === 'failed')
  return {
    numTotalTestSuites: files.length,
    numPassedTestSuites: files.length - failedFiles.length,
    numFailedTestSuites: failedFiles.length,
    numPendingTestSuites: 0,
    numTotalTests: all.length,
    numPassedTests: count('passed'),
    numFailedTests: count('failed'),
    numPendingTests: count('skipped', 'pending'),
    numTodoTests: count('todo'),
    startTime: 0,
    success: failedFiles.length === 0,
    testResults: files.map(file => ({
      name: `${root}/${file.name}`,
      status: file.status ?? (file.tests.some(([, s]) => s === 'failed') ? 'failed' : 'passed'),
      message: file.message ?? '',
      assertionResults: file.tests.map(([fullName, status]) => ({ fullName, title: fullName, status, ancestorTitles: [], failureMessages: [] })),
    })),
    ...override,
  }
}

const green = () => report([
  { name: 'test/unit/a.test.ts', tests: [['a one', 'passed'], ['a two', 'passed']] },
  { name: 'test/unit/b.test.ts', tests: [['b one', 'passed']] },
])

describe('ci-summary', () => {
  it('a green run: exact line, no problem', () => {
    const out = summarize(green(), { exitCode: 0, root })
    expect(out.line).toBe('3 passed, 0 failed, 0 skipped')
    expect(out.problems).toEqual([])
  })

  it('failed counts failed tests plus files that failed without a failed test (not numFailedTests || suites)', () => {
    const out = summarize(report([
      { name: 'test/unit/a.test.ts', tests: [['a one', 'failed'], ['a two', 'passed']] },
      { name: 'test/unit/broken.test.ts', status: 'failed', message: 'Cannot find module x', tests: [] },
      { name: 'test/unit/c.test.ts', tests: [['c one', 'passed']] },
    ]), { exitCode: 1, root })
    expect(out.line).toBe('2 passed, 2 failed, 0 skipped')
    expect(out.problems).toContain('test file failed outside its tests: test/unit/broken.test.ts (Cannot find module x)')
  })

  it('a skipped or todo test fails CI unless it is on the allow-list', () => {
    const withSkips = report([{ name: 'test/unit/a.test.ts', tests: [['a one', 'passed'], ['a later', 'skipped'], ['a idea', 'todo']] }])
    const out = summarize(withSkips, { exitCode: 0, root })
    expect(out.line).toBe('1 passed, 0 failed, 2 skipped')
    expect(out.problems).toEqual([
      'skipped test not on the allow-list in .ci/run: test/unit/a.test.ts::a later',
      'todo test not on the allow-list in .ci/run: test/unit/a.test.ts::a idea',
    ])
    const allowed = summarize(withSkips, { exitCode: 0, root, allow: ['test/unit/a.test.ts::a later', 'test/unit/a.test.ts::a idea'] })
    expect(allowed.problems).toEqual([])
    expect(allowed.line).toBe('1 passed, 0 failed, 2 skipped')
  })

  it('counts that do not add up fail CI', () => {
    const out = summarize({ ...green(), numTotalTests: 4 }, { exitCode: 0, root })
    expect(out.problems).toContain('the counts do not add up: 3 passed + 0 failed + 0 skipped/todo != 4 total')
  })

  it('per-test results that disagree with the totals fail CI', () => {
    const out = summarize({ ...green(), numPassedTests: 2, numPendingTests: 1 }, { exitCode: 0, root })
    expect(out.problems).toEqual(['the per-test results (3 passed, 0 failed, 0 skipped of 3) differ from the totals (2 passed, 0 failed, 1 skipped of 3)'])
  })

  it('unhandled errors (absent from vitest\'s JSON) count as failures', () => {
    const out = summarize(green(), { exitCode: 1, root, unhandledErrors: 1 })
    expect(out.line).toBe('3 passed, 1 failed, 0 skipped')
    expect(out.problems).toEqual(['1 unhandled error(s) during the run (see vitest\'s output)'])
  })

  it('a non-zero exit the report does not explain fails CI', () => {
    const out = summarize(green(), { exitCode: 1, root })
    expect(out.line).toBe('3 passed, 1 failed, 0 skipped')
    expect(out.problems).toEqual(['vitest exited with status 1 though its report shows no failure'])
  })

  it('no test at all, or a report without its counts, fails CI', () => {
    expect(summarize(report([]), { exitCode: 0, root }).problems).toEqual(['no test passed'])
    const partial = summarize({ numPassedTests: 3, testResults: [] }, { exitCode: 0, root })
    expect(partial.line).toBe('0 passed, 1 failed, 0 skipped')
    expect(partial.problems[0]).toMatch(/^the vitest JSON report lacks valid numTotalTests, numFailedTests, numPendingTests, numTodoTests, numFailedTestSuites$/)
    expect(summarize([], { exitCode: 0, root }).problems).toEqual(['the vitest JSON report is not an object'])
  })

  describe('as .ci/run calls it', () => {
    const run = (files: Record<string, string>, args: string[]) => {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text)
      try {
        return { code: 0, out: execFileSync(process.execPath, [script, ...args], { cwd: work, encoding: 'utf8' }) }
      }
      catch (error) {
        const e = error as { status: number, stdout: string }
        return { code: e.status, out: e.stdout }
      }
    }

    it('an unreadable JSON fails even with exit 0', () => {
      const { code, out } = run({ 'bad.json': '{"numTotalTests": 3,' }, [join(work, 'bad.json'), '--exit-code', '0'])
      expect(code).toBe(1)
      expect(out.trim().split('\n').at(-1)).toBe('0 passed, 1 failed, 0 skipped')
      expect(out).toContain('is missing or unreadable (vitest exit 0)')
    })

    it('a green report passes; the unhandled-error file is read; the allow-list comes from --allow', () => {
      const ok = run({ 'ok.json': JSON.stringify(green()), 'none.json': '{"unhandledErrors":0,"errors":[]}' },
        [join(work, 'ok.json'), '--exit-code', '0', '--unhandled', join(work, 'none.json')])
      expect(ok).toEqual({ code: 0, out: '3 passed, 0 failed, 0 skipped\n' })

      const two = run({ 'two.json': '{"unhandledErrors":2,"errors":["Error","TypeError"]}' },
        [join(work, 'ok.json'), '--exit-code', '1', '--unhandled', join(work, 'two.json')])
      expect(two.code).toBe(1)
      expect(two.out.trim().split('\n').at(-1)).toBe('3 passed, 2 failed, 0 skipped')

      const missing = run({}, [join(work, 'ok.json'), '--exit-code', '0', '--unhandled', join(work, 'absent.json')])
      expect(missing.code).toBe(1)
      expect(missing.out.trim().split('\n').at(-1)).toBe('3 passed, 1 failed, 0 skipped')

      const skip = report([{ name: 'test/unit/a.test.ts', tests: [['a one', 'passed'], ['a later', 'skipped']] }])
      const notAllowed = run({ 'skip.json': JSON.stringify({ ...skip, testResults: skip.testResults.map(f => ({ ...f, name: join(work, 'test/unit/a.test.ts') })) }) },
        [join(work, 'skip.json'), '--exit-code', '0'])
      expect(notAllowed).toEqual({ code: 1, out: 'CI: skipped test not on the allow-list in .ci/run: test/unit/a.test.ts::a later\n1 passed, 0 failed, 1 skipped\n' })
      const allowed = run({}, [join(work, 'skip.json'), '--exit-code', '0', '--allow', 'test/unit/a.test.ts::a later'])
      expect(allowed).toEqual({ code: 0, out: '1 passed, 0 failed, 1 skipped\n' })
    })
  })
})
