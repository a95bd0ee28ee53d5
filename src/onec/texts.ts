/**
 * What 1C's operator reads: «Обмен с сайтом» writes the site's answers into its exchange log line
 * by line. Russian by default, English by config (`exchange.language`). Each text is written in both
 * languages where it is raised (`said`), never translated after the fact; a library's own words
 * (a parser's, a schema's) are kept as they are behind a Russian sentence that says where and what.
 */
export type Language = 'ru' | 'en'

export interface Said {
  readonly ru: string
  readonly en: string
}

export const said = (ru: string, en: string): Said => ({ ru, en })
export const say = (text: Said | string, language: Language): string => (typeof text === 'string' ? text : text[language])

/** An error 1C's operator reads: its message is the English text, `said` both. */
export class SaidError extends Error {
  readonly said: Said
  constructor(text: Said) {
    super(text.en)
    this.name = 'SaidError'
    this.said = text
  }
}

/** An error that can put itself in a sentence for the operator (a file's line and element, a zip's entry). */
interface Explains {
  sentence(language: Language): string
}
const explains = (error: unknown): error is Explains => typeof (error as Partial<Explains> | null)?.sentence === 'function'

/** Any error as the operator reads it: our own in their words, anything else behind «ошибка:». */
export function explain(error: unknown, language: Language): string {
  if (explains(error)) return error.sentence(language)
  if (error instanceof SaidError) return error.said[language]
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof Error && error.name === 'InvalidEntityError') {
    const { kind, key } = error as Error & { kind: string; key: string }
    const detail = message.replace(/^.*? is invalid: /, '')
    return language === 'ru' ? `запись ${kind} «${key}» не принята: ${detail}` : message
  }
  return language === 'ru' ? `ошибка: ${message}` : message
}

/** Counts as 1C's log shows them. */
export interface Counts {
  seen: number
  created: number
  updated: number
  removed: number
  unchanged: number
}

export function countsText(counts: Counts, language: Language): string {
  return language === 'ru'
    ? `принято ${counts.seen}: новых ${counts.created}, изменено ${counts.updated}, удалено ${counts.removed}, без изменений ${counts.unchanged}`
    : `${counts.seen} seen, ${counts.created} new, ${counts.updated} changed, ${counts.removed} removed, ${counts.unchanged} unchanged`
}

const KIND_NAMES: Record<string, Said> = {
  group: said('группы', 'groups'),
  property: said('свойства', 'properties'),
  product: said('товары', 'products'),
  offer: said('предложения', 'offers'),
  price_type: said('типы цен', 'price types'),
  warehouse: said('склады', 'warehouses'),
}

/** What was seen of each kind: «группы 97, свойства 1908, товары 0». */
export function kindsText(byKind: Partial<Record<string, { seen: number }>>, language: Language): string {
  return Object.entries(KIND_NAMES)
    .flatMap(([kind, name]) => (byKind[kind] ? [`${name[language]} ${byKind[kind].seen}`] : []))
    .join(', ')
}

const PACKAGE_NAMES: Record<string, Said> = {
  catalog: said('каталог', 'catalog'),
  offers: said('предложения', 'offers'),
  offerChanges: said('изменения предложений', 'offer changes'),
  classifier: said('классификатор', 'classifier'),
  documents: said('документы', 'documents'),
  counterparties: said('контрагенты', 'counterparties'),
  empty: said('пусто', 'empty'),
}

/** The file's kind (`catalog+offers`) in the operator's words. */
export function packageText(kind: string, language: Language): string {
  return kind
    .split('+')
    .map((part) => PACKAGE_NAMES[part]?.[language] ?? part)
    .join(' + ')
}

export const runText = (runId: number | undefined, language: Language) => (runId === undefined ? '' : language === 'ru' ? ` (прогон ${runId})` : ` (run ${runId})`)
