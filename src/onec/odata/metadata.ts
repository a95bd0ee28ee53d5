/**
 * `$metadata` of a 1C base (EDMX, XML only) → which entity sets and fields it exposes, and a
 * check of a profile's OData sources against it: every set and field the profile uses that the
 * base does not expose, with the fix (add it to the interface composition).
 */
import { XMLParser } from 'fast-xml-parser'
import type { ODataProfile } from '../mapping/odata-profile.ts'
import { said, type Said } from '../texts.ts'

export interface ODataMetadata {
  /** Entity set → its entity type name (without namespace). */
  sets: Map<string, string>
  /** Entity or complex type name → its property and navigation property names. */
  types: Map<string, Set<string>>
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])
const local = (name: string) =>
  name
    .replace(/^Collection\((.*)\)$/, '$1')
    .split('.')
    .pop() ?? name

type Node = Record<string, unknown>

export function parseMetadata(xml: string): ODataMetadata {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('$metadata with a DOCTYPE is refused')
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: false })
  const document = parser.parse(xml) as Node
  const services = (document.Edmx as Node | undefined)?.DataServices as Node | undefined
  if (!services) throw new Error('not an OData $metadata document (no Edmx/DataServices)')
  const metadata: ODataMetadata = { sets: new Map(), types: new Map() }
  for (const schema of list(services.Schema as Node | Node[])) {
    for (const type of [...list(schema.EntityType as Node | Node[]), ...list(schema.ComplexType as Node | Node[])]) {
      const names = new Set([...list(type.Property as Node | Node[]), ...list(type.NavigationProperty as Node | Node[])].map((property) => String(property['@Name'])))
      metadata.types.set(String(type['@Name']), names)
    }
    for (const container of list(schema.EntityContainer as Node | Node[])) {
      for (const set of list(container.EntitySet as Node | Node[])) metadata.sets.set(String(set['@Name']), local(String(set['@EntityType'])))
    }
  }
  return metadata
}

export interface MetadataProblem {
  source: string
  what: Said
}

const HINT = said(
  'добавьте его в состав стандартного интерфейса OData («Настройка стандартного интерфейса OData» → Состав)',
  'add it to the OData interface composition («Настройка стандартного интерфейса OData» → Состав)',
)

export function checkProfile(profile: ODataProfile, metadata: ODataMetadata): MetadataProblem[] {
  const problems: MetadataProblem[] = []
  const fieldsOf = (set: string, virtualTable?: string): Set<string> | null => {
    const base = set.replace(/_RecordType$/, '')
    if (virtualTable) return metadata.types.get(`${base}_${virtualTable}`) ?? metadata.types.get(`${set}_${virtualTable}`) ?? null
    const type = metadata.sets.get(set)
    return type ? (metadata.types.get(type) ?? null) : null
  }
  for (const source of profile.sources) {
    const report = (what: Said) => problems.push({ source: source.name, what })
    const { read } = source
    if (!metadata.sets.has(read.set)) {
      report(said(`набор ${read.set} не опубликован: ${HINT.ru}`, `entity set ${read.set} is not exposed: ${HINT.en}`))
      continue
    }
    const readFields = fieldsOf(read.set, read.virtualTable)
    const used = new Set<string>(read.select ?? [])
    const specs = [
      ...Object.values(source.fields),
      ...(source.group ? [source.group.by, source.group.key, ...('transform' in source.group.value ? [source.group.value] : Object.values(source.group.value))] : []),
    ]
    for (const spec of specs) {
      const spec_ = spec as { from?: string | string[] }
      for (const path of Array.isArray(spec_.from) ? spec_.from : spec_.from ? [spec_.from] : []) {
        const [head = ''] = path.split('.')
        if (!(head in source.joins)) used.add(head)
      }
    }
    if (readFields) {
      const where = `${read.set}${read.virtualTable ? `/${read.virtualTable}` : ''}`
      for (const field of used) if (!readFields.has(field)) report(said(`в ${where} нет поля ${field}`, `${where} has no field ${field}`))
    } else if (read.virtualTable) {
      report(
        said(
          `поля ${read.set}/${read.virtualTable} не видны в $metadata; проверьте их пробной выгрузкой (pull --dry-run)`,
          `cannot see the fields of ${read.set}/${read.virtualTable} in $metadata; check them with a dry-run pull`,
        ),
      )
    }
    for (const [alias, join] of Object.entries(source.joins)) {
      if (!metadata.sets.has(join.set)) {
        report(said(`связь ${alias}: набор ${join.set} не опубликован: ${HINT.ru}`, `join ${alias}: entity set ${join.set} is not exposed: ${HINT.en}`))
        continue
      }
      const joinFields = fieldsOf(join.set)
      const wanted = new Set([join.key, ...(join.select ?? [])])
      for (const spec of specs) {
        const spec_ = spec as { from?: string | string[] }
        for (const path of Array.isArray(spec_.from) ? spec_.from : spec_.from ? [spec_.from] : []) {
          const [head, field] = path.split('.')
          if (head === alias && field) wanted.add(field)
        }
      }
      for (const field of wanted)
        if (joinFields && !joinFields.has(field)) report(said(`связь ${alias}: в ${join.set} нет поля ${field}`, `join ${alias}: ${join.set} has no field ${field}`))
    }
  }
  return problems
}
