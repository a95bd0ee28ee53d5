/**
 * Thread body of a large CommerceML import: the whole import (its transaction, change detection,
 * the SQL it sends) runs here on a connection of its own, with the parser on a thread of its
 * own beneath it. The service's event loop only waits for the answer, so exchange answers and
 * quotes stay fast while a 400 MB file imports, and this thread's heap has a fixed ceiling.
 */
import { readFileSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { yieldToRequests } from '../store/bulk-priority.ts'
import { InvalidEntityError } from '../domain/index.ts'
import { XmlInputError } from '../onec/commerceml/xml-stream.ts'
import { openPostgres } from '../store/db.ts'
import { importHere, type CmlImportOptions, type ImportThreadInput, type ImportThreadMessage } from './commerceml-import.ts'

const input = workerData as ImportThreadInput
const port = parentPort
if (!port) throw new Error('import-thread.ts runs as a worker thread')
const send = (message: ImportThreadMessage) => port.postMessage(message)

yieldToRequests()
// One connection: the import's transaction, and the server process behind it is known.
const db = await openPostgres({
  connectionString: input.connectionString,
  schema: input.schema,
  settings: input.settings,
  max: 1,
  applicationName: `onec-bridge import ${process.pid}`,
})
const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(input.connectionString).hostname)
if (local) {
  // The PostgreSQL process serving this import works at the same lower priority (only a local one, and only a PostgreSQL process).
  const [row] = await db.query<{ pid: number }>('select pg_backend_pid() as pid')
  const comm = row ? readComm(row.pid) : ''
  if (row && comm === 'postgres') yieldToRequests(row.pid)
}

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

try {
  const options: CmlImportOptions = { ...input.options, worker: true, onProgress: (message) => send({ type: 'progress', message }), onRun: (id) => send({ type: 'run', id }) }
  send({ type: 'done', result: await importHere(db, input.path, options) })
} catch (error) {
  send({
    type: 'error',
    error:
      error instanceof XmlInputError
        ? { kind: 'xml', message: error.message, file: error.file, said: error.said, path: error.path, line: error.line }
        : error instanceof InvalidEntityError
          ? { kind: 'entity', message: error.message, entityKind: error.kind, key: error.key }
          : { kind: 'other', message: (error as Error).message },
  })
} finally {
  await db.close()
}
