import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { AppError } from './errors.ts'

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** Constant-time comparison of two secrets of any length. */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected))
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (!header) return null
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1] ?? null
}

/** A preHandler that lets a request through only with `Authorization: Bearer <token>`. */
export function requireBearer(token: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const given = bearerToken(request)
    if (given === null) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer <token>')
    if (!secretsEqual(given, token)) throw new AppError('UNAUTHORIZED', 'invalid token')
  }
}

/** API keys are kept as their SHA-256 only (shown once when made). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}
