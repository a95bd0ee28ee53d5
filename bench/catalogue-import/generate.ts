/**
 * Writes a UT 11-style catalogue exchange into a folder: `import.xml` (CommerceML 2.07,
 * urn:1C.ru:commerceml_2, UTF-8 with BOM) with a three-level group tree, properties (a quarter of
 * them reference lists) and N products, each with its group, six property values, a unit with
 * Пересчет, an HTML description, taxes and requisites; one product in five names a picture, and
 * the pictures are written under `import_files/` as 1C uploads them (small distinct PNGs), then all
 * of it zipped as UT 11 packs an exchange (`v8_bench.zip`). Deterministic.
 *
 *   node bench/catalogue-import/generate.ts <dir> [products=100000] [pictures=20000] [groups=500] [properties=200]
 */
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { once } from 'node:events'
import { join } from 'node:path'
import yazl from 'yazl'
import { png } from '../../test/helpers/png.ts'

export interface CatalogueShape {
  products: number
  pictures: number
  groups: number
  properties: number
}

const guid = (kind: number, index: number) => `${kind.toString(16).padStart(8, '0')}-1c00-4000-8000-${index.toString(16).padStart(12, '0')}`
export const productId = (index: number) => guid(0xe5, index)
const groupId = (index: number) => guid(0xf6, index)
const propertyId = (index: number) => guid(0xa7, index)
const valueId = (property: number, value: number) => guid(0xb8, property * 100 + value)
const VALUES_PER_LIST = 20

/** A PNG whose size and colour make it unique for `index` (1C uploads JPEG and PNG; the service reads either's size). */
const pictureOf = (index: number) => png(1 + (index % 200), 1 + Math.floor(index / 200), index % 251)

export const picturePath = (index: number) => `import_files/${(index % 256).toString(16).padStart(2, '0')}/${productId(index)}.png`

function groupTree(shape: CatalogueShape): string {
  // Ten top groups, each with ten children, the rest spread as grandchildren: three levels as УТ 11's catalogues have.
  const top = Math.min(10, shape.groups)
  const second = Math.min(100, Math.max(0, shape.groups - top))
  const third = Math.max(0, shape.groups - top - second)
  const group = (index: number, inner: string) =>
    `<Группа><Ид>${groupId(index)}</Ид><Наименование>Группа ${index}</Наименование>${inner ? `<Группы>${inner}</Группы>` : ''}</Группа>`
  let xml = ''
  for (let t = 0; t < top; t += 1) {
    let children = ''
    for (let s = top + t; s < top + second; s += top) {
      let grandchildren = ''
      for (let g = top + second + (s - top); g < top + second + third; g += second) grandchildren += group(g, '')
      children += group(s, grandchildren)
    }
    xml += group(t, children)
  }
  return xml
}

/** Every product's own group: the leaves of the tree. */
const leafOf = (index: number, shape: CatalogueShape) => (shape.groups > 110 ? 110 + (index % (shape.groups - 110)) : index % shape.groups)

function properties(shape: CatalogueShape): string {
  return Array.from({ length: shape.properties }, (_, p) => {
    const list = p % 4 === 0
    const values = list
      ? `<ВариантыЗначений>${Array.from({ length: VALUES_PER_LIST }, (_, v) => `<Справочник><ИдЗначения>${valueId(p, v)}</ИдЗначения><Значение>Значение ${p}.${v}</Значение></Справочник>`).join('')}</ВариантыЗначений>`
      : ''
    return `
			<Свойство><Ид>${propertyId(p)}</Ид><Наименование>Свойство ${p}</Наименование><ТипЗначений>${list ? 'Справочник' : 'Строка'}</ТипЗначений>${values}</Свойство>`
  }).join('')
}

