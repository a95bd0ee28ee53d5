/** The shapes of the storefront API: one zod schema each (the OpenAPI document at /docs is made from them). */
import { z } from 'zod'
import { BonusAccount, LineText } from '../domain/index.ts'

export const Versioned = { version: z.number().int(), updatedAt: z.string() }
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), details: z.unknown().optional() }) })
export const Limit = z.coerce.number().int().min(1).max(1000).default(100)
export const IdParams = z.object({ id: LineText(200, 1) })

export const SpendableBonus = BonusAccount.extend({ availableMinor: z.number().int(), sharedFrom: z.string().nullable() })

export const FeedQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: Limit })
export const FeedAnswer = z.object({
  events: z.array(z.object({ seq: z.number().int(), type: z.string(), kind: z.string(), key: z.string(), version: z.number().int(), createdAt: z.string() })),
  next: z.object({ after: z.number().int() }),
})
