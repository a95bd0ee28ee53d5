/**
 * УТ 11's side of «Обмен с сайтом» (common module ОбменССайтом): HTTP Basic on every request,
 * the cookie from `checkauth` (line 2 = name, line 3 = value) on every later one, `init` read as
 * exactly two lines, files larger than `file_limit` cut and posted raw under the same name, a zip
 * of the upload when the site says `zip=yes` (one archive `v8_XXXX_N.zip`, then `import` with
 * the XML names inside it), `import` repeated while the first line is `progress`. A first line
 * other than success/progress/failure is «неизвестный статус» — an error, as in 1C.
 */
import yazl from 'yazl'

export class ExchangeFailure extends Error {}

export interface SiteOptions {
  /** The site's exchange address: `http://host:8080/1c/exchange`. */
  url: string
  user: string
  password: string
  /** Pause between `import` calls while the site answers `progress`, ms. */
  pollMs?: number
  /** Longest wait for one file's import, ms. */
  importTimeoutMs?: number
  log?: (line: string) => void
}

export interface SiteSession {
  cookie: string
  timestamp: string
  zip: boolean
  fileLimit: number
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim().toLowerCase()
}

// Long on purpose: the protocol's steps share one login, one way of calling and of reading answers,
// which this closure holds; each step itself is a few lines.
// eslint-disable-next-line max-lines-per-function
export function createSiteClient(options: SiteOptions) {
  const auth = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`
  const log = options.log ?? (() => undefined)

  async function call(type: string, query: string, session: SiteSession | null, body?: Buffer): Promise<{ status: number; text: string; bytes: Buffer }> {
    const response = await fetch(`${options.url}?type=${type}&${query}`, {
      method: body ? 'POST' : 'GET',
      headers: {
        authorization: auth,
        'user-agent': '1C+Enterprise/8.3',
        ...(session?.cookie && { cookie: session.cookie }),
        ...(body && { 'content-type': 'application/octet-stream' }),
      },
      ...(body && { body }),
      signal: AbortSignal.timeout(180_000),
    })
    const bytes = Buffer.from(await response.arrayBuffer())
    if (bytes.length === 0) throw new ExchangeFailure(`Получен пустой ответ сервера (HTTP ${response.status}, ${query})`)
    return { status: response.status, text: bytes.toString('utf8'), bytes }
  }

  async function checkauth(type: string): Promise<SiteSession> {
    const { text, status } = await call(type, 'mode=checkauth', null)
    const lines = text.split('\n').map((line) => line.trim())
    if (lines[0]?.toLowerCase() !== 'success') throw new ExchangeFailure(`Ошибка авторизации на сайте (HTTP ${status}): ${text.trim()}`)
    return { cookie: `${lines[1]}=${lines[2]}`, timestamp: (lines.find((line) => line.startsWith('timestamp=')) ?? '').slice('timestamp='.length), zip: false, fileLimit: -1 }
  }

  async function init(type: string, session: SiteSession): Promise<void> {
    const { text } = await call(type, 'mode=init', session)
    const lines = text.split('\n').filter((line) => line.trim() !== '')
    if (lines.length !== 2) throw new ExchangeFailure(`Не удалось прочитать ответ сервера. Параметры обмена не получены: ${text.trim()}`)
    session.zip = lines[0]?.trim().toLowerCase() === 'zip=yes'
    const limit = Number((lines[1] ?? '').trim().replace(/^file_limit=/, ''))
    session.fileLimit = Number.isFinite(limit) && limit > 0 ? limit : -1
  }

  async function upload(type: string, session: SiteSession, name: string, bytes: Buffer): Promise<number> {
    const limit = session.fileLimit > 0 ? session.fileLimit : bytes.length
    let chunks = 0
    for (let offset = 0; offset < bytes.length || chunks === 0; offset += limit) {
      const { text } = await call(type, `mode=file&filename=${encodeURIComponent(name)}`, session, bytes.subarray(offset, offset + limit))
      const status = firstLine(text)
      if (status === 'failure') throw new ExchangeFailure(`Ошибка загрузки файла ${name} на сайт: ${text.split('\n').slice(1).join(' ').trim()}`)
      if (status !== 'success') throw new ExchangeFailure(`Не получен статус завершения операции при загрузке ${name}: ${text.trim().slice(0, 200)}`)
      chunks += 1
    }
    return chunks
  }

  async function importFile(type: string, session: SiteSession, name: string): Promise<string> {
    const until = Date.now() + (options.importTimeoutMs ?? 600_000)
    for (let polls = 1; ; polls += 1) {
      const { text } = await call(type, `mode=import&filename=${encodeURIComponent(name)}`, session)
      const status = firstLine(text)
      const rest = text.split('\n').slice(1).join(' ').trim()
      if (status === 'success') return rest
      if (status === 'failure') throw new ExchangeFailure(`Ошибка загрузки данных на сайте (${name}): ${rest}`)
      if (status !== 'progress') throw new ExchangeFailure(`Произошла ошибка на стороне сервера. Получен неизвестный статус импорта: ${text.trim().slice(0, 200)}`)
      if (Date.now() > until) throw new ExchangeFailure(`Сайт не закончил загрузку ${name} за отведённое время (${polls} запросов)`)
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100))
    }
  }

  async function zipOf(files: Array<{ name: string; bytes: Buffer }>): Promise<Buffer> {
    const zip = new yazl.ZipFile()
    for (const file of files) zip.addBuffer(file.bytes, file.name)
    zip.end()
    const chunks: Buffer[] = []
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  /** One portion, as ВыгрузитьДанныеНаСайт sends it: a session of its own, the files, then `import` of each XML. */
  async function sendPortion(type: string, files: Array<{ name: string; bytes: Buffer }>): Promise<{ session: SiteSession; answers: string[]; chunks: number }> {
    const session = await checkauth(type)
    await init(type, session)
    let chunks = 0
    if (session.zip) {
      const name = `v8_${Math.floor(Math.random() * 0xffff)
        .toString(16)
        .toUpperCase()
        .padStart(4, '0')}_${Math.floor(Math.random() * 0xfff).toString(16)}.zip`
      chunks += await upload(type, session, name, await zipOf(files))
    } else {
      for (const file of files) chunks += await upload(type, session, file.name, file.bytes)
    }
    const answers: string[] = []
    for (const file of files) {
      if (!file.name.endsWith('.xml')) continue
      answers.push(await importFile(type, session, file.name))
      log(answers.at(-1) ?? file.name)
    }
    return { session, answers, chunks }
  }

  /** `mode=deactivate&timestamp=` and `mode=complete`, as the 1C-Bitrix exchange module ends a full exchange. */
  async function finish(type: string, timestamp: string): Promise<void> {
    const session = await checkauth(type)
    for (const query of [`mode=deactivate&timestamp=${encodeURIComponent(timestamp)}`, 'mode=complete']) {
      const { text } = await call(type, query, session)
      if (firstLine(text) !== 'success') throw new ExchangeFailure(`Сайт не завершил обмен (${query}): ${text.trim()}`)
    }
  }

  /** The order exchange's download (ЗагрузитьЗаказыССайта): checkauth → query → the XML; `success` after 1C stored it. */
  async function queryOrders(): Promise<{ session: SiteSession; xml: Buffer }> {
    const session = await checkauth('sale')
    const { bytes } = await call('sale', 'mode=query', session)
    const start = bytes.subarray(0, 5).toString('latin1')
    if (!start.startsWith('<?xml') && !start.startsWith('PK'))
      throw new ExchangeFailure(`Не удалось прочитать данные, загруженные с сервера: ${bytes.subarray(0, 120).toString('utf8')}`)
    return { session, xml: bytes }
  }

  async function confirmOrders(session: SiteSession): Promise<void> {
    const { text } = await call('sale', 'mode=success', session)
    if (firstLine(text) !== 'success') throw new ExchangeFailure(`Сайт не подтвердил получение заказов: ${text.trim()}`)
  }

  return { sendPortion, finish, queryOrders, confirmOrders }
}

export type SiteClient = ReturnType<typeof createSiteClient>
