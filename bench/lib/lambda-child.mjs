// B9's fresh process: loads a handler built with Nitro's `aws-lambda` preset, as Lambda does on a
// cold start, and invokes it once with an API Gateway HTTP API (v2) event for `path`, then once more
// (warm, for context). Prints one JSON line: times in ms since this process started
// (performance.timeOrigin), the process's CPU time until then, the first answer's status and body.
// Usage: node bench/lib/lambda-child.mjs <.output/server/index.mjs> <path>
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

const [entry, path = '/'] = process.argv.slice(2)

function v2Event(n) {
  return {
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', cookies: [],
    headers: { 'host': 'app.example.test', 'accept': 'text/html', 'x-forwarded-proto': 'https' },
    requestContext: { accountId: '123456789012', apiId: 'api', domainName: 'app.example.test', requestId: `cold-${n}`, routeKey: '$default', stage: '$default', time: new Date().toISOString(), timeEpoch: Date.now(), http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' } },
    isBase64Encoded: false,
  }
}
const context = n => ({ awsRequestId: `cold-${n}`, functionName: 'bench', getRemainingTimeInMillis: () => 30_000 })

const startedMs = performance.now()
const { handler } = await import(pathToFileURL(entry).href)
const importedMs = performance.now()
const first = await handler(v2Event(1), context(1))
const answeredMs = performance.now()
// CPU time of the whole process until the first answer (all threads: main, GC, compiler), in ms.
const cpu = process.cpuUsage()
const cpuMs = (cpu.user + cpu.system) / 1000
const second = await handler(v2Event(2), context(2))
const secondMs = performance.now() - answeredMs
const body = first.isBase64Encoded ? Buffer.from(first.body, 'base64').toString('utf8') : String(first.body ?? '')
process.stdout.write(`${JSON.stringify({ startedMs, importedMs, answeredMs, cpuMs, secondMs, statusCode: first.statusCode, secondStatusCode: second.statusCode, body })}\n`)
