/**
 * Several sources feed one entity (the catalogue exchange, OData pulls, custom XML). What one of
 * them sends is laid over what is stored: a field it does not carry is "not sent" and stays as
 * the other sources left it, never null; a field the profile's `owners` gives to another source
 * stays too, whatever this one says of it.
 */

/** `kind.field` → the source that alone writes it (the profile's `owners`). */
export type Owners = Readonly<Record<string, string>>

/** The fields of `kind` that `source` must leave alone: those `owners` gives to another source. */
export function ownedElsewhere(owners: Owners, kind: string, source: string): ReadonlySet<string> {
  const out = new Set<string>()
  const prefix = `${kind}.`
  for (const [ref, owner] of Object.entries(owners)) if (ref.startsWith(prefix) && owner !== source) out.add(ref.slice(prefix.length))
  return out
}

/**
 * `sent` laid over `stored` (or over `fresh` for an entity not stored yet): each field sent
 * replaces the stored one, except those in `keep` (owned elsewhere: they stay as stored, or as
 * `fresh` has them until their owner writes them); fields not sent (undefined) stay as stored.
 */
export function layOver<T extends object>(stored: T | undefined, fresh: T, sent: Partial<T>, keep: ReadonlySet<string>): T {
  const out = { ...(stored ?? fresh) } as Record<string, unknown>
  for (const [field, value] of Object.entries(sent)) {
    if (value === undefined || keep.has(field)) continue
    out[field] = value
  }
  return out as T
}
