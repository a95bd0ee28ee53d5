/**
 * Writes an offers file in UT 11's layout (CommerceML 2.07, namespace urn:1C.ru:commerceml_2,
 * UTF-8 with BOM): N offers × P price types × W warehouses, each offer a `product#variant` with
 * its characteristic, prices and per-warehouse stock as `<Склад ИдСклада КоличествоНаСкладе/>`.
 * Deterministic: the same arguments give the same bytes. `revision` shifts 1 % of the prices.
 *
 *   node bench/commerceml-import/generate.ts <out.xml> [offers=100000] [priceTypes=5] [warehouses=10] [revision=0]
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

export interface Shape {
  offers: number
  priceTypes: number
  warehouses: number
  revision?: number
}

const guid = (kind: number, index: number) => `${kind.toString(16).padStart(8, '0')}-1c00-4000-8000-${index.toString(16).padStart(12, '0')}`
export const priceTypeId = (index: number) => guid(0xa1, index)
export const warehouseId = (index: number) => guid(0xb2, index)
export const offerId = (index: number) => `${guid(0xc3, index)}#${guid(0xd4, index)}`

function offer(index: number, shape: Shape): string {
  const bump = shape.revision && index % 100 === 0 ? shape.revision : 0
  const prices = Array.from({ length: shape.priceTypes }, (_, p) => {
    const kopecks = 10_000 + ((index * 37 + p * 1_000) % 900_000) + bump
    const amount = `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}00`
    return `
					<Цена>
						<Представление> ${amount.replace('.', ',')} RUB за PCE</Представление>
						<ИдТипаЦены>${priceTypeId(p)}</ИдТипаЦены>
						<ЦенаЗаЕдиницу>${amount}</ЦенаЗаЕдиницу>
						<Валюта>RUB</Валюта>
						<Единица>PCE</Единица>
						<Коэффициент>1</Коэффициент>
					</Цена>`
  }).join('')
  let total = 0
  const stock = Array.from({ length: shape.warehouses }, (_, w) => {
    const quantity = (index * 7 + w * 3) % 50
    total += quantity
    return `
				<Склад ИдСклада="${warehouseId(w)}" КоличествоНаСкладе="${quantity}"/>`
  }).join('')
  return `
			<Предложение>
				<Ид>${offerId(index)}</Ид>
				<Артикул>ART-${index}</Артикул>
				<Наименование>Товар номер ${index}, характеристика ${index % 17}</Наименование>
				<БазоваяЕдиница Код="796 " НаименованиеПолное="Штука" МеждународноеСокращение="PCE">
					<Пересчет>
						<Единица>796</Единица>
						<Коэффициент>1</Коэффициент>
					</Пересчет>
				</БазоваяЕдиница>
				<ХарактеристикиТовара>
					<ХарактеристикаТовара>
						<Наименование>Размер</Наименование>
						<Значение>${40 + (index % 12)}</Значение>
					</ХарактеристикаТовара>
				</ХарактеристикиТовара>
				<Цены>${prices}
				</Цены>
				<Количество>${total}</Количество>${stock}
			</Предложение>`
}

export async function generateOffersFile(path: string, shape: Shape): Promise<number> {
  const out = createWriteStream(path)
  let bytes = 0
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  await write(`\ufeff<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ВерсияСхемы="2.07" ДатаФормирования="2026-11-20T10:16:00">
	<ПакетПредложений СодержитТолькоИзменения="false">
		<Ид>bench-catalog#</Ид>
		<Наименование>Пакет предложений (Основной каталог товаров)</Наименование>
		<ИдКаталога>bench-catalog</ИдКаталога>
		<ИдКлассификатора>bench-catalog</ИдКлассификатора>
		<ТипыЦен>${Array.from(
      { length: shape.priceTypes },
      (_, p) => `
			<ТипЦены><Ид>${priceTypeId(p)}</Ид><Наименование>Цена ${p + 1}</Наименование><Валюта>RUB</Валюта></ТипЦены>`,
    ).join('')}
		</ТипыЦен>
		<Склады>${Array.from(
      { length: shape.warehouses },
      (_, w) => `
			<Склад><Ид>${warehouseId(w)}</Ид><Наименование>Склад ${w + 1}</Наименование></Склад>`,
    ).join('')}
		</Склады>
		<Предложения>`)
  const BATCH = 200
  for (let index = 0; index < shape.offers; index += BATCH) {
    let text = ''
    for (let item = index; item < Math.min(index + BATCH, shape.offers); item += 1) text += offer(item, shape)
    await write(text)
  }
  await write(`
		</Предложения>
	</ПакетПредложений>
</КоммерческаяИнформация>
`)
  out.end()
  await once(out, 'finish')
  return bytes
}

if (import.meta.main) {
  const [path, offers = '100000', priceTypes = '5', warehouses = '10', revision = '0'] = process.argv.slice(2)
  if (!path) {
    console.error('usage: generate.ts <out.xml> [offers] [priceTypes] [warehouses] [revision]')
    process.exit(2)
  }
  const bytes = await generateOffersFile(path, { offers: Number(offers), priceTypes: Number(priceTypes), warehouses: Number(warehouses), revision: Number(revision) })
  console.log(`${path}: ${(bytes / 1e6).toFixed(1)} MB`)
}
