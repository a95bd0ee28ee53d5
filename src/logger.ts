import pino, { type DestinationStream, type Logger } from 'pino'

/**
 * Paths censored in every log line: credentials in headers, and anything named like a secret
 * one or two levels deep (`{ exchange: { password } }`, `{ config: { auth: { adminToken } } }`).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...['password', 'token', 'secret', 'secrets', 'adminToken', 'apiKey', 'authorization', 'databaseUrl', 'connectionString'].flatMap((name) => [name, `*.${name}`, `*.*.${name}`]),
]

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'onec-bridge' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
}

export type { Logger }
