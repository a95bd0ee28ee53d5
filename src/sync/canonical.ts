import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url')
}

export interface FieldChange {
  path: string
  from?: unknown
  to?: unknown
}

const MAX_DEPTH = 3
// Values larger than this are named, not copied, in the history.
const MAX_VALUE_CHARS = 200

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function small(value: unknown): boolean {
  return value === undefined || canonicalJson(value).length <= MAX_VALUE_CHARS
}

/**
 * What changed between two versions of an entity, as dotted paths (`prices.<type>.amountMinor`),
 * with the old and new values where they are small. Support staff read these to answer
 * "which run changed this, and from what".
 */
export function diffFields(before: unknown, after: unknown, path = '', depth = 0): FieldChange[] {
  if (canonicalJson(before) === canonicalJson(after)) return []
  if (depth < MAX_DEPTH && isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys.flatMap((key) => diffFields(before[key], after[key], path ? `${path}.${key}` : key, depth + 1))
  }
  const change: FieldChange = { path: path || '.' }
  if (small(before) && small(after)) {
    if (before !== undefined) change.from = before
    if (after !== undefined) change.to = after
  }
  return [change]
}
