import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { loadProfile } from '../src/onec/mapping/profile.ts'
import { checkProfile, parseMetadata } from '../src/onec/odata/index.ts'

describe('mapping check against $metadata', () => {
  it('lists every set and field ut11.yaml uses that the base does not expose', async () => {
    const metadata = parseMetadata(await readFile(new URL('./samples/ut11-metadata.xml', import.meta.url), 'utf8'))
    const profile = await loadProfile('ut11')
    const problems = checkProfile(profile.odata!, metadata).map((problem) => `${problem.source}: ${problem.what.en}`)
    expect(problems).toEqual([
      'bonus-accounts: AccumulationRegister_БонусныеБаллы/Balance has no field ЗарезервированоBalance',
      'bonus-movements: entity set AccumulationRegister_БонусныеБаллы_RecordType is not exposed: add it to the OData interface composition («Настройка стандартного интерфейса OData» → Состав)',
      'sales: entity set Document_РеализацияТоваровУслуг is not exposed: add it to the OData interface composition («Настройка стандартного интерфейса OData» → Состав)',
      'prices: entity set InformationRegister_ЦеныНоменклатуры_RecordType is not exposed: add it to the OData interface composition («Настройка стандартного интерфейса OData» → Состав)',
      'stock: entity set AccumulationRegister_ТоварыНаСкладах is not exposed: add it to the OData interface composition («Настройка стандартного интерфейса OData» → Состав)',
      'product-price-groups: entity set Catalog_Номенклатура is not exposed: add it to the OData interface composition («Настройка стандартного интерфейса OData» → Состав)',
      'bonus-programmes: Catalog_БонусныеПрограммыЛояльности has no field СегментНоменклатуры_Key',
      'bonus-programmes: Catalog_БонусныеПрограммыЛояльности has no field КурсКонвертацииБонусовВВалюту',
      'bonus-programmes: Catalog_БонусныеПрограммыЛояльности has no field БезУчетаПредоставленныхСкидок',
      'product-segments: entity set InformationRegister_НоменклатураСегмента is not exposed: add it to the OData interface composition («Настройка стандартного интерфейса OData» → Состав)',
    ])
  })

  it('finds nothing to report when everything is exposed', async () => {
    const xml = (await readFile(new URL('./samples/ut11-metadata.xml', import.meta.url), 'utf8')).replace(
      '<Property Name="КСписаниюBalance" Type="Edm.Double"/>',
      '<Property Name="КСписаниюBalance" Type="Edm.Double"/><Property Name="ЗарезервированоBalance" Type="Edm.Double"/>',
    )
    const profile = await loadProfile('ut11')
    const onlyExposed = {
      ...profile.odata!,
      sources: profile.odata!.sources.filter(
        (source) => !['bonus-movements', 'sales', 'prices', 'stock', 'product-price-groups', 'bonus-programmes', 'product-segments'].includes(source.name),
      ),
    }
    expect(checkProfile(onlyExposed, parseMetadata(xml))).toEqual([])
  })

  it('refuses a document that is not $metadata', () => {
    expect(() => parseMetadata('<html><body>login</body></html>')).toThrow('not an OData $metadata document')
  })
})
