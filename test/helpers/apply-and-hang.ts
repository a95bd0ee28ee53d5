/**
 * Child process for the crash test: applies a change and, inside the transaction after every
 * write, announces itself and waits to be killed.
 * argv: <pglite data dir> | <postgres url> <schema>
 */
import { openPglite, openPostgres } from '../../src/store/index.ts'
import { applyChanges, startRun } from '../../src/sync/index.ts'
import { offer } from '../fixtures.ts'

const [target, schema] = process.argv.slice(2)
if (!target) throw new Error('usage: apply-and-hang <data dir | postgres url> [schema]')
const db = target.startsWith('postgres') ? await openPostgres({ connectionString: target, schema }) : await openPglite({ dataDir: target })
const run = await startRun(db, 'crash-test', 'offers')
await applyChanges(
  db,
  run,
  [offer('a', { removed: true }), offer('b'), ...Array.from({ length: 3000 }, (_, index) => offer(`bulk-${index}`))],
  {
    beforeCommit: async () => {
      process.stdout.write('IN_TRANSACTION\n')
      await new Promise(() => {})
    },
  },
)
