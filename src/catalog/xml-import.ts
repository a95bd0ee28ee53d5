/** A custom XML file (see XmlSource in the profile) → entities, through the same apply path as OData pulls. */
import { ownedElsewhere, type Owners } from '../domain/index.ts'
import type { Logger } from '../logger.ts'
import { countsText, runText, type Language } from '../onec/texts.ts'
import type { XmlProfile, XmlSource } from '../onec/mapping/odata-profile.ts'
import { mapRows } from '../onec/odata/index.ts'
import { matchesPattern, readXmlRecords } from '../onec/xml/read-records.ts'
import type { Db } from '../store/index.ts'
import { applySource, type PullResult } from './apply-source.ts'

/** Every source of the profile that reads this file, in profile order (a bonus file may feed customers, then their accounts). */
export function xmlSourcesFor(profile: XmlProfile | undefined, fileName: string): XmlSource[] {
  return profile?.sources.filter((source) => matchesPattern(fileName, source.match)) ?? []
}

/** One line for 1C's `import` answer and the CLI. */
export function summarizeXml(fileName: string, source: XmlSource, result: PullResult, language: Language = 'en'): string {
  const records = language === 'ru' ? `записей ${result.rows}` : `${result.rows} records`
  return `${fileName}: ${source.name}; ${records}, ${countsText(result.counts, language)}${runText(result.run?.id, language)}`
}

/**
 * Imports a file into each of its sources, one run each. Every source's records are read and
 * mapped before anything is written: a bad record in any of them fails the file naming record and
 * field, and nothing of it is applied.
 */
export async function importCustomXml(
  db: Db,
  path: string,
  fileName: string,
  profile: XmlProfile,
  sources: readonly XmlSource[],
  options: { dryRun?: boolean; logger?: Logger; owners?: Owners } = {},
): Promise<Array<{ source: XmlSource; result: PullResult }>> {
  const apply = (source: XmlSource, produce: Parameters<typeof applySource>[2]) =>
    applySource(db, { ...source, keep: ownedElsewhere(options.owners ?? {}, source.entity, source.name) }, produce, {
      runSource: `xml:${source.name}`,
      details: { file: fileName },
      dryRun: options.dryRun ?? false,
      logger: options.logger,
    })
  const mapped: Array<{ source: XmlSource; rows: number; pulled: Array<{ data: Record<string, unknown> }> }> = []
  for (const source of sources) {
    try {
      const records = await readXmlRecords(path, fileName, source.record)
      mapped.push({ source, rows: records.length, pulled: mapRows(source, records, { minorDigits: profile.minorDigits, timeZone: profile.timeZone }) })
    } catch (error) {
      // The failing source's run records why, naming record and field; nothing of the file is written.
      await apply(source, async () => {
        throw error
      })
    }
  }
  const results: Array<{ source: XmlSource; result: PullResult }> = []
  for (const { source, rows, pulled } of mapped) results.push({ source, result: await apply(source, async () => ({ rows, pulled })) })
  return results
}
