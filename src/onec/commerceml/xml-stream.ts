/**
 * Streaming XML for CommerceML: bounded memory whatever the file size.
 *
 * saxes reads the text; only the elements a caller names as records (a `Товар`, a `Предложение`)
 * are built into small trees and handed over, in batches, as the file is read. Elements are
 * matched by local name, whatever namespace (or none) a producer used. `<!DOCTYPE` is refused, so
 * entity tricks (XXE, billion laughs) never get a start.
 */
import { open } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import iconv from 'iconv-lite'
import { SaxesParser } from 'saxes'
import type { Language, Said } from '../texts.ts'

export interface XmlNode {
  name: string
  attrs: Record<string, string>
  children: XmlNode[]
  text: string
  line: number
}

/** A file that cannot be read as it should: which file, line and element, and why (in both languages). */
export class XmlInputError extends Error {
  readonly file: string
  readonly path: string | undefined
  readonly line: number | undefined
  /** The reason in English (logs, the stored run); `said` has it in Russian too. */
  readonly reason: string
  readonly said: Said
  constructor(file: string, reason: string | Said, where: { path?: string | undefined; line?: number | undefined } = {}) {
    const text = typeof reason === 'string' ? { ru: reason, en: reason } : reason
    super(`${file}${where.line !== undefined ? `:${where.line}` : ''}${where.path ? ` ${where.path}` : ''}: ${text.en}`)
    this.name = 'XmlInputError'
    this.file = file
    this.path = where.path
    this.line = where.line
    this.reason = text.en
    this.said = text
  }

  /** «Файл import.xml, строка 12, элемент Товар[…]: причина» for 1C's log. */
  sentence(language: Language): string {
    if (language === 'en') return this.message
    return `файл ${this.file}${this.line !== undefined ? `, строка ${this.line}` : ''}${this.path ? `, элемент ${this.path}` : ''}: ${this.said.ru}`
  }
}

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | string

const SNIFF_BYTES = 4096

function declaredEncoding(head: Buffer): string | null {
  const text = head.toString('latin1')
  const declaration = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text)
  return declaration?.[1]?.toLowerCase() ?? null
}

async function isValidUtf8File(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) decoder.decode(chunk as Buffer, { stream: true })
    decoder.decode()
    return true
  } catch {
    return false
  }
}

/**
 * Which encoding to read a file with: a BOM decides; then a declaration of UTF-8 (or none);
 * a file declared as something else whose bytes are valid UTF-8 is UTF-8 (1C re-encoded without
 * fixing the declaration); otherwise the declaration.
 */
export async function sniffEncoding(path: string): Promise<Encoding> {
  const handle = await open(path, 'r')
  let head: Buffer
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0)
    head = buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  const declared = declaredEncoding(head)
  if (declared === null || declared === 'utf-8' || declared === 'utf8') return 'utf-8'
  if (await isValidUtf8File(path)) return 'utf-8'
  if (!iconv.encodingExists(declared)) throw new XmlInputError(path, { ru: `кодировка «${declared}» не поддерживается`, en: `unsupported encoding ${JSON.stringify(declared)}` })
  return declared
}

interface TextDecoderLike {
  write(chunk: Buffer): string
  end(): string
}

function decoderFor(encoding: Encoding, file: string): TextDecoderLike {
  if (encoding === 'utf-8' || encoding === 'utf-16le' || encoding === 'utf-16be') {
    const decoder = new TextDecoder(encoding, { fatal: true })
    const wrap = (fn: () => string) => {
      try {
        return fn()
      } catch {
        throw new XmlInputError(file, { ru: `байты файла не в кодировке ${encoding}`, en: `the bytes are not valid ${encoding}` })
      }
    }
    return {
      write: (chunk) => wrap(() => decoder.decode(chunk, { stream: true })),
      end: () => wrap(() => decoder.decode()),
    }
  }
  const decoder = iconv.getDecoder(encoding)
  return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() ?? '' }
}

export interface StreamOptions {
  /** The name errors and logs use (the uploaded file name). */
  fileName: string
  /**
   * Called for every element outside a record with the local names from the root down to it;
   * returns a record type to build this element as a record, or null.
   */
  recordType(path: readonly string[]): string | null
  /** Attributes of every element outside records (headers: СодержитТолькоИзменения…). */
  onElement?(path: readonly string[], attrs: Record<string, string>): void
  /** Text of leaf elements outside records (`Ид` of a catalog, 2.03's `СодержитТолькоИзменения`). */
  onText?(path: readonly string[], text: string): void
  /** Receives built records in document order; awaited, so it paces the reading. */
  onRecords(records: Array<{ type: string; node: XmlNode }>): Promise<void> | void
  /** Local names (or `parent/name`) of elements inside records that no reader looks at: their subtrees are not built. */
  skip?: ReadonlySet<string>
  /** Bytes read so far and the total, for progress reports. */
  onProgress?(bytesRead: number, totalBytes: number): void
  batchSize?: number
}

function isBlank(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index)
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return false
  }
  return true
}

