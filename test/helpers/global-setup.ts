/**
 * Builds, once, a PGlite database with every migration and pg-boss's tables, and hands its dump
 * to the test files: loading a dump takes a fraction of a second, creating pg-boss's schema
 * several. The dump is cached by the content of the migrations and the pg-boss version.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { createJobEngine, loadMigrations, migrate, openPglite } from '../../src/store/index.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
  }
}

export const TEST_JOB_SCHEMA = 'pgboss'

export default async function setup(project: TestProject): Promise<void> {
  const bossVersion = JSON.parse(await readFile(new URL('../../node_modules/pg-boss/package.json', import.meta.url), 'utf8')).version as string
  const fingerprint = createHash('sha256')
    .update(bossVersion)
    .update(JSON.stringify(await loadMigrations()))
    .digest('hex')
    .slice(0, 16)
  const file = join(tmpdir(), `onec-bridge-template-${fingerprint}.tar.gz`)
  if (!existsSync(file)) {
    const db = await openPglite()
    await migrate(db)
    const jobs = createJobEngine(db, { schema: TEST_JOB_SCHEMA, maintenance: false })
    await jobs.start()
    await jobs.stop({ graceful: false })
    if (db.driver.kind !== 'pglite') throw new Error('unreachable')
    const dump = await db.driver.pglite.dumpDataDir('gzip')
    await writeFile(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()))
    await rename(`${file}.tmp`, file)
    await db.close()
  }
  project.provide('pgliteTemplate', file)
}
