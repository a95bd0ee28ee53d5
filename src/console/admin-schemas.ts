/**
 * What the admin API answers, as the OpenAPI document names it. Rows are open objects: the fields
 * a tool relies on are typed, the rest (times, counts, details) pass as the store keeps them.
 */
import { z } from 'zod'

/**
 * An open object: the document lists `shape`, the answer keeps every key. Typed as unknown for the
 * handlers, whose rows come from the store untyped.
 */
export const Row = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape) as unknown as z.ZodType<unknown>

export const RunRow = Row({ source: z.string(), kind: z.string(), status: z.string() })
export const EventRow = Row({ kind: z.string(), key: z.string(), type: z.string() })
export const RunsPage = z.object({ runs: z.array(RunRow), next: Row({}).nullable() })
export const RunDetail = z.object({ run: RunRow, events: z.array(EventRow) })
/** `owners`: the fields of this kind that one source alone writes (the profile's `owners`), field → source. */
export const EntityDetail = Row({ version: z.number().int(), history: z.array(Row({})), owners: z.record(z.string(), z.string()) })
export const EventsPage = z.object({ events: z.array(EventRow), next: Row({}) })
export const BonusDetail = Row({ customerId: z.string(), heldMinor: z.number().int(), availableMinor: z.number().int(), holds: z.array(Row({ orderId: z.string() })) })
export const OrdersList = z.object({ orders: z.array(Row({ id: z.string(), status: z.string() })) })
export const OrderDetail = Row({ id: z.string(), status: z.string(), history: z.array(Row({})), holds: z.array(Row({})) })
export const StorefrontsList = z.object({ storefronts: z.array(Row({ id: z.string(), url: z.string(), enabled: z.boolean(), origin: z.string() })) })
export const StorefrontSettings = Row({ id: z.string(), url: z.string(), enabled: z.boolean() })
export const DeliveriesList = z.object({ deliveries: z.array(Row({ status: z.string(), type: z.string() })) })
export const DeliveryState = Row({ status: z.string() })
export const Recovered = z.object({ storefront: z.string(), since: z.string(), dryRun: z.boolean(), count: z.number().int() })
export const SourcesList = z.object({ configured: z.boolean(), sources: z.array(Row({ name: z.string(), entity: z.string(), set: z.string() })) })
export const PullQueued = z.object({ queued: z.boolean(), jobId: z.string().nullable(), message: z.string() })
