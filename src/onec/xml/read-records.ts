/**
 * Records of a custom XML file (the integrator's own export, e.g. bonus balances): small files,
 * read whole with fast-xml-parser. Encoding as in CommerceML (BOM, valid UTF-8, declaration);
 * `<!DOCTYPE` refused; every value kept as text for the profile's transforms.
 */
import { readFile, stat } from 'node:fs/promises'
import { XMLParser } from 'fast-xml-parser'
import iconv from 'iconv-lite'
import { sniffEncoding, XmlInputError } from '../commerceml/xml-stream.ts'

export const MAX_CUSTOM_XML_BYTES = 200 * 1024 * 1024

type Node = Record<string, unknown>

export async function readXmlRecords(path: string, fileName: string, recordPath: string): Promise<Node[]> {
  const { size } = await stat(path)
  if (size > MAX_CUSTOM_XML_BYTES) throw new XmlInputError(fileName, `a custom XML file is read whole and may be at most ${MAX_CUSTOM_XML_BYTES} bytes (this one: ${size})`)
  const encoding = await sniffEncoding(path)
  const text = iconv.decode(await readFile(path), encoding === 'utf-8' ? 'utf8' : encoding).replace(/^\ufeff/, '')
  if (/<!DOCTYPE/i.test(text)) throw new XmlInputError(fileName, '<!DOCTYPE> is not allowed (entity declarations are refused)')
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: false,
    trimValues: true,
  })
  let document: Node
  try {
    document = parser.parse(text, true) as Node
  } catch (error) {
    const detail = (error as { err?: { msg?: string; line?: number } }).err
    throw new XmlInputError(fileName, detail?.msg ?? (error as Error).message, { line: detail?.line })
  }
  let level: unknown[] = [document]
  const segments = recordPath.split('/').filter(Boolean)
  for (const segment of segments) {
    level = level.flatMap((node) => {
      const next = node && typeof node === 'object' ? (node as Node)[segment] : undefined
      return next === undefined ? [] : Array.isArray(next) ? next : [next]
    })
  }
  if (level.length === 0 && segments.length > 0 && !(segments[0]! in document)) {
    throw new XmlInputError(fileName, `no element ${segments[0]} at the top of the file (the profile expects records at ${recordPath})`, { path: recordPath })
  }
  return level.filter((node): node is Node => node !== null && typeof node === 'object')
}

/** A file name against a profile pattern with `*` wildcards (case-insensitive, as 1C names vary). */
export function matchesPattern(fileName: string, pattern: string): boolean {
  const name = fileName.split('/').pop() ?? fileName
  const expression = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  )
  return expression.test(name)
}
