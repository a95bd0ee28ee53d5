import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { buildOrdersXml, type SaleOrder } from '../src/onec/commerceml/index.ts'
import { distribute, lineAmounts } from '../src/domain/index.ts'
import fc from 'fast-check'
import { assertWellFormed } from './helpers/well-formed.ts'

const order: SaleOrder = {
  id: 'order-1',
  number: 'S-1',
  createdAt: new Date('2026-11-22T07:05:09Z'),
  storefrontId: 'shop',
  currency: 'RUB',
  customer: { id: 'buyer', name: 'ООО «Ёлка»', inn: '7701234567', kpp: null },
  lines: [
    {
      offerId: 'p1',
      name: 'Ёлочная игрушка №5',
      sku: null,
      unit: null,
      itemKind: null,
      quantity: 3,
      unitPriceMinor: 1_999,
      discountPercent: 0,
      discountMinor: 0,
      sumMinor: 5_997,
      bonusMoneyMinor: 500,
    },
  ],
  delivery: { method: null, address: null, priceMinor: 0 },
  paymentMethod: null,
  comment: null,
  bonusPoints: 500,
  bonusMoneyMinor: 500,
  cancelled: false,
  status: 'accepted',
}
const options = {
  charset: 'utf-8' as const,
  schemaVersion: '2.08',
  timeZone: 'Europe/Moscow',
  minorDigits: 2,
  bonusPayment: { as: 'requisite' as const, name: 'Оплачено бонусными баллами' },
  deliveryItemId: 'ORDER_DELIVERY',
  now: new Date('2026-11-22T08:00:00Z'),
}

describe('the orders XML for 1C', () => {
  it('windows-1251: declared, encoded, and readable back to the same text; Дата/Время in the configured zone', () => {
    const bytes = buildOrdersXml([order], { ...options, charset: 'windows-1251' })
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('<?xml')
    const text = iconv.decode(bytes, 'win1251')
    expect(text).toMatch(/^<\?xml version="1.0" encoding="windows-1251"\?>\n<КоммерческаяИнформация /)
    expect(text).toContain('<Наименование>Ёлочная игрушка №5</Наименование>')
    expect(text).toContain('<Дата>2026-11-22</Дата>')
    expect(text).toContain('<Время>10:05:09</Время>')
    expect(text).toContain('<Сумма>59.97</Сумма>')
    expect(bytes.includes(Buffer.from('Ёлочная', 'utf8'))).toBe(false)
  })

  it('3.1 wraps each document in Контейнер; discount mode writes bonuses as a line discount not counted in the sum', () => {
    const text = buildOrdersXml([order, { ...order, id: 'order-2' }], { ...options, schemaVersion: '3.1', bonusPayment: { as: 'discount', name: 'Бонусы' } }).toString('utf8')
    expect(text.match(/<Контейнер>\s*<Документ>/g)).toHaveLength(2)
    expect(text).toContain('ВерсияСхемы="3.1"')
    expect(text).toMatch(/<Скидка>\s*<Наименование>Бонусы<\/Наименование>\s*<Сумма>5.00<\/Сумма>\s*<УчтеноВСумме>false<\/УчтеноВСумме>/)
  })

  it('names a line as the catalogue does: Артикул before Наименование, its own БазоваяЕдиница, its ВидНоменклатуры; a piece where the unit is unknown', () => {
    const line = order.lines[0]!
    const weighed = {
      ...line,
      offerId: 'p2#v1',
      name: 'Гвозди 100 мм (оцинкованные)',
      sku: 'ГВ-100',
      unit: { code: '166', name: 'кг', fullName: 'Килограмм', abbreviation: 'KGM', ratio: null },
      itemKind: 'Крепёж',
    }
    const text = buildOrdersXml([{ ...order, lines: [weighed, line] }], options).toString('utf8')
    expect(text).toMatch(
      /<Ид>p2#v1<\/Ид>\s*<Артикул>ГВ-100<\/Артикул>\s*<Наименование>Гвозди 100 мм \(оцинкованные\)<\/Наименование>\s*<БазоваяЕдиница Код="166" НаименованиеПолное="Килограмм" МеждународноеСокращение="KGM">кг<\/БазоваяЕдиница>/,
    )
    expect(text).toMatch(/<Наименование>ВидНоменклатуры<\/Наименование>\s*<Значение>Крепёж<\/Значение>/)
    expect(text).toMatch(
      /<Ид>p1<\/Ид>\s*<Наименование>Ёлочная игрушка №5<\/Наименование>\s*<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт<\/БазоваяЕдиница>/,
    )
  })

  it('an empty answer is the root element alone', () => {
    const text = buildOrdersXml([], options).toString('utf8')
    expect(text).toMatch(/<КоммерческаяИнформация [^>]*(\/>|><\/КоммерческаяИнформация>)/)
    expect(text).not.toContain('Документ')
  })
})

