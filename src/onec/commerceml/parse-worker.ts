/** Worker thread body of parseCmlFile: parses one file and posts its batches, a few ahead at most. */
import { yieldToRequests } from '../../store/bulk-priority.ts'
import { parentPort, workerData } from 'node:worker_threads'
import { parseInline, PARSE_AHEAD, type WorkerInput, type WorkerMessage } from './parse-file.ts'
import { XmlInputError } from './xml-stream.ts'

yieldToRequests()

const input = workerData as WorkerInput
const port = parentPort
if (!port) throw new Error('parse-worker.ts runs as a worker thread')

let outstanding = 0
let wake: (() => void) | null = null
port.on('message', () => {
  outstanding -= 1
  wake?.()
  wake = null
})

const send = (message: WorkerMessage) => port.postMessage(message)

try {
  const summary = await parseInline(
    input.path,
    {
      fileName: input.fileName,
      profile: input.profile,
      lean: true,
      offerKeep: input.offerKeep,
      refs: {
        priceTypes: new Map(input.priceTypes.map((ref) => [ref.id, ref])),
        properties: new Map(input.properties.map((item) => [item.id, item])),
        warehouses: new Map(input.warehouses.map((ref) => [ref.id, ref])),
      },
    },
    async (batch) => {
      while (outstanding >= PARSE_AHEAD) await new Promise<void>((resolve) => (wake = resolve))
      outstanding += 1
      send({ type: 'batch', batch })
    },
  )
  send({ type: 'end', summary })
} catch (error) {
  const xml = error instanceof XmlInputError
  send({
    type: 'error',
    error: xml ? { message: error.message, file: error.file, path: error.path, line: error.line, said: error.said, xml } : { message: (error as Error).message, xml },
  })
}
