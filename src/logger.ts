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
  ...['password', 'token', 'secret', 'secrets', 'adminToken', 'apiKey', 'authorization', 'cookie', 'sessid', 'databaseUrl', 'connectionString'].flatMap((name) => [
    name,
    `*.${name}`,
    `*.*.${name}`,
  ]),
]

const CENSOR = '[redacted]'

/**
 * Names of query parameters and `name=value` pairs whose value is a credential: 1C-Bitrix-style
 * `sessid`, the exchange cookie, tokens, keys, passwords, signatures.
 */
const SECRET_NAME = /^(?:.*(?:sess|token|key|pass|pwd|secret|sig|auth|cookie|jwt|bearer).*|onec_bridge_exchange|sid|code)$/i
const PAIR = /([?&;,\s"']|^)([A-Za-z][\w.-]{0,63})=([^&;,\s"'<>]*)/g
const SCHEME_CREDENTIAL = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/g

/** The text with every `secret=value` pair and `Bearer`/`Basic` credential censored (URLs, messages, stored errors). */
export function redactText(text: string): string {
  if (!text.includes('=') && !/Bearer|Basic/.test(text)) return text
  return text
    .replace(PAIR, (whole, before: string, name: string) => (SECRET_NAME.test(name) ? `${before}${name}=${CENSOR}` : whole))
    .replace(SCHEME_CREDENTIAL, (_, scheme: string) => `${scheme} ${CENSOR}`)
}

/** The request as logged: its URL without secret query parameters (fastify's own fields otherwise). */
function requestSerializer(request: { method?: string; url?: string; host?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) {
  return {
    method: request.method,
    url: request.url === undefined ? undefined : redactText(request.url),
    host: request.host ?? request.hostname,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }
}

function errorSerializer(error: Error) {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>
  for (const field of ['message', 'stack']) {
    const value = serialized[field]
    if (typeof value === 'string') serialized[field] = redactText(value)
  }
  return serialized
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'onec-bridge' },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      serializers: { req: requestSerializer, err: errorSerializer },
      // The message text too: a URL or an error quoted in it keeps no secret.
      hooks: {
        logMethod(args, method) {
          for (let index = 0; index < args.length; index += 1) if (typeof args[index] === 'string') args[index] = redactText(args[index] as string)
          method.apply(this, args as Parameters<typeof method>)
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
}

export type { Logger }
