// At server start: log every problem of the run-time options at once, instead of a bare 500 on
// each request (the middleware of the same name answers those).
import { defineNitroPlugin } from 'nitropack/runtime'
import { startupProblems, startupProblemsMessage } from '../options-check'

export default defineNitroPlugin(() => {
  const problems = startupProblems()
  if (problems.length) console.error(startupProblemsMessage(problems))
})
