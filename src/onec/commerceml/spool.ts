/**
 * Upload areas of «Обмен с сайтом» sessions: file names made safe, chunks appended, zips
 * unpacked with limits. Each session has its own directory, so a new session never destroys
 * what an earlier one still needs.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises'
import { dirname, join, posix } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import yauzl from 'yauzl'
import { said, SaidError, type Said } from '../texts.ts'

export class UnsafeFileNameError extends SaidError {
  constructor(name: string, reason: Said) {
    super(said(`имя файла «${name}» не допускается: ${reason.ru}`, `file name ${JSON.stringify(name)} is not allowed: ${reason.en}`))
    this.name = 'UnsafeFileNameError'
  }
}

// Prefixes 1C on Linux or Bitrix-minded setups put in front of the name (Bitrix strips them too).
const KNOWN_PREFIXES = [/^tmp\//i, /^upload\/1c\/webdata\//i, /^upload\/1c_catalog\//i]

/**
 * A name as 1C sends it (`import0_1.xml`, `import_files/0c/<guid>.jpg`, `C:\…`) → a relative path
 * inside the session directory. Anything that could leave it is refused, not repaired.
 */
export function sanitizeFileName(name: string): string {
  if (name.includes('\0')) throw new UnsafeFileNameError(name, said('содержит NUL', 'contains NUL'))
  let path = name.replace(/\\/g, '/').trim()
  path = path.replace(/^[a-zA-Z]:\//, '').replace(/^\/+/, '')
  for (const prefix of KNOWN_PREFIXES) path = path.replace(prefix, '')
  const parts = path.split('/').filter((part) => part !== '' && part !== '.')
  if (parts.length === 0) throw new UnsafeFileNameError(name, said('пустое', 'empty'))
  if (parts.some((part) => part === '..')) throw new UnsafeFileNameError(name, said('содержит «..»', 'contains ".."'))
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (parts.some((part) => /[\u0000-\u001f<>:"|?*]/.test(part)))
    throw new UnsafeFileNameError(name, said('содержит управляющие или зарезервированные символы', 'contains control or reserved characters'))
  if (parts.join('/').length > 1024) throw new UnsafeFileNameError(name, said('слишком длинное', 'too long'))
  return posix.join(...parts)
}

export function sessionDir(root: string, sessionId: string): string {
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(sessionId)) throw new Error(`bad session id ${JSON.stringify(sessionId)}`)
  return join(root, sessionId)
}

export class UploadTooLargeError extends SaidError {
  constructor(name: string, limit: number) {
    super(said(`${name} больше допустимых ${limit} байт на файл`, `${name} is larger than the ${limit} bytes allowed for one file`))
    this.name = 'UploadTooLargeError'
  }
}

/**
 * Streams a request body to `dir/name`: appended when `append` (the next chunk of a file cut at
 * file_limit), written anew otherwise. Returns the file's size afterwards.
 */
export async function writeUpload(dir: string, name: string, body: Readable, options: { append: boolean; maxBytes: number }): Promise<number> {
  const path = join(dir, name)
  await mkdir(dirname(path), { recursive: true })
  const before = options.append
    ? await stat(path).then(
        (info) => info.size,
        () => 0,
      )
    : 0
  let written = before
  body.on('data', (chunk: Buffer) => {
    written += chunk.length
    if (written > options.maxBytes) body.destroy(new UploadTooLargeError(name, options.maxBytes))
  })
  await pipeline(body, createWriteStream(path, { flags: options.append ? 'a' : 'w' }))
  return written
}

export async function startsWithZipSignature(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(4)
    const { bytesRead } = await handle.read(head, 0, 4, 0)
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50
  } finally {
    await handle.close()
  }
}

export interface ZipLimits {
  maxTotalBytes: number
  maxEntries: number
  /** Largest inflated/compressed ratio of one entry (zip bombs reach thousands). */
  maxRatio: number
}

export class ZipRefusedError extends SaidError {
  /** `whole`: `reason` already names the archive (a refusal carried over from the unzip thread). */
  constructor(zip: string, reason: Said, options: { whole?: boolean } = {}) {
    super(options.whole ? reason : said(`архив ${zip}: ${reason.ru}`, `${zip}: ${reason.en}`))
    this.name = 'ZipRefusedError'
  }
}

/** Why an archive is refused, in both languages. */
const REFUSED = {
  unreadable: (detail: string) => said(`не читается как zip (${detail}); все ли части файла загружены?`, `not a readable zip archive (${detail}); was every chunk uploaded?`),
  tooMany: (count: number, max: number) => said(`${count} файлов, больше допустимых ${max}`, `${count} entries, more than the ${max} allowed`),
  unsafeName: (detail: string) => said(`небезопасное имя внутри архива (${detail})`, `unsafe entry name refused (${detail})`),
  damaged: (detail: string) => said(`архив повреждён (${detail})`, `damaged archive (${detail})`),
  bomb: (entry: string, ratio: number, max: number) =>
    said(
      `${entry} распаковывается в ${Math.round(ratio)} раз (больше ${max}): отклонён как zip-бомба`,
      `${entry} inflates ${Math.round(ratio)}× (more than ${max}×): refused as a zip bomb`,
    ),
  tooLarge: (total: number, max: number) => said(`распаковывается в ${total} байт, больше допустимых ${max}`, `inflates to ${total} bytes, more than the ${max} allowed`),
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (error, zip) =>
      error || !zip ? reject(error ?? new Error('cannot open zip')) : resolve(zip),
    )
  })
}

