/**
 * Child process for the crash test: applies a change and, inside the transaction after every
 * write, announces itself and waits to be killed.
 * argv: <postgres url> [schema]
 */
import { openPostgres } from '../../src/store/index.ts'
import { applyChanges, startRun } from '../../src/state/index.ts'
import { offer } from '../fixtures.ts'

const [connectionString, schema] = process.argv.slice(2)
if (!connectionString) throw new Error('usage: apply-and-hang <postgres url> [schema]')
const db = await openPostgres({ connectionString, schema })
const run = await startRun(db, 'crash-test', 'offers')
await applyChanges(db, run, [offer('a', { removed: true }), offer('b'), ...Array.from({ length: 3000 }, (_, index) => offer(`bulk-${index}`))], {
  beforeCommit: async () => {
    process.stdout.write('IN_TRANSACTION\n')
    await new Promise(() => {})
  },
})