function product(index: number, shape: CatalogueShape): string {
  const values = Array.from({ length: 6 }, (_, k) => {
    const p = (index + k * 7) % shape.properties
    const value = p % 4 === 0 ? valueId(p, index % VALUES_PER_LIST) : `текст ${index % 97}`
    return `
					<ЗначенияСвойства><Ид>${propertyId(p)}</Ид><Значение>${value}</Значение></ЗначенияСвойства>`
  }).join('')
  const picture = index % 5 === 0 && index / 5 < shape.pictures ? `\n				<Картинка>${picturePath(index)}</Картинка>` : ''
  return `
			<Товар>
				<Ид>${productId(index)}</Ид>
				<Штрихкод>46${String(index).padStart(11, '0')}</Штрихкод>
				<Артикул>ART-${index}</Артикул>
				<Наименование>Товар номер ${index}</Наименование>
				<БазоваяЕдиница Код="796 " НаименованиеПолное="Штука" МеждународноеСокращение="PCE">
					<Пересчет><Единица>796</Единица><Коэффициент>1</Коэффициент></Пересчет>
				</БазоваяЕдиница>
				<Группы><Ид>${groupId(leafOf(index, shape))}</Ид></Группы>
				<Описание>&lt;p&gt;Описание товара ${index}: &lt;b&gt;подходит для оптовых покупателей&lt;/b&gt;&lt;/p&gt;</Описание>${picture}
				<ЗначенияСвойств>${values}
				</ЗначенияСвойств>
				<СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование><Ставка>20</Ставка></СтавкаНалога></СтавкиНалогов>
				<ЗначенияРеквизитов>
					<ЗначениеРеквизита><Наименование>ВидНоменклатуры</Наименование><Значение>Товар</Значение></ЗначениеРеквизита>
					<ЗначениеРеквизита><Наименование>ТипНоменклатуры</Наименование><Значение>Товар</Значение></ЗначениеРеквизита>
					<ЗначениеРеквизита><Наименование>Полное наименование</Наименование><Значение>Товар номер ${index}, полное наименование</Значение></ЗначениеРеквизита>
				</ЗначенияРеквизитов>
			</Товар>`
}

/** Writes import.xml, the pictures and the zip into `dir`; returns their sizes. */
export async function generateCatalogue(dir: string, shape: CatalogueShape): Promise<{ xmlBytes: number; pictureBytes: number; zipBytes: number }> {
  await mkdir(dir, { recursive: true })
  const out = createWriteStream(join(dir, 'import.xml'))
  let xmlBytes = 0
  const write = async (text: string) => {
    xmlBytes += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  await write(`\ufeff<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.07" ДатаФормирования="2026-12-01T10:00:00">
	<Классификатор>
		<Ид>bench-catalog</Ид>
		<Наименование>Классификатор (Основной каталог товаров)</Наименование>
		<Группы>${groupTree(shape)}</Группы>
		<Свойства>${properties(shape)}
		</Свойства>
	</Классификатор>
	<Каталог СодержитТолькоИзменения="false">
		<Ид>bench-catalog</Ид>
		<ИдКлассификатора>bench-catalog</ИдКлассификатора>
		<Наименование>Основной каталог товаров</Наименование>
		<Товары>`)
  for (let index = 0; index < shape.products; index += 200) {
    let text = ''
    for (let item = index; item < Math.min(index + 200, shape.products); item += 1) text += product(item, shape)
    await write(text)
  }
  await write(`
		</Товары>
	</Каталог>
</КоммерческаяИнформация>
`)
  out.end()
  await once(out, 'finish')
  const zip = new yazl.ZipFile()
  zip.addFile(join(dir, 'import.xml'), 'import.xml')
  let pictureBytes = 0
  for (let picture = 0; picture < shape.pictures; picture += 1) {
    const bytes = pictureOf(picture * 5)
    pictureBytes += bytes.length
    const path = join(dir, picturePath(picture * 5))
    await mkdir(join(path, '..'), { recursive: true })
    await writeFile(path, bytes)
    zip.addBuffer(bytes, picturePath(picture * 5), { compress: false })
  }
  zip.end()
  const zipPath = join(dir, 'v8_bench.zip')
  const zipOut = createWriteStream(zipPath)
  zip.outputStream.pipe(zipOut)
  await once(zipOut, 'finish')
  const { size: zipBytes } = await import('node:fs/promises').then((fs) => fs.stat(zipPath))
  return { xmlBytes, pictureBytes, zipBytes }
}

if (import.meta.main) {
  const [dir, products = '100000', pictures = '20000', groups = '500', props = '200'] = process.argv.slice(2)
  if (!dir) {
    console.error('usage: generate.ts <dir> [products] [pictures] [groups] [properties]')
    process.exit(2)
  }
  const sizes = await generateCatalogue(dir, { products: Number(products), pictures: Number(pictures), groups: Number(groups), properties: Number(props) })
  console.log(JSON.stringify(sizes))
}
