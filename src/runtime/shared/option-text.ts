// How option checks name a value in their messages (the value itself for plain settings, only its
// kind for secrets), and the shape test they share. Used by the build-time merge and the run-time
// validation alike.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- narrowed from JSON of unknown shape
export function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === '') return 'empty'
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}

export function describeSecret(value: unknown): string {
  if (value === undefined || value === '') return describe(value)
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`
}

export function oneOf(values: readonly string[]): string {
  return `one of ${values.map(v => `"${v}"`).join(', ')}`
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && !!url.hostname
  }
  catch {
    return false
  }
}
