/**
 * The catalogue's content a shop builds its pages from: the group tree, the properties, products
 * a page at a time (by group) with their group path, one product with its offers. Pictures are
 * served at /media (media.ts), outside the key: a shop's visitors load them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { LineText, type Group } from '../../domain/index.ts'
import { AppError } from '../../http/errors.ts'
import { offersOfProduct, readAll, readEntity, readPage, type StateView } from '../../state/index.ts'
import type { Db } from '../../store/index.ts'
import { Cursor, decodeCursor, encodeCursor, ErrorBody, GroupView, IdParams, Limit, NextCursor, ProductDetail, ProductView, PropertyView } from '../schemas.ts'

type GroupRow = StateView<'group'>

/** The tree in reading order: parents before children, siblings in 1C's order; a group whose parent is unknown is a root. */
function treeOrder(groups: GroupRow[]): Array<GroupRow & { depth: number }> {
  const known = new Set(groups.map((group) => group.id))
  const children = new Map<string | null, GroupRow[]>()
  for (const group of groups) {
    const parent = group.parentId !== null && known.has(group.parentId) ? group.parentId : null
    children.set(parent, [...(children.get(parent) ?? []), group])
  }
  const out: Array<GroupRow & { depth: number }> = []
  const visit = (parent: string | null, depth: number) => {
    for (const group of (children.get(parent) ?? []).sort((a, b) => a.order - b.order || a.name.localeCompare(b.name, 'ru'))) {
      out.push({ ...group, depth })
      visit(group.id, depth + 1)
    }
  }
  visit(null, 0)
  return out
}

/** The product's first group and its parents, root first (a breadcrumb); a broken chain ends where it breaks. */
function groupPath(groups: ReadonlyMap<string, Group>, groupIds: readonly string[]): Array<{ id: string; name: string }> {
  const path: Array<{ id: string; name: string }> = []
  const seen = new Set<string>()
  for (let id: string | null | undefined = groupIds[0]; id && !seen.has(id); id = groups.get(id)?.parentId) {
    seen.add(id)
    const group = groups.get(id)
    path.unshift({ id, name: group?.name ?? '' })
  }
  return path
}

/** `groupId` and every group below it: a category page lists its subgroups' goods too. */
function withSubgroups(groups: GroupRow[], groupId: string): string[] {
  const children = new Map<string, string[]>()
  for (const group of groups) if (group.parentId !== null) children.set(group.parentId, [...(children.get(group.parentId) ?? []), group.id])
  const out = new Set([groupId])
  for (const id of out) for (const child of children.get(id) ?? []) out.add(child)
  return [...out]
}

const ProductsQuery = z.object({
  cursor: Cursor.optional(),
  limit: Limit,
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  groupId: LineText(200, 1).optional(),
  /** With `groupId`: also the products of its subgroups (default), or only the group's own (`false`). */
  subgroups: z.enum(['true', 'false']).default('true'),
})

export const contentRoutes: FastifyPluginAsyncZod<{ db: Db }> = async (app, { db }) => {
  const schema = { tags: ['catalogue'] }
  const groupMap = async () => {
    const groups = await readAll(db, 'group')
    return { groups, byId: new Map<string, Group>(groups.map((group) => [group.id, group])) }
  }

  app.get(
    '/groups',
    {
      schema: {
        ...schema,
        operationId: 'listGroups',
        summary: 'The catalogue’s group tree',
        description: 'Every group (Классификатор/Группы) not removed, in tree order: parents before children, siblings in 1C’s order, with `parentId` and `depth`.',
        response: { 200: z.object({ groups: z.array(GroupView) }), 401: ErrorBody },
      },
    },
    async () => ({ groups: treeOrder(await readAll(db, 'group')) }),
  )

  app.get(
    '/properties',
    {
      schema: {
        ...schema,
        operationId: 'listProperties',
        summary: 'Properties of products and offers',
        description: 'Each property with its value type and, for reference values (Справочник), value Ид → text.',
        response: { 200: z.object({ properties: z.array(PropertyView) }), 401: ErrorBody },
      },
    },
    async () => ({ properties: await readAll(db, 'property') }),
  )

  app.get(
    '/products',
    {
      schema: {
        ...schema,
        operationId: 'listProducts',
        summary: 'Products, a page at a time',
        description:
          'Products in key order, a page at a time (pass `next.cursor` back), with their content and `groupPath`. `groupId` keeps the products of that group and its subgroups (`subgroups=false`: the group’s own); `updatedSince` only those changed after it.',
        querystring: ProductsQuery,
        response: { 200: z.object({ products: z.array(ProductView), next: NextCursor }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const { cursor, limit, updatedSince, groupId, subgroups } = request.query
      const { groups, byId } = await groupMap()
      const groupIds = groupId === undefined ? undefined : subgroups === 'true' ? withSubgroups(groups, groupId) : [groupId]
      const page = await readPage(db, 'product', { after: decodeCursor(cursor), updatedSince, limit, groupIds })
      return {
        products: page.items.map((product) => ({ ...product, groupPath: groupPath(byId, product.groupIds) })),
        next: page.next === null ? null : { cursor: encodeCursor(page.next) },
      }
    },
  )

  app.get(
    '/products/:id',
    {
      schema: {
        ...schema,
        operationId: 'getProduct',
        summary: 'A product with its offers',
        description: 'The product’s content, its `groupPath`, and its offers (variants) with prices and stock.',
        params: IdParams,
        response: { 200: ProductDetail, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const product = await readEntity(db, 'product', request.params.id)
      if (!product) throw new AppError('NOT_FOUND', `no product ${JSON.stringify(request.params.id)}`)
      const { byId } = await groupMap()
      return { ...product, groupPath: groupPath(byId, product.groupIds), offers: await offersOfProduct(db, product.id) }
    },
  )
}