const localName = (name: string) => {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

export interface StreamResult {
  bytes: number
  encoding: Encoding
  records: number
}

// Long on purpose: one SAX handler set over one parser state (the open path, the record being
// built, the line for errors); split into functions, that state would have to travel between them.
// eslint-disable-next-line max-lines-per-function
export async function streamXmlFile(path: string, options: StreamOptions): Promise<StreamResult> {
  const encoding = await sniffEncoding(path)
  const decoder = decoderFor(encoding, options.fileName)
  const parser = new SaxesParser({ xmlns: false, position: true })
  const batchSize = options.batchSize ?? 1000

  const stack: string[] = []
  // The record being built: its root's depth in `stack`, and the open nodes inside it.
  let recordDepth = -1
  let recordType = ''
  // Depth of an element being skipped (with all it contains), or -1.
  let skipDepth = -1
  const skip = options.skip ?? new Set<string>()
  const open: XmlNode[] = []
  let textOutside = ''
  let pending: Array<{ type: string; node: XmlNode }> = []
  let records = 0
  let failure: XmlInputError | null = null

  const where = () => ({ path: stack.join('/'), line: parser.line })
  const fail = (reason: string | Said) => {
    failure ??= new XmlInputError(options.fileName, reason, where())
    throw failure
  }

  parser.on('doctype', () =>
    fail({ ru: '<!DOCTYPE> в CommerceML не допускается (объявления сущностей отклоняются)', en: '<!DOCTYPE> is not allowed in CommerceML (entity declarations are refused)' }),
  )
  parser.on('opentag', (tag) => {
    const name = localName(tag.name)
    stack.push(name)
    const attrs = tag.attributes as Record<string, string>
    if (recordDepth >= 0) {
      if (skipDepth >= 0) return
      if (skip.has(name) || skip.has(`${open.at(-1)?.name}/${name}`)) {
        skipDepth = stack.length
        return
      }
      const node: XmlNode = { name, attrs, children: [], text: '', line: parser.line }
      open.at(-1)?.children.push(node)
      open.push(node)
      return
    }
    textOutside = ''
    const type = options.recordType(stack)
    if (type) {
      recordDepth = stack.length
      recordType = type
      open.push({ name, attrs, children: [], text: '', line: parser.line })
      return
    }
    options.onElement?.(stack, attrs)
  })
  parser.on('text', (text) => {
    if (recordDepth >= 0) {
      // Indentation between elements is most of the text events; readers trim values anyway.
      if (skipDepth >= 0 || isBlank(text)) return
      const node = open.at(-1)
      if (node) node.text += text
    } else {
      textOutside += text
    }
  })
  parser.on('cdata', (text) => {
    if (recordDepth >= 0) {
      if (skipDepth >= 0) return
      const node = open.at(-1)
      if (node) node.text += text
    } else {
      textOutside += text
    }
  })
  parser.on('closetag', () => {
    if (skipDepth >= 0) {
      if (stack.length === skipDepth) skipDepth = -1
      stack.pop()
      return
    }
    if (recordDepth >= 0) {
      const node = open.pop()
      if (stack.length === recordDepth && node) {
        pending.push({ type: recordType, node })
        records += 1
        recordDepth = -1
      }
    } else if (textOutside.trim() !== '') {
      options.onText?.(stack, textOutside.trim())
      textOutside = ''
    }
    stack.pop()
  })
  parser.on('error', (error) => {
    const reason = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')
    fail({ ru: `XML не читается: ${reason}`, en: reason })
  })

  const total = (await fileSize(path)) ?? 0
  let bytes = 0
  const flush = async () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    await options.onRecords(batch)
  }
  const feed = (text: string) => {
    try {
      parser.write(text)
    } catch (error) {
      if (error instanceof XmlInputError) throw error
      throw failure ?? new XmlInputError(options.fileName, (error as Error).message, where())
    }
  }

  let first = true
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer = chunk as Buffer
    bytes += buffer.length
    let text = decoder.write(buffer)
    if (first) {
      // A BOM that survived decoding (iconv keeps it) is not part of the document.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      first = false
    }
    feed(text)
    options.onProgress?.(bytes, total)
    if (pending.length >= batchSize) await flush()
  }
  feed(decoder.end())
  try {
    parser.close()
  } catch (error) {
    if (error instanceof XmlInputError) throw error
    throw failure ?? new XmlInputError(options.fileName, (error as Error).message, where())
  }
  if (stack.length > 0) fail({ ru: 'файл обрывается внутри элемента (загружен не полностью?)', en: 'the file ends inside an element (truncated upload?)' })
  await flush()
  return { bytes, encoding, records }
}

async function fileSize(path: string): Promise<number | null> {
  const handle = await open(path, 'r')
  try {
    return (await handle.stat()).size
  } finally {
    await handle.close()
  }
}

/** Helpers to read built records. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((item) => item.name === name)
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((item) => item.name === name)
}

export function childText(node: XmlNode, ...names: string[]): string | undefined {
  for (const name of names) {
    const found = child(node, name)
    if (found) return found.text.trim()
  }
  return undefined
}
