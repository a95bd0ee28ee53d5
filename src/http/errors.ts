/**
 * One catalogue of error codes with their HTTP status, and one error handler that answers
 * `{ error: { code, message, requestId, details? } }`.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { QuoteInputError } from '../domain/index.ts'

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const

export type ErrorCode = keyof typeof ERROR_STATUS

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.details = options.details
  }

  get status(): number {
    return ERROR_STATUS[this.code]
  }
}

/** Errors of the pure rules (domain/), which know no HTTP, and the code each answers with. */
const DOMAIN_ERRORS: ReadonlyArray<readonly [new (...args: never[]) => Error, ErrorCode]> = [[QuoteInputError, 'BAD_REQUEST']]

function classify(error: FastifyError | Error): AppError {
  if (error instanceof AppError) return error
  const known = DOMAIN_ERRORS.find(([type]) => error instanceof type)
  if (known) return new AppError(known[1], error.message, { cause: error })
  const fastifyError = error as FastifyError
  if (fastifyError.validation) {
    return new AppError('BAD_REQUEST', error.message, { details: fastifyError.validation })
  }
  // PostgreSQL keeps no NUL in text (22021) nor what the database's encoding lacks (22P05): the request's fault, whatever field it came in.
  const storeCode = (error as { code?: unknown }).code
  if (storeCode === '22021' || storeCode === '22P05') return new AppError('BAD_REQUEST', `a value in the request holds a character that cannot be stored (${error.message})`)
  const status = fastifyError.statusCode
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', error.message)
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message)
  if (status === 404) return new AppError('NOT_FOUND', error.message)
  if (status !== undefined && status >= 400 && status < 500) return new AppError('BAD_REQUEST', error.message)
  return new AppError('INTERNAL', 'internal error', { cause: error })
}

export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = classify(error)
  if (appError.code === 'INTERNAL') request.log.error({ err: error }, 'request failed')
  return reply.status(appError.status).send({
    error: {
      code: appError.code,
      message: appError.message,
      requestId: request.id,
      ...(appError.details !== undefined && { details: appError.details }),
    },
  })
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return handleError(new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`), request, reply)
}
