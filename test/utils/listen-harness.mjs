// A Node preload (`node --import ./listen-harness.mjs <built server>`) for servers that listen on a
// fixed port, as the entry of Nitro's `aws-amplify` preset does (port 3000, every interface: what
// Amplify Hosting's compute runs). Only that listen is redirected, to a free port on 127.0.0.1 (so
// tests run side by side), and the real port is printed as `listen-harness: 127.0.0.1:<port>`;
// the built code runs unchanged. Used by test/e2e/amplify-hosting.test.ts.
import { Server } from 'node:net'

const FIXED_PORT = 3000
const listen = Server.prototype.listen

Server.prototype.listen = function (...args) {
  const [first] = args
  const port = typeof first === 'object' && first !== null ? first.port : first
  if (Number(port) !== FIXED_PORT) return listen.apply(this, args)
  const rest = args.slice(1).filter(arg => typeof arg === 'function')
  this.once('listening', () => process.stdout.write(`listen-harness: 127.0.0.1:${this.address().port}\n`))
  return listen.call(this, { port: 0, host: '127.0.0.1' }, ...rest)
}
