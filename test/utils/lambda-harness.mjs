// Loads a handler built with Nitro's aws-lambda preset into this (plain Node) process, as Lambda
// does, and invokes it: each stdin line is a JSON array of [event, context] pairs, invoked together
// (Promise.all); the results come back as one JSON line on stdout, in order. Used by
// test/e2e/lambda.test.ts (vitest's own module loader cannot load a Nitro server bundle).
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'

const { handler } = await import(pathToFileURL(process.argv[2]).href)
process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
for await (const line of createInterface({ input: process.stdin })) {
  const calls = JSON.parse(line)
  const results = await Promise.all(calls.map(([event, context]) => handler(event, { ...context, getRemainingTimeInMillis: () => 30_000 })
    .catch(error => ({ statusCode: -1, body: String(error?.stack ?? error) }))))
  process.stdout.write(`${JSON.stringify(results)}\n`)
}
