/**
 * The OpenAPI document is fit for client generators (openapi-typescript, OpenAPI Generator's PHP
 * clients, Jane): every operation has an operationId, a summary, a security scheme and a response
 * schema for every status it answers, the errors share one shape, bodies are named component
 * schemas, webhook messages are schemas, and nothing in it uses oneOf/anyOf.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildStorefrontApp, type TestApp } from './helpers/app.ts'

type Operation = {
  operationId?: string
  summary?: string
  security?: Array<Record<string, string[]>>
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> }
  responses?: Record<string, { content?: Record<string, { schema: unknown }> }>
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } }

let t: TestApp
let doc: Document
beforeAll(async () => {
  t = await buildStorefrontApp()
  doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json()
})
afterAll(async () => {
  await t.close()
})

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, operation })))

/** Every place under `value` that holds one of `keys`, as a path. */
function findKeys(value: unknown, keys: readonly string[], at = '#'): string[] {
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => [...(keys.includes(key) ? [`${at}/${key}`] : []), ...findKeys(inner, keys, `${at}/${key}`)])
}

describe('the OpenAPI document', () => {
  it('every operation has an operationId (unique), a summary and a security scheme, except health checks and the public pictures', () => {
    const problems: string[] = []
    const ids = new Set<string>()
    for (const { name, path, operation } of operations()) {
      if (!operation.operationId) problems.push(`${name}: no operationId`)
      else if (ids.has(operation.operationId)) problems.push(`${name}: operationId ${operation.operationId} twice`)
      else ids.add(operation.operationId)
      if (!operation.summary) problems.push(`${name}: no summary`)
      const open = path === '/health' || path === '/ready' || path === '/media/{file}'
      if (!open && !operation.security?.length) problems.push(`${name}: no security`)
      for (const requirement of operation.security ?? [])
        for (const scheme of Object.keys(requirement)) if (!doc.components.securitySchemes[scheme]) problems.push(`${name}: unknown scheme ${scheme}`)
    }
    expect(problems).toEqual([])
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminToken', 'storefrontKey'])
    expect(operations().length).toBeGreaterThan(25)
  })

  it('storefront operations declare a schema for every status they answer, errors as the shared Error', () => {
    const problems: string[] = []
    for (const { name, path, operation } of operations()) {
      if (!path.startsWith('/api/v1/')) continue
      const responses = operation.responses ?? {}
      const success = Object.keys(responses).filter((status) => status.startsWith('2'))
      if (success.length === 0) problems.push(`${name}: no 2xx response`)
      for (const status of [...success, '401']) if (!responses[status]?.content?.['application/json']?.schema) problems.push(`${name}: no schema for ${status}`)
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]/.test(status)) continue
        const schema = response.content?.['application/json']?.schema as { $ref?: string } | undefined
        if (schema?.$ref !== '#/components/schemas/Error') problems.push(`${name}: ${status} is not the shared Error`)
      }
      if (operation.requestBody) {
        const schema = operation.requestBody.content['application/json']?.schema
        if (!schema?.$ref) problems.push(`${name}: its body is not a named schema`)
      }
    }
    expect(problems).toEqual([])
    // The admin API: errors as Error everywhere; what the run-time storefront operations answer, typed.
    const admin: string[] = []
    for (const { name, path, operation } of operations()) {
      if (!path.startsWith('/admin/api/')) continue
      for (const status of ['400', '401', '404'])
        if ((operation.responses?.[status]?.content?.['application/json']?.schema as { $ref?: string })?.$ref !== '#/components/schemas/Error') admin.push(`${name}: ${status}`)
    }
    for (const [path, method, status] of [
      ['/admin/api/storefronts', 'post', '201'],
      ['/admin/api/storefronts/{id}/secrets', 'post', '201'],
      ['/admin/api/storefronts/{id}/keys', 'post', '201'],
      ['/admin/api/storefronts/{id}/backfill', 'post', '202'],
    ] as const) {
      if (!doc.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema) admin.push(`${method} ${path}: no schema for ${status}`)
    }
    // Every operation says what its success carries.
    for (const { name, operation } of operations()) {
      const success = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'))
      const typed = (response: { content?: Record<string, { schema?: unknown }> }) => Object.values(response.content ?? {}).some((content) => content.schema)
      if (success.length === 0 || success.some(([, response]) => !typed(response))) admin.push(`${name}: no schema for its success`)
    }
    expect(admin).toEqual([])
    const create = doc.paths['/api/v1/orders']?.post
    expect(Object.keys(create?.responses ?? {}).sort()).toEqual(['200', '201', '400', '401', '404', '409', '422'])
    expect(create?.responses?.['201']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/Order' })
  })

  it('has no oneOf/anyOf/allOf anywhere, and names what requests and answers carry', () => {
    expect(findKeys(doc, ['oneOf', 'anyOf', 'allOf'])).toEqual([])
    for (const name of ['Offer', 'Product', 'Customer', 'SpendableBonus', 'BonusConditions', 'QuoteRequestInput', 'Quote', 'NewOrderInput', 'Order', 'ChangeFeedPage', 'Error']) {
      expect(doc.components.schemas, name).toHaveProperty(name)
    }
    // Examples where a developer writes a request.
    for (const name of ['QuoteRequestInput', 'NewOrderInput', 'Error']) expect(doc.components.schemas[name], name).toHaveProperty('example')
  })

  it('carries every webhook message as a schema with its type values', () => {
    const messages = Object.entries(doc.components.schemas).filter(([name]) => name.endsWith('Message')) as Array<
      [string, { properties: { type: { enum: string[] }; data: unknown } }]
    >
    const types = messages.flatMap(([, schema]) => schema.properties.type.enum)
    expect(types).toEqual(expect.arrayContaining(['offer.updated', 'customer.updated', 'bonus.updated', 'order.accepted', 'order.status_changed', 'order.failed']))
  })
})
