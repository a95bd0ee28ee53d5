/** A custom XML file (see XmlSource in the profile) → entities, through the same apply path as OData pulls. */
import type { Logger } from '../logger.ts'
import type { XmlProfile, XmlSource } from '../onec/mapping/odata-profile.ts'
import { mapRows } from '../onec/odata/index.ts'
import { matchesPattern, readXmlRecords } from '../onec/xml/read-records.ts'
import type { Db } from '../store/index.ts'
import { applySource, type PullResult } from './apply-source.ts'

export function xmlSourceFor(profile: XmlProfile | undefined, fileName: string): XmlSource | undefined {
  return profile?.sources.find((source) => matchesPattern(fileName, source.match))
}

/** One line for 1C's `import` answer and the CLI. */
export function summarizeXml(fileName: string, source: XmlSource, result: PullResult): string {
  const { counts } = result
  return `${fileName}: ${source.name}; ${result.rows} records, ${counts.seen} seen, ${counts.created} new, ${counts.updated} changed, ${counts.unchanged} unchanged${result.run ? ` (run ${result.run.id})` : ''}`
}

export async function importCustomXml(
  db: Db,
  path: string,
  fileName: string,
  profile: XmlProfile,
  source: XmlSource,
  options: { dryRun?: boolean; logger?: Logger } = {},
): Promise<PullResult> {
  return applySource(
    db,
    source,
    async () => {
      const records = await readXmlRecords(path, fileName, source.record)
      return { rows: records.length, pulled: mapRows(source, records, { minorDigits: profile.minorDigits, timeZone: profile.timeZone }) }
    },
    { runSource: `xml:${source.name}`, details: { file: fileName }, dryRun: options.dryRun ?? false, logger: options.logger },
  )
}