/**
 * Unpacks `zipPath` into `dir`, keeping relative paths. Limits are checked against the entries'
 * declared sizes before anything is written, and yauzl checks the actual inflated size against
 * the declared one while reading, so a lying header fails too. Returns the files written.
 */
export async function unpackZip(zipPath: string, dir: string, name: string, limits: ZipLimits): Promise<string[]> {
  let zip: yauzl.ZipFile
  try {
    zip = await openZip(zipPath)
  } catch (error) {
    throw new ZipRefusedError(name, REFUSED.unreadable((error as Error).message))
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close()
    throw new ZipRefusedError(name, REFUSED.tooMany(zip.entryCount, limits.maxEntries))
  }
  const entries: yauzl.Entry[] = []
  let total = 0
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry)
      zip.readEntry()
    })
    zip.on('end', resolve)
    zip.on('error', reject)
    zip.readEntry()
  }).catch((error: Error) => {
    // yauzl refuses entry names that climb out or are absolute while it lists them.
    const unsafe = /relative path|absolute path|invalid characters/i.test(error.message)
    throw new ZipRefusedError(name, unsafe ? REFUSED.unsafeName(error.message) : REFUSED.damaged(error.message))
  })
  for (const entry of entries) {
    total += entry.uncompressedSize
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1)
    if (entry.uncompressedSize > 1024 * 1024 && ratio > limits.maxRatio) {
      throw new ZipRefusedError(name, REFUSED.bomb(entry.fileName, ratio, limits.maxRatio))
    }
  }
  if (total > limits.maxTotalBytes) throw new ZipRefusedError(name, REFUSED.tooLarge(total, limits.maxTotalBytes))

  const written: string[] = []
  const reopened = await openZip(zipPath)
  try {
    await new Promise<void>((resolve, reject) => {
      reopened.on('error', reject)
      reopened.on('end', resolve)
      reopened.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) {
          reopened.readEntry()
          return
        }
        let relative: string
        try {
          relative = sanitizeFileName(entry.fileName)
        } catch (error) {
          reject(new ZipRefusedError(name, error instanceof SaidError ? error.said : said((error as Error).message, (error as Error).message)))
          return
        }
        reopened.openReadStream(entry, (error, stream) => {
          if (error || !stream) {
            reject(error ?? new Error('cannot read entry'))
            return
          }
          const target = join(dir, relative)
          mkdir(dirname(target), { recursive: true })
            .then(() => pipeline(stream, createWriteStream(target)))
            .then(() => {
              written.push(relative)
              reopened.readEntry()
            }, reject)
        })
      })
      reopened.readEntry()
    })
  } catch (error) {
    reopened.close()
    throw error instanceof ZipRefusedError ? error : new ZipRefusedError(name, REFUSED.damaged((error as Error).message))
  }
  return written
}

/** Removes session directories not in `keep`. */
export async function removeSessionDirs(root: string, keep: ReadonlySet<string>): Promise<number> {
  let removed = 0
  for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory() && !keep.has(entry.name)) {
      await rm(join(root, entry.name), { recursive: true, force: true })
      removed += 1
    }
  }
  return removed
}
