// While the run-time options are wrong, every request gets a plain 500 naming the problems (no
// stack, no secret values), rather than a failure somewhere inside the first render.
import { defineEventHandler, setResponseHeader, setResponseStatus } from 'h3'
import { startupProblems, startupProblemsMessage } from '../options-check'

export default defineEventHandler((event) => {
  const problems = startupProblems()
  if (!problems.length) return
  setResponseStatus(event, 500, 'Invalid nuxt-amplify-rest configuration')
  setResponseHeader(event, 'content-type', 'text/plain; charset=utf-8')
  setResponseHeader(event, 'cache-control', 'no-store')
  return startupProblemsMessage(problems)
})
