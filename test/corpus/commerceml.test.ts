/**
 * Every file of the shared CommerceML corpus (real exports from public projects, see its
 * PROVENANCE.md) through the import path, one fresh database per source folder, and pinned
 * figures for the files that exercise each layout. Skips, saying so, when the corpus is absent.
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../src/store/index.ts'
import { importCommerceMlFile, type CmlImportResult } from '../../src/catalog/commerceml-import.ts'
import { fileRank } from '../../src/catalog/exchange-imports.ts'
import { readOrderChanges } from '../../src/onec/commerceml/index.ts'
import { openTestDb, type TestDb } from '../helpers/db.ts'
import { defaultProfile, stored } from '../helpers/import-file.ts'

const CORPUS = resolve(process.env.CORPUS_DIR ?? fileURLToPath(new URL('../../../shared/corpus/', import.meta.url)), 'commerceml')
const present = existsSync(CORPUS)
if (!present) console.warn(`corpus: ${CORPUS} not found; skipping the corpus tests`)

async function xmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.xml')).map((entry) => join(entry.parentPath, entry.name))
}

const folders = present
  ? (await readdir(CORPUS, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
  : []

describe.skipIf(!present)('CommerceML corpus', () => {
  const results = new Map<string, CmlImportResult>()
  const dbs = new Map<string, TestDb>()

  beforeAll(async () => {
    for (const folder of folders) {
      const t = await openTestDb()
      dbs.set(folder, t)
      const files = (await xmlFiles(join(CORPUS, folder))).sort((a, b) => fileRank(a) - fileRank(b) || a.localeCompare(b))
      for (const file of files) {
        const name = relative(CORPUS, file)
        results.set(
          name,
          await importCommerceMlFile(t.db, file, { profile: defaultProfile, fileName: name }).catch((error: Error) => {
            throw new Error(`${name}: ${error.message}`)
          }),
        )
      }
    }
  })
  afterAll(async () => {
    for (const t of dbs.values()) await t.close()
  })

  const db = (folder: string): Db => {
    const t = dbs.get(folder)
    if (!t) throw new Error(`no database for ${folder}`)
    return t.db
  }
  const counts = (file: string) => {
    const result = results.get(file)
    if (!result) throw new Error(`${file} was not imported`)
    return Object.fromEntries(Object.entries(result.byKind).map(([kind, value]) => [kind, value.changed]))
  }

  it('imports every file without error', async () => {
    const all = (await xmlFiles(CORPUS)).map((file) => relative(CORPUS, file))
    expect(all.length).toBeGreaterThanOrEqual(30)
    expect([...results.keys()].sort()).toEqual(all.sort())
  })

  it.each([
    // 534 products and 6 with Статус="Удален", kept as tombstones.
    ['bogutski-cml208-ns208/import.xml', 'catalog', { property: 6, product: 540 }],
    ['bogutski-cml208-ns208/offers.xml', 'offers', { price_type: 1, offer: 523 }],
    ['santechtula-cp1251-cml204/import.xml', 'catalog', { group: 163, product: 1660 }],
    ['santechtula-cp1251-cml204/offers.xml', 'offers', { price_type: 1, offer: 1660 }],
    // 35 products and one marked for deletion.
    ['dobromyslov-commerceml-parser/import0_1.xml', 'catalog', { group: 1, property: 12, product: 36 }],
    ['dobromyslov-commerceml-parser/offers0_1.xml', 'offers', { price_type: 1, warehouse: 3, offer: 44 }],
    ['gillbeits-ut11-cml209-split/rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml', 'offers', { offer: 978 }],
    ['irpsv-bitrix-module-cml31/import.xml', 'catalog', { group: 1, price_type: 8, warehouse: 12 }],
    ['irpsv-bitrix-module-cml31/goods/1/offers.xml', 'offers', { offer: 86 }],
    ['irpsv-bitrix-module-cml31/goods/1/prices.xml', 'offers', { offer: 86 }],
    ['ut-ukraine-cml203/import5.xml', 'catalog', { group: 3, product: 27 }],
    ['ut-ukraine-cml203/offers.xml', 'offers', { price_type: 3, offer: 27 }],
    ['moysklad-kickgoods-cml204/offers.xml', 'offers', { price_type: 1, offer: 324 }],
    ['official-1c-samples/import.xml', 'catalog', { group: 1, product: 2 }],
    ['bitrix-export-mislabeled-encoding/cat_123.xml', 'offers', { group: 34, property: 17, price_type: 1, offer: 300 }],
    // The classifier-only file of UT 11's package: its groups and properties are counted, not "2 seen".
    ['gillbeits-ut11-cml209-split/import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml', 'catalog', { group: 97, property: 1908, price_type: 1, warehouse: 1 }],
    ['official-1c-samples/to.xml', 'documents', {}],
  ])('%s: %s with the expected number of changed entities', (file, kind, expected) => {
    expect(results.get(file)?.kind).toBe(kind)
    expect(counts(file)).toEqual(expected)
  })

  it('windows-1251 (santechtula): prices, stock and Cyrillic text', async () => {
    expect(results.get('santechtula-cp1251-cml204/offers.xml')?.encoding).toBe('windows-1251')
    expect(await stored(db('santechtula-cp1251-cml204'), 'offer', '321')).toMatchObject({
      prices: { 'fb1fb868-f345-11e1-8efb-00155d343e29': { amountMinor: 2_545_000, currency: 'RUB' } },
      stock: { total: 0 },
    })
    expect(await stored(db('santechtula-cp1251-cml204'), 'product', '321')).toMatchObject({ name: 'Ванна "Альтаир" 160х120 без гидромассажа (АКВАТЕК)' })
  })

  it('mislabeled encoding (declared windows-1251, bytes UTF-8) reads as UTF-8', async () => {
    expect(results.get('bitrix-export-mislabeled-encoding/cat_123.xml')?.encoding).toBe('utf-8')
    const [property] = await db('bitrix-export-mislabeled-encoding').query<{ data: { name: string } }>(`select data from cml_refs where kind = 'property' and id = 'CML2_CODE'`)
    expect(property?.data.name).toBe('Символьный код')
  })

  it('2.03 (Ukrainian UT): prices in грн → UAH, full catalogue flag from the child element', async () => {
    expect(results.get('ut-ukraine-cml203/import5.xml')?.full.catalog).toBe(true)
    expect(await stored(db('ut-ukraine-cml203'), 'offer', '1a52febf-79d0-11ea-80d1-408d5c7d3c4b')).toMatchObject({
      prices: { 'a70b4ec2-7cab-11ea-80d1-408d5c7d3c4b': { amountMinor: 15_940, currency: 'UAH' } },
    })
  })

  it('split 2.09 package: stock from rests___ and prices from prices___ on one offer', async () => {
    const offer = await stored<{ prices: Record<string, { amountMinor: number }>; stock: { warehouses: Record<string, number> } }>(
      db('gillbeits-ut11-cml209-split'),
      'offer',
      '26b0dc1e-4d66-11e4-99fe-003048c64779',
    )
    expect(offer?.stock.warehouses).toEqual({ '5d1caeb1-44b2-11e4-a628-003048c64779': 1 })
    expect(offer?.prices['4d968229-47ba-11e4-a628-003048c64779']?.amountMinor).toBe(18_100)
  })

  it('3.1: twelve warehouses per offer from rests, prices with Налог inside Цена', async () => {
    const offer = await stored<{ prices: Record<string, unknown>; stock: { warehouses: Record<string, number> } }>(
      db('irpsv-bitrix-module-cml31'),
      'offer',
      '235ccc6d-ab81-11e4-944a-00155d020201#a5abd77f-93f6-11e5-9468-00155d020201',
    )
    expect(Object.keys(offer?.stock.warehouses ?? {})).toHaveLength(12)
    expect(Object.keys(offer?.prices ?? {}).length).toBeGreaterThan(0)
  })

  it('3.1: an offer marked for deletion stays removed when the prices file prices it', async () => {
    const [row] = await db('irpsv-bitrix-module-cml31').query<{ n: number }>(`select count(*)::int as n from entity_state where kind = 'offer' and removed`)
    expect(row?.n).toBe(6)
  })

  it('bogutski: the pictures products name are counted; those the corpus does not carry are reported missing, by path', () => {
    const pictures = results.get('bogutski-cml208-ns208/import.xml')?.pictures
    expect(pictures?.seen).toBeGreaterThan(100)
    expect(pictures?.stored).toBe(0)
    expect(pictures?.missing).toBe(pictures?.seen)
    expect(pictures?.missingPaths[0]).toMatch(/^import_files\//)
  })

  it('МойСклад: base62 ids with # kept as sent', async () => {
    expect(await stored(db('moysklad-kickgoods-cml204'), 'offer', 'Dnje5-EAjaspzP7V3wkKj2#81kGwfyNgPCEaeR8ooFP42')).toMatchObject({
      productId: 'Dnje5-EAjaspzP7V3wkKj2',
      variantId: '81kGwfyNgPCEaeR8ooFP42',
    })
  })
})

describe.skipIf(!present)('CommerceML corpus: order documents (the order exchange)', () => {
  it('every file with order documents reads as order changes', async () => {
    const files = (await xmlFiles(CORPUS)).filter((file) => /to\.xml$|from\.xml$|orders-|documents-|query-response/.test(file))
    expect(files.length).toBeGreaterThanOrEqual(6)
    for (const file of files) await expect(readOrderChanges(file, relative(CORPUS, file))).resolves.toBeInstanceOf(Array)
  })

  it('UT 11 (2.09): 1C number and date as elements, posted, payment and shipment', async () => {
    const [doc] = await readOrderChanges(join(CORPUS, 'argentcrusade-ut11-cml209-sale/documents-example.xml'), 'documents-example.xml')
    expect(doc).toMatchObject({
      id: '142',
      number: '142',
      state: {
        number: 'ТДЦУ-000001',
        date: '2015-06-29',
        posted: true,
        deletionMark: false,
        paid: { number: 'ТДЦУ-000001', date: '2015-06-29T15:39:10' },
        shipped: { number: 'ТДЦУ-000003', date: '2015-06-29T17:32:27' },
      },
    })
  })

  it('МойСклад (2.04): bare status documents', async () => {
    const docs = await readOrderChanges(join(CORPUS, 'cscart-docs-moysklad-cml204/orders-42a0dc7a-d94f-462a-a20f-0e09261f4c9d.xml'), 'orders.xml')
    expect(docs.map((doc) => [doc.number, doc.state.number, doc.state.posted, doc.state.status])).toEqual([
      ['92', 'MM92', true, 'Открыт'],
      ['93', 'MM93', true, 'Открыт'],
    ])
  })

  it('official to.xml (2.03, windows-1251): paid, not cancelled', async () => {
    const [doc] = await readOrderChanges(join(CORPUS, 'official-1c-samples/to.xml'), 'to.xml')
    expect(doc).toMatchObject({ id: '20', number: '20', state: { cancelled: false, paid: { number: 'ТК000000026' } } })
  })
})

describe.skipIf(!present)('CommerceML corpus: a product as a shop reads it', () => {
  it('UT 11 (dobromyslov): name, group path, property names and values, unit, manufacturer and taxes through the REST API', async () => {
    const { buildStorefrontApp, storefrontHeaders } = await import('../helpers/app.ts')
    const t = await buildStorefrontApp()
    try {
      await importCommerceMlFile(t.db, join(CORPUS, 'dobromyslov-commerceml-parser/import0_1.xml'), { profile: defaultProfile, fileName: 'import0_1.xml' })
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/products/bd8c4e15-18f9-11e7-80c2-0cc47ab29cd1', headers: storefrontHeaders })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toMatchObject({
        name: 'Портативный коврик Portable 140x200x1 см, Деревянные лошадки',
        sku: 'PM-421-WP',
        fullName: 'Портативный коврик Portable 140x200x1 см, Деревянные лошадки',
        groupPath: [{ id: '82cfb8dc-18f9-11e7-80c2-0cc47ab29cd1', name: 'Коврики для дома' }],
        properties: { 'Страна производства': 'КОРЕЯ, РЕСПУБЛИКА', Линейка: 'Portable', 'Код ОЗОН': '149831179' },
        unit: { code: '796', fullName: 'Штука', abbreviation: 'PCE', ratio: 1 },
        manufacturer: { id: '018b11b8-18fa-11e7-80c2-0cc47ab29cd1', name: 'Crazy Boom' },
        taxes: [{ name: 'НДС', rate: '20' }],
        requisites: { ВидНоменклатуры: 'Коврики для дома', ТипНоменклатуры: 'Товар' },
      })
    } finally {
      await t.close()
    }
  })
})
