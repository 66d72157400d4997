// A call's `pathParams` put into its path template (`items/{id}`): each value percent-encoded as
// one segment, so no value can add a segment, climb with `..` or end the path. Pure.
import { InvalidPathError } from './errors'

export type PathParams = Record<string, string | number>

const PLACEHOLDER = /\{([^{}/]+)\}/g

/** The placeholders of a path template, in order: `items/{id}/tags/{tag}` → `['id', 'tag']`. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(PLACEHOLDER)].map(match => match[1]!)
}

/**
 * Fills `{name}` placeholders with `params`. Every placeholder needs a value and every value a
 * placeholder; a value is a string or a finite number, not empty, not `.` or `..`, without `/` or
 * `\`. Without params the path is returned as it is (a literal `{` stays the caller's business).
 */
export function fillPathParams(path: string, params: PathParams | undefined): string {
  if (params === undefined) return path
  if (typeof path !== 'string') return path
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw new InvalidPathError(path, `has pathParams of type ${params === null ? 'null' : Array.isArray(params) ? 'array' : typeof params}; expected an object like { id: '1' }`)
  const names = pathParamNames(path)
  const extra = Object.keys(params).filter(name => !names.includes(name))
  if (extra.length) throw new InvalidPathError(path, `has no placeholder for pathParams ${extra.map(n => `"${n}"`).join(', ')} (placeholders: ${names.length ? names.map(n => `{${n}}`).join(', ') : 'none'})`)
  return path.replace(PLACEHOLDER, (_, name: string) => {
    if (!Object.hasOwn(params, name)) throw new InvalidPathError(path, `needs pathParams.${name}`)
    return encodeSegment(path, name, params[name])
  })
}

function encodeSegment(path: string, name: string, value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value
  if (typeof text !== 'string') throw new InvalidPathError(path, `has pathParams.${name} of type ${value === null ? 'null' : typeof value}; expected a string or a finite number`)
  if (text === '' || text === '.' || text === '..') throw new InvalidPathError(path, `has pathParams.${name} = ${JSON.stringify(text)}, which would not be one path segment`)
  if (/[/\\]/.test(text)) throw new InvalidPathError(path, `has pathParams.${name} with a "/" or "\\", which would change the path; pass one segment`)
  return encodeURIComponent(text)
}