describe('line amounts and spreading, as 1C rounds (half away from zero)', () => {
  it('quantity × price, then the discount, each rounded to the kopeck', () => {
    expect(lineAmounts({ quantity: 1.5, unitPriceMinor: 100_001, autoDiscountPercent: 5 })).toEqual({ grossMinor: 150_002, discountMinor: 7_500, sumMinor: 142_502 })
    expect(lineAmounts({ quantity: 0.333, unitPriceMinor: 1_500 })).toEqual({ grossMinor: 500, discountMinor: 0, sumMinor: 500 })
    expect(lineAmounts({ quantity: 1, unitPriceMinor: 1_000, autoDiscountPercent: 12.5 })).toEqual({ grossMinor: 1_000, discountMinor: 125, sumMinor: 875 })
  })

  it('spreads a total in proportion with integers that add up exactly', () => {
    expect(distribute(100, [1, 1, 1])).toEqual([34, 33, 33])
    expect(distribute(10, [0, 5, 5])).toEqual([0, 5, 5])
    expect(distribute(7, [3, 0])).toEqual([7, 0])
    expect(distribute(0, [3, 4])).toEqual([0, 0])
  })
})

describe('hostile text in the orders XML', () => {
  const hostile = (text: string): SaleOrder => ({
    ...order,
    number: text,
    storefrontId: text,
    customer: { id: text, name: text, inn: text, kpp: text },
    lines: [{ ...order.lines[0]!, offerId: text, name: text }],
    delivery: { method: text, address: text, priceMinor: 100 },
    paymentMethod: text,
    comment: text,
  })

  it('is well-formed XML in both charsets whatever the strings hold (control characters, lone surrogates, markup, emoji)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        for (const charset of ['utf-8', 'windows-1251'] as const) {
          const bytes = buildOrdersXml([hostile(text)], { ...options, charset })
          assertWellFormed(charset === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, 'win1251'))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('keeps what XML can carry: markup escaped, tab and line breaks kept, control characters removed; in windows-1251 what the charset lacks as character references', () => {
    const text = 'a\u0000b\u0001c <d> & "e" ]]> \tf\ng 😀 €'
    const utf8 = buildOrdersXml([hostile(text)], options).toString('utf8')
    expect(utf8).toContain('<Комментарий>abc &lt;d&gt; &amp; &quot;e&quot; ]]&gt; \tf\ng 😀 €</Комментарий>')
    const cp1251 = iconv.decode(buildOrdersXml([hostile(text)], { ...options, charset: 'windows-1251' }), 'win1251')
    // € is in windows-1251 (0x88); the emoji is not: 1C's XML reader turns &#128512; back into it.
    expect(cp1251).toContain('<Комментарий>abc &lt;d&gt; &amp; &quot;e&quot; ]]&gt; \tf\ng &#128512; €</Комментарий>')
    assertWellFormed(cp1251)
  })
})
