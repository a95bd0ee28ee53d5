/** Storefront requests carry `Authorization: Bearer <storefront API key>`; the request learns whose. */
import type { FastifyInstance } from 'fastify'
import { bearerToken, hashApiKey } from '../http/auth.ts'
import { AppError } from '../http/errors.ts'
import type { ChangeFeed, Db } from '../store/index.ts'
import type { CustomerScope } from './scope.ts'
import { storefrontOfKeyHash } from './webhooks/index.ts'

const KEY_CACHE_MS = 5_000

declare module 'fastify' {
  interface FastifyRequest {
    /** The storefront whose API key the request carries. */
    storefrontId: string
    /** Which customers that storefront sees (null: all). */
    customerScope: CustomerScope | null
  }
}

/**
 * Keys recognised in the last few seconds are kept, so that a busy storefront costs no statement
 * per request for its key; a key taken away stops working when its change is announced
 * (store/changes.ts), and within KEY_CACHE_MS when no announcement arrives.
 */
export function requireStorefrontKey(app: FastifyInstance, db: Db, changes?: ChangeFeed): void {
  const known = new Map<string, { storefrontId: string; scope: CustomerScope | null; until: number }>()
  // A key revoked or a scope changed on any instance (or by the CLI) is dropped here when it commits.
  changes?.on('storefronts', () => known.clear())
  app.decorateRequest('storefrontId', '')
  app.decorateRequest('customerScope', null)
  app.addHook('onRequest', async (request) => {
    const key = bearerToken(request)
    if (!key) throw new AppError('UNAUTHORIZED', 'missing Authorization: Bearer <storefront API key>')
    const hash = hashApiKey(key)
    const cached = known.get(hash)
    if (cached && cached.until > Date.now()) {
      request.storefrontId = cached.storefrontId
      request.customerScope = cached.scope
      return
    }
    const storefront = await storefrontOfKeyHash(db, hash)
    if (!storefront) {
      known.delete(hash)
      throw new AppError('UNAUTHORIZED', 'unknown API key')
    }
    if (known.size > 1000) known.clear()
    known.set(hash, { storefrontId: storefront.id, scope: storefront.scope, until: Date.now() + KEY_CACHE_MS })
    request.storefrontId = storefront.id
    request.customerScope = storefront.scope
  })
}
