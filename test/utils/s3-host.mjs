// Test harness only, the equivalent of a hosts-file line plus a trusted certificate: makes this Node
// process open its TLS connections for the local storage server's S3 host name
// (`<bucket>.s3.<region>.amazonaws.com`, the name Amplify builds) to 127.0.0.1:<port>, trusting the
// server's self-signed certificate for that name only. Everything on the wire is what Amplify sends.
// In-process: `mapStorageHost(backend.storage)`; for a server process: NODE_OPTIONS=--import this file,
// with LOCAL_S3_HOST_MAP = JSON { host, port, certificate }.
import tls from 'node:tls'

const original = tls.connect

/** @param {{ host: string, port: number, certificate: string }} target @returns {() => void} undo */
export function mapStorageHost(target) {
  const previous = tls.connect
  tls.connect = function connect(...args) {
    const options = args[0] && typeof args[0] === 'object' ? args[0] : undefined
    if (options && (options.host === target.host || options.servername === target.host)) {
      return original.call(this, { ...options, host: '127.0.0.1', port: target.port, servername: target.host, ca: target.certificate }, ...args.slice(1))
    }
    return previous.apply(this, args)
  }
  return () => {
    tls.connect = previous
  }
}

if (process.env.LOCAL_S3_HOST_MAP) mapStorageHost(JSON.parse(process.env.LOCAL_S3_HOST_MAP))
