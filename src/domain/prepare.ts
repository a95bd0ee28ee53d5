/**
 * An entity made ready for change detection: validated against its schema, keyed, hashed.
 * Pure, so it can run wherever the entity is built (the CommerceML parser thread does it
 * beside the parsing, off the store's thread).
 */
import { contentHash } from './canonical.ts'
import { ENTITY_SCHEMAS, entityKey, isRemoved, type Entity, type EntityKind } from './model.ts'

export interface PreparedEntity {
  kind: EntityKind
  key: string
  data: Record<string, unknown>
  hash: string
  removed: boolean
}

export class InvalidEntityError extends Error {
  readonly kind: string
  readonly key: string
  constructor(kind: string, key: string, reason: string) {
    super(`${kind} ${JSON.stringify(key)} is invalid: ${reason}`)
    this.name = 'InvalidEntityError'
    this.kind = kind
    this.key = key
  }
}

export function prepareEntity(entity: Entity): PreparedEntity {
  const parsed = ENTITY_SCHEMAS[entity.kind].safeParse(entity.data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidEntityError(entity.kind, String(entityKey(entity)), `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`)
  }
  const normalized = { kind: entity.kind, data: parsed.data } as Entity
  return {
    kind: entity.kind,
    key: entityKey(normalized),
    data: parsed.data as Record<string, unknown>,
    hash: contentHash(parsed.data),
    removed: isRemoved(normalized),
  }
}
