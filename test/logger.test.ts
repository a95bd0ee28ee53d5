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
        req: { method: 'GET', url: '/1c/exchange?type=sale&mode=query&sessid=abc123', host: 'x', headers: { authorization: 'Bearer abc', cookie: 'sid=1' } },
        headers: { authorization: 'Bearer abc', cookie: 'sid=1', host: 'x' },
        exchange: { user: '1c', password: 'p4ss' },
        config: { auth: { adminToken: 'tok' } },
        webhook: { secret: 'whsec_x' },
        databaseUrl: 'postgres://u:pw@h/db',
        token: 't',
      },
      'hello',
    )
    const text = JSON.stringify(lines[0])
    for (const secret of ['Bearer abc', 'sid=1', 'abc123', 'p4ss', '"tok"', 'whsec_x', 'u:pw', '"t"']) expect(text).not.toContain(secret)
    // A request is logged by method, URL (secret parameters censored) and host; its headers not at all.
    expect(lines[0]).toMatchObject({
      req: { method: 'GET', url: '/1c/exchange?type=sale&mode=query&sessid=[redacted]', host: 'x' },
      headers: { host: 'x', authorization: '[redacted]', cookie: '[redacted]' },
      exchange: { user: '1c', password: '[redacted]' },
    })
    expect(lines[0]?.req).not.toHaveProperty('headers')
  })

  it('censors secrets quoted in messages and errors: name=value pairs named like a secret, Bearer and Basic credentials', () => {
    const { lines, logger } = capture()
    logger.warn('retrying https://shop.example/hook?token=t0k3n&page=2 with Authorization: Bearer abcdef123456')
    logger.error({ err: new Error('GET /x?api_key=k3y&sessid=s1d failed; cookie onec_bridge_exchange=c00kie') }, 'failed: password=hunter2 user=1c')
    const text = JSON.stringify(lines)
    for (const secret of ['t0k3n', 'abcdef123456', 'k3y', 's1d', 'c00kie', 'hunter2']) expect(text).not.toContain(secret)
    expect(lines[0]?.msg).toBe('retrying https://shop.example/hook?token=[redacted]&page=2 with Authorization: Bearer [redacted]')
    expect(lines[1]?.msg).toBe('failed: password=[redacted] user=1c')
    expect((lines[1]?.err as { message: string }).message).toBe('GET /x?api_key=[redacted]&sessid=[redacted] failed; cookie onec_bridge_exchange=[redacted]')
  })
})
