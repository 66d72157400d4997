// Runs one autocannon load in its own process (so that generating load does not share an event loop
// with the local backend, which runs in the bench's process) and prints the summary as JSON.
// Usage: node bench/lib/load-child.mjs '{"url":…,"connections":10,"duration":10,"headers":{…}}'
import autocannon from 'autocannon'

const options = JSON.parse(process.argv[2])
const result = await autocannon(options)
process.stdout.write(`${JSON.stringify({
  requestsPerSecond: result.requests.average,
  requestsTotal: result.requests.total,
  durationSeconds: result.duration,
  latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, average: result.latency.average, max: result.latency.max },
  status2xx: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  connections: result.connections,
})}\n`)
