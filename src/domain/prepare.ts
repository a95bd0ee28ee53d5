/**
 * An entity made ready for change detection: validated against its schema, keyed, hashed.
 * Pure, so it can run wherever the entity is built (the CommerceML parser thread does it
 * beside the parsing, off the store's thread).
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical.ts'
import { ENTITY_SCHEMAS, entityKey, isRemoved, type Entity, type EntityKind } from './model.ts'

export interface PreparedEntity {
  kind: EntityKind
  key: string
  /** The canonical JSON the hash is taken of; what the store keeps. */
  json: string
  hash: string
  removed: boolean
  /**
   * The validated value. A parser thread leaves it out of what it posts (the JSON alone crosses
   * threads far cheaper than an object graph); `entityData` reads it back when it is needed.
   */
  data?: Record<string, unknown>
}

/** The entity's value, parsed from its JSON when the object itself was not kept. */
export function entityData(prepared: PreparedEntity): Record<string, unknown> {
  return (prepared.data ??= JSON.parse(prepared.json) as Record<string, unknown>)
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
  const json = canonicalJson(parsed.data)
  return {
    kind: entity.kind,
    key: entityKey(normalized),
    json,
    hash: createHash('sha256').update(json).digest('base64url'),
    removed: isRemoved(normalized),
    data: parsed.data as Record<string, unknown>,
  }
}
