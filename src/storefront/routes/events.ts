/** The change feed, for storefronts that catch up without webhooks. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { feedFor } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { ErrorBody, FeedAnswer, FeedQuery } from '../schemas.ts'
import { visibleTo } from '../scope.ts'
import { webhookType } from '../webhooks/index.ts'

export const eventRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/events',
    {
      schema: {
        tags: ['changes'],
        operationId: 'listChanges',
        summary: 'The change feed',
        description:
          'The change feed: every change after `after`, in order; pass `next.after` back. The same messages as the webhooks, without the bodies: fetch the entity by id.',
        querystring: FeedQuery,
        response: { 200: FeedAnswer, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const read = await feedFor(db, request.storefrontId, request.query.after, request.query.limit)
      // Changes of customers out of the storefront's scope are left out; `next` still moves past them.
      const events = await visibleTo(db, request.customerScope, read)
      return {
        events: events.map((event) => ({
          seq: event.seq,
          type: event.messageType ?? webhookType(event.kind, event.type),
          kind: event.kind,
          key: event.key,
          version: event.version,
          createdAt: event.createdAt,
        })),
        next: { after: read.at(-1)?.seq ?? request.query.after },
      }
    },
  )
}
