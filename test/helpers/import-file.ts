/** Imports CommerceML text or bytes through the same path the exchange uses, from a temp file. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { CommerceMlProfile, type CommerceMlProfile as Profile } from '../../src/onec/mapping/profile.ts'
import type { Db } from '../../src/store/index.ts'
import { importCommerceMlFile, type CmlImportResult } from '../../src/catalog/commerceml-import.ts'

export const defaultProfile: Profile = CommerceMlProfile.parse({
  product: {
    bonusEligible: { property: 'Оплата бонусами' },
    maxBonusPercent: { property: 'Максимальный процент оплаты бонусами' },
    priceGroup: { requisite: 'Ценовая группа' },
  },
})

export async function importText(
  db: Db,
  fileName: string,
  content: string | Buffer,
  options: { profile?: Profile; encoding?: string; dryRun?: boolean; worker?: boolean } = {},
): Promise<CmlImportResult> {
  const dir = await mkdtemp(join(tmpdir(), 'onec-bridge-cml-'))
  try {
    const path = join(dir, fileName)
    const bytes = typeof content === 'string' ? (options.encoding ? iconv.encode(content, options.encoding) : Buffer.from(content)) : content
    await writeFile(path, bytes)
    return await importCommerceMlFile(db, path, { profile: options.profile ?? defaultProfile, fileName, dryRun: options.dryRun ?? false, worker: options.worker ?? 'auto' })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function stored<T = Record<string, unknown>>(db: Db, kind: string, key: string): Promise<T | undefined> {
  const [row] = await db.query<{ data: T }>('select data from entity_state where kind = $1 and key = $2', [kind, key])
  return row?.data
}
