import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../src/logger.ts'

function capture() {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()))
      done()
    },
  })
  return { lines, logger: createLogger('info', stream) }
}

describe('log redaction', () => {
  it('censors credentials in request headers and secrets in nested objects', () => {
    const { lines, logger } = capture()
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', host: 'x' } },
        exchange: { user: '1c', password: 'p4ss' },
        config: { auth: { adminToken: 'tok' } },
        webhook: { secret: 'whsec_x' },
        databaseUrl: 'postgres://u:pw@h/db',
        token: 't',
      },
      'hello',
    )
    const text = JSON.stringify(lines[0])
    for (const secret of ['Bearer abc', 'sid=1', 'p4ss', '"tok"', 'whsec_x', 'u:pw', '"t"']) expect(text).not.toContain(secret)
    expect(lines[0]).toMatchObject({ req: { headers: { host: 'x', authorization: '[redacted]' } }, exchange: { user: '1c', password: '[redacted]' } })
  })
})
