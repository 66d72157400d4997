// The default `useRestApiData` key: what decides the answer (API, method, path, query, auth mode),
// never a header value (a token must not reach a key or the payload). Pure.
export interface RestDataKeyInput {
  apiName: string
  method: string
  path: string
  query?: Record<string, unknown>
  authMode: string
}

/**
 * `rest:<api>:<METHOD>:<path>:<hash>`, the hash over the query (keys sorted) and the auth mode.
 * The query is hashed rather than shown: the key is in the payload, the query may be personal.
 */
export function restDataKey(input: RestDataKeyInput): string {
  const query = input.query ? Object.keys(input.query).sort().map(name => [name, String(input.query![name])]) : []
  return `rest:${input.apiName}:${input.method.toUpperCase()}:${input.path}:${fnv1a(JSON.stringify([query, input.authMode]))}`
}

/**
 * Two 32-bit FNV-1a hashes (different offsets) over the UTF-16 code units, as 16 hex digits:
 * stable across server and browser, no BigInt (the browser build targets ES2019), no dependency.
 */
export function fnv1a(text: string): string {
  let a = 0x811C9DC5
  let b = 0x050C5D1F
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    a = Math.imul(a ^ unit, 0x01000193)
    b = Math.imul(b ^ unit, 0x01000193) ^ (b >>> 13)
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}
