/**
 * The demo base: what a wholesale supplier's УТ 11.5 holds on the day the demo starts. A few
 * hundred goods in five groups and four price groups, three price types, two warehouses, a
 * handful of B2B customers (one group of companies with a head company), one retail person, and
 * the bonus programme of the mission: 30 % of a purchase, 10 % for coffee, 50 % for tea, nothing
 * for equipment (outside the programme's product segment).
 *
 * Field names and shapes are 1C's own (the OData interface's names: `Ref_Key`, `Description`,
 * `<Attr>_Key`, tabular parts as arrays with `LineNumber`), so the OData server only filters,
 * orders and pages them. Money is kept in minor units here and written as 1C's decimals.
 */
import { EMPTY_DATE, EMPTY_REF, naiveDaysFrom, refOf } from './ids.ts'

export type Row = Record<string, unknown>

/** A movement of an accumulation register, or a record of an information register. */
export interface Movement extends Row {
  Period: string
  Recorder_Key: string
  Recorder_Type: string
  LineNumber: string
  Active: boolean
  RecordType?: 'Receipt' | 'Expense'
}

export interface BaseState {
  version: 1
  /** Catalogs by OData set name (`Catalog_Партнеры`). */
  catalogs: Record<string, Row[]>
  /** Registers by OData set name, their records or movements (`AccumulationRegister_БонусныеБаллы`). */
  registers: Record<string, Movement[]>
  /** Documents by OData set name (`Document_ЗаказКлиента`). */
  documents: Record<string, Row[]>
  counters: Record<string, number>
  /** What the catalogue exchange has sent: offers changed since, for the next «changes only» upload. */
  exchange: { fullSent: boolean; changedOffers: string[]; runs: number }
  /** Orders taken from the site's order exchange: the site's Ид → 1C's document and its state. */
  siteOrders: Record<string, { ref: string; siteNumber: string; postAt: number | null; reported: string }>
}

/** A deterministic generator: the same base after every reset. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const IDS = {
  organisation: refOf('Организации', 'Оптовик'),
  rub: refOf('Валюты', '643'),
  priceTypes: { wholesale: refOf('ВидыЦен', 'Оптовая'), large: refOf('ВидыЦен', 'Крупный опт'), retail: refOf('ВидыЦен', 'Розничная') },
  warehouses: { main: refOf('Склады', 'Основной'), spb: refOf('Склады', 'СПб') },
  priceGroups: {
    coffee: refOf('ЦеновыеГруппы', 'Кофе'),
    tea: refOf('ЦеновыеГруппы', 'Чай'),
    other: refOf('ЦеновыеГруппы', 'Прочее'),
    equipment: refOf('ЦеновыеГруппы', 'Оборудование'),
  },
  programme: refOf('БонусныеПрограммыЛояльности', 'Партнёрская'),
  segment: refOf('СегментыНоменклатуры', 'Бонусный ассортимент'),
  catalogue: refOf('Каталог', 'Основной'),
}

export interface DemoCustomer {
  key: string
  name: string
  fullName: string
  inn: string
  kpp: string
  legal: 'ЮрЛицо' | 'ИндивидуальныйПредприниматель' | 'ФизЛицо'
  priceType: string
  head?: string
  /** Points accrued, in minor units (kopecks of a point). */
  points: number
}

/** The customers, by a short key tests and the demo shop use. */
export const CUSTOMERS: DemoCustomer[] = [
  {
    key: 'ostozhenka',
    name: 'Кофейня на Остоженке',
    fullName: 'ООО «Кофейня на Остоженке»',
    inn: '7701234567',
    kpp: '770101001',
    legal: 'ЮрЛицо',
    priceType: IDS.priceTypes.wholesale,
    points: 1_250_000,
  },
  {
    key: 'vostok',
    name: 'Торговый дом Восток',
    fullName: 'ООО «Торговый дом Восток»',
    inn: '7702345678',
    kpp: '770201001',
    legal: 'ЮрЛицо',
    priceType: IDS.priceTypes.large,
    points: 4_800_000,
  },
  {
    key: 'vostok-coffee',
    name: 'Восток-Кофе',
    fullName: 'ООО «Восток-Кофе»',
    inn: '7703456789',
    kpp: '770301001',
    legal: 'ЮрЛицо',
    priceType: IDS.priceTypes.large,
    head: 'vostok',
    points: 150_000,
  },
  {
    key: 'vostok-tea',
    name: 'Восток-Чай',
    fullName: 'ООО «Восток-Чай»',
    inn: '7704567890',
    kpp: '770401001',
    legal: 'ЮрЛицо',
    priceType: IDS.priceTypes.large,
    head: 'vostok',
    points: 0,
  },
  {
    key: 'smirnova',
    name: 'ИП Смирнова А. С.',
    fullName: 'Индивидуальный предприниматель Смирнова Анна Сергеевна',
    inn: '771234567890',
    kpp: '',
    legal: 'ИндивидуальныйПредприниматель',
    priceType: IDS.priceTypes.wholesale,
    points: 320_000,
  },
  {
    key: 'lavka',
    name: 'Чайная лавка',
    fullName: 'ООО «Чайная лавка»',
    inn: '7805678901',
    kpp: '780501001',
    legal: 'ЮрЛицо',
    priceType: IDS.priceTypes.wholesale,
    points: 750_000,
  },
  { key: 'petrov', name: 'Петров Иван Николаевич', fullName: 'Петров Иван Николаевич', inn: '', kpp: '', legal: 'ФизЛицо', priceType: IDS.priceTypes.retail, points: 80_000 },
]

export const partnerOf = (key: string) => refOf('Партнеры', key)
export const counterpartyOf = (key: string) => refOf('Контрагенты', key)

interface GroupSpec {
  key: string
  name: string
  priceGroup: string
  count: number
  base: [number, number]
  words: string[][]
  inSegment: boolean
}

const GROUPS: GroupSpec[] = [
  {
    key: 'coffee',
    name: 'Кофе в зёрнах',
    priceGroup: IDS.priceGroups.coffee,
    count: 70,
    base: [900, 4200],
    inSegment: true,
    words: [
      ['Бразилия', 'Колумбия', 'Эфиопия', 'Кения', 'Гватемала', 'Индия', 'Вьетнам', 'Никарагуа', 'Перу', 'Руанда'],
      ['Сантос', 'Супремо', 'Иргачеффе', 'АА', 'Антигуа', 'Монсун', 'Робуста', 'Марагоджип', 'Органик', 'Бурбон'],
      ['1 кг', '500 г', '250 г'],
    ],
  },
  {
    key: 'tea',
    name: 'Чай',
    priceGroup: IDS.priceGroups.tea,
    count: 70,
    base: [250, 2600],
    inSegment: true,
    words: [
      ['Ассам', 'Дарджилинг', 'Цейлон', 'Сенча', 'Те Гуань Инь', 'Пуэр', 'Молочный улун', 'Эрл Грей', 'Жасминовый', 'Иван-чай'],
      ['листовой', 'крупнолистовой', 'отборный', 'высокогорный', 'классический', 'премиум', 'весенний сбор'],
    ],
  },
  {
    key: 'syrups',
    name: 'Сиропы и топпинги',
    priceGroup: IDS.priceGroups.other,
    count: 60,
    base: [320, 980],
    inSegment: true,
    words: [
      ['Сироп', 'Топпинг', 'Соус'],
      ['карамель', 'ваниль', 'лесной орех', 'кокос', 'солёная карамель', 'шоколад', 'мята', 'лаванда', 'амаретто', 'клён'],
      ['1 л', '0,7 л', '0,25 л'],
    ],
  },
  {
    key: 'tableware',
    name: 'Посуда и расходники',
    priceGroup: EMPTY_REF,
    count: 60,
    base: [90, 1900],
    inSegment: true,
    words: [
      ['Стакан бумажный', 'Крышка', 'Чашка фарфоровая', 'Блюдце', 'Размешиватель', 'Салфетки', 'Фильтры бумажные', 'Питчер'],
      ['250 мл', '350 мл', '450 мл', 'белый', 'крафт', '№ 4', '600 мл'],
      ['упаковка 50 шт', 'упаковка 100 шт', 'штука'],
    ],
  },
  {
    key: 'equipment',
    name: 'Оборудование',
    priceGroup: IDS.priceGroups.equipment,
    count: 40,
    base: [4500, 89000],
    inSegment: false,
    words: [
      ['Кофемолка', 'Темпер', 'Весы для бариста', 'Чайник электрический', 'Термометр', 'Холдер', 'Нок-бокс', 'Кофеварка капельная'],
      ['профессиональная', 'компактная', 'нержавеющая сталь', '58 мм', 'с таймером'],
    ],
  },
]

function pick<T>(list: T[], index: number): T {
  return list[index % list.length] as T
}

// eslint-disable-next-line max-lines-per-function
export function seedBase(timeZone: string): BaseState {
  const rnd = random(20261202)
  const now = naiveDaysFrom(timeZone, 0)
  const longAgo = '2025-01-09T10:00:00'
  const catalogs: Record<string, Row[]> = {}
  const registers: Record<string, Movement[]> = {}
  const catalog = (name: string, row: Row) => (catalogs[name] ??= []).push({ DeletionMark: false, DataVersion: 'AAAAAQAAAAA=', Predefined: false, PredefinedDataName: '', ...row })

  catalog('Catalog_Валюты', { Ref_Key: IDS.rub, Code: '643', Description: 'руб.', НаименованиеПолное: 'Российский рубль' })
  catalog('Catalog_Организации', { Ref_Key: IDS.organisation, Description: 'Оптовик ООО', Префикс: 'ОП', ИНН: '7700000001', КПП: '770001001' })
  for (const [key, name] of [
    ['wholesale', 'Оптовая'],
    ['large', 'Крупный опт'],
    ['retail', 'Розничная'],
  ] as const) {
    catalog('Catalog_ВидыЦен', {
      Ref_Key: IDS.priceTypes[key],
      Description: name,
      ВалютаЦены_Key: IDS.rub,
      ЦенаВключаетНДС: true,
      Статус: 'Действует',
      ИспользоватьПриПродаже: true,
    })
  }
  catalog('Catalog_Склады', { Ref_Key: IDS.warehouses.main, Description: 'Основной склад (Москва)', IsFolder: false, Parent_Key: EMPTY_REF })
  catalog('Catalog_Склады', { Ref_Key: IDS.warehouses.spb, Description: 'Склад Санкт-Петербург', IsFolder: false, Parent_Key: EMPTY_REF })
  for (const [key, name] of [
    ['coffee', 'Кофе'],
    ['tea', 'Чай'],
    ['other', 'Прочие товары'],
    ['equipment', 'Оборудование'],
  ] as const) {
    catalog('Catalog_ЦеновыеГруппы', { Ref_Key: IDS.priceGroups[key], Description: name, Code: key.toUpperCase().slice(0, 9) })
  }
  catalog('Catalog_СегментыНоменклатуры', { Ref_Key: IDS.segment, Description: 'Бонусный ассортимент' })
  catalog('Catalog_БонусныеПрограммыЛояльности', {
    Ref_Key: IDS.programme,
    Description: 'Партнёрская программа',
    МаксимальныйПроцентОплатыБонусами: 30,
    КурсКонвертацииБонусовВВалюту: 1,
    ВалютаКонвертацииБонусов_Key: IDS.rub,
    НеНачислятьБаллыПриОплатеБонусами: false,
    СегментНоменклатуры_Key: IDS.segment,
    БезУчетаПредоставленныхСкидок: false,
    ЦеновыеГруппы: [
      { Ref_Key: IDS.programme, LineNumber: '1', ЦеноваяГруппа_Key: IDS.priceGroups.coffee, МаксимальныйПроцентОплатыБонусами: 10 },
      { Ref_Key: IDS.programme, LineNumber: '2', ЦеноваяГруппа_Key: IDS.priceGroups.tea, МаксимальныйПроцентОплатыБонусами: 50 },
    ],
  })

  // Goods: folders of Номенклатура, items, characteristics of some tea.
  let code = 0
  const prices: Movement[] = []
  const stock: Movement[] = []
  const segment: Movement[] = []
  const priceDoc = refOf('УстановкаЦенНоменклатуры', 1)
  const stockDoc = refOf('ОприходованиеИзлишковТоваров', 1)
  for (const group of GROUPS) {
    const folder = refOf('Номенклатура', group.key)
    catalog('Catalog_Номенклатура', {
      Ref_Key: folder,
      Code: '',
      Description: group.name,
      IsFolder: true,
      Parent_Key: EMPTY_REF,
      Артикул: null,
      ЦеноваяГруппа_Key: null,
      ЕдиницаИзмерения_Key: null,
    })
    const seen = new Set<string>()
    const total = group.words.reduce((product, words) => product * words.length, 1)
    for (let index = 0; seen.size < Math.min(group.count, total); index += 1) {
      // Mixed radix over the word lists, walked with a stride coprime to their product: varied names, none twice.
      let rest = (index * 11) % total
      const name = group.words
        .map((words) => {
          const word = pick(words, rest)
          rest = Math.floor(rest / words.length)
          return word
        })
        .join(' ')
      if (seen.has(name)) continue
      seen.add(name)
      code += 1
      const ref = refOf('Номенклатура', group.key, seen.size)
      const sku = `${group.key.slice(0, 3).toUpperCase()}-${String(code).padStart(4, '0')}`
      catalog('Catalog_Номенклатура', {
        Ref_Key: ref,
        Code: `00-${String(code).padStart(8, '0')}`,
        Description: name,
        НаименованиеПолное: name,
        IsFolder: false,
        Parent_Key: folder,
        Артикул: sku,
        ЦеноваяГруппа_Key: group.priceGroup,
        ЕдиницаИзмерения_Key: refOf('УпаковкиЕдиницыИзмерения', 'шт'),
        ВидНоменклатуры: group.name,
        СтавкаНДС: 'НДС20',
      })
      const variants = group.key === 'tea' && seen.size <= 12 ? ['100 г', '500 г'] : [null]
      for (const variant of variants) {
        const characteristic = variant ? refOf('ХарактеристикиНоменклатуры', ref, variant) : EMPTY_REF
        if (variant) catalog('Catalog_ХарактеристикиНоменклатуры', { Ref_Key: characteristic, Owner: ref, Description: variant })
        const [low, high] = group.base
        const base = Math.round((low + rnd() * (high - low)) * (variant === '500 г' ? 4.2 : 1)) * 100 + (rnd() < 0.3 ? 50 : 0)
        const line = (prices.length + 1).toString()
        for (const [type, factor] of [
          [IDS.priceTypes.wholesale, 1],
          [IDS.priceTypes.large, 0.92],
          [IDS.priceTypes.retail, 1.25],
        ] as const) {
          prices.push({
            Period: longAgo,
            Recorder_Key: priceDoc,
            Recorder_Type: 'StandardODATA.Document_УстановкаЦенНоменклатуры',
            LineNumber: line,
            Active: true,
            Номенклатура_Key: ref,
            Характеристика_Key: characteristic,
            ВидЦены_Key: type,
            Цена: Math.round(base * factor),
            Упаковка_Key: EMPTY_REF,
            Валюта_Key: IDS.rub,
          })
        }
        for (const warehouse of [IDS.warehouses.main, IDS.warehouses.spb]) {
          const quantity = rnd() < 0.12 ? 0 : Math.floor(rnd() * (group.key === 'equipment' ? 12 : 240))
          if (quantity > 0)
            stock.push({
              Period: longAgo,
              Recorder_Key: stockDoc,
              Recorder_Type: 'StandardODATA.Document_ОприходованиеИзлишковТоваров',
              LineNumber: String(stock.length + 1),
              Active: true,
              RecordType: 'Receipt',
              Номенклатура_Key: ref,
              Характеристика_Key: characteristic,
              Склад_Key: warehouse,
              Назначение_Key: EMPTY_REF,
              Помещение_Key: EMPTY_REF,
              Серия_Key: EMPTY_REF,
              ВНаличии: quantity,
              КОтгрузке: 0,
            })
        }
      }
      if (group.inSegment)
        segment.push({
          Period: longAgo,
          Recorder_Key: EMPTY_REF,
          Recorder_Type: '',
          LineNumber: '0',
          Active: true,
          Сегмент_Key: IDS.segment,
          Номенклатура_Key: ref,
          Характеристика_Key: EMPTY_REF,
        })
    }
  }
  registers['InformationRegister_ЦеныНоменклатуры'] = prices
  registers['AccumulationRegister_ТоварыНаСкладах'] = stock
  registers['InformationRegister_НоменклатураСегмента'] = segment

  // Customers: partner → counterparty (ИНН/КПП, head company) → agreement (price type, validity).
  const bonus: Movement[] = []
  const accrual = refOf('НачислениеИСписаниеБонусныхБаллов', 1)
  for (const customer of CUSTOMERS) {
    const partner = partnerOf(customer.key)
    catalog('Catalog_Партнеры', {
      Ref_Key: partner,
      Code: `П-${customer.inn || customer.key}`,
      Description: customer.name,
      НаименованиеПолное: customer.fullName,
      Клиент: true,
      Поставщик: false,
      IsFolder: false,
      Parent_Key: EMPTY_REF,
      ЮрФизЛицо: customer.legal === 'ФизЛицо' ? 'ЧастноеЛицо' : 'Компания',
    })
    catalog('Catalog_Контрагенты', {
      Ref_Key: counterpartyOf(customer.key),
      Description: customer.name,
      НаименованиеПолное: customer.fullName,
      Партнер_Key: partner,
      ИНН: customer.inn,
      КПП: customer.kpp,
      ЮрФизЛицо: customer.legal,
      ГоловнойКонтрагент_Key: customer.head ? counterpartyOf(customer.head) : counterpartyOf(customer.key),
      IsFolder: false,
    })
    const agreement = (suffix: string, from: string, to: string, priceType: string, status = 'Действует') =>
      catalog('Catalog_СоглашенияСКлиентами', {
        Ref_Key: refOf('СоглашенияСКлиентами', customer.key, suffix),
        Description: `Договор поставки ${customer.name}${suffix === 'old' ? ' (до 2026 г.)' : ''}`,
        Number: `С-${String(CUSTOMERS.indexOf(customer) + 1).padStart(5, '0')}${suffix === 'old' ? '-1' : ''}`,
        Партнер_Key: partner,
        Контрагент_Key: counterpartyOf(customer.key),
        Организация_Key: IDS.organisation,
        ВидЦен_Key: priceType,
        Валюта_Key: IDS.rub,
        Склад_Key: IDS.warehouses.main,
        ЦенаВключаетНДС: true,
        ХозяйственнаяОперация: 'РеализацияКлиенту',
        Статус: status,
        Типовое: false,
        ДатаНачалаДействия: from,
        ДатаОкончанияДействия: to,
      })
    // An agreement that ended, with another price type: only the one in force counts.
    if (customer.key === 'lavka') agreement('old', '2024-01-01T00:00:00', '2025-12-31T23:59:59', IDS.priceTypes.retail)
    agreement('main', '2026-01-01T00:00:00', EMPTY_DATE, customer.priceType)
    if (customer.points > 0) {
      bonus.push(bonusMovement(accrual, 'Document_НачислениеИСписаниеБонусныхБаллов', longAgo, 'Receipt', partner, { Начислено: customer.points }, bonus.length + 1))
    }
  }
  // Future-dated movements the balance at "now" must not show: an accrual that activates in ten days
  // and a scheduled write-off of expiring points in twenty (as УТ 11.5 writes them ahead).
  const future = refOf('НачислениеИСписаниеБонусныхБаллов', 2)
  bonus.push(bonusMovement(future, 'Document_НачислениеИСписаниеБонусныхБаллов', naiveDaysFrom(timeZone, 10), 'Receipt', partnerOf('ostozhenka'), { Начислено: 200_000 }, 1))
  bonus.push(bonusMovement(future, 'Document_НачислениеИСписаниеБонусныхБаллов', naiveDaysFrom(timeZone, 20), 'Receipt', partnerOf('lavka'), { КСписанию: 50_000 }, 2))
  // A sale that paid with points (a write-off by РеализацияТоваровУслуг), and an accrual made by
  // mistake and reversed (Сторно: the same record type, negative amounts).
  const sale = refOf('РеализацияТоваровУслуг', 1)
  bonus.push(bonusMovement(sale, 'Document_РеализацияТоваровУслуг', '2026-03-14T12:30:00', 'Expense', partnerOf('vostok'), { Начислено: 300_000 }, 1))
  const mistaken = refOf('НачислениеИСписаниеБонусныхБаллов', 3)
  bonus.push(bonusMovement(mistaken, 'Document_НачислениеИСписаниеБонусныхБаллов', '2026-04-01T09:00:00', 'Receipt', partnerOf('smirnova'), { Начислено: 50_000 }, 1))
  const reversal = refOf('НачислениеИСписаниеБонусныхБаллов', 4)
  bonus.push({
    ...bonusMovement(reversal, 'Document_НачислениеИСписаниеБонусныхБаллов', '2026-04-02T10:00:00', 'Receipt', partnerOf('smirnova'), { Начислено: -50_000 }, 1),
    Сторно: true,
  })
  registers['AccumulationRegister_БонусныеБаллы'] = bonus
  const document = (ref: string, number: string, date: string, extra: Row = {}) => ({
    Ref_Key: ref,
    Number: number,
    Date: date,
    Posted: true,
    DeletionMark: false,
    DataVersion: 'AAAAAQAAAAA=',
    ...extra,
  })
  const documents: Record<string, Row[]> = {
    Document_ЗаказКлиента: [],
    Document_НачислениеИСписаниеБонусныхБаллов: [
      document(accrual, 'ОП00-000101', longAgo, { ДатаОкончанияСрокаДействия: EMPTY_DATE, Комментарий: 'Начисление по итогам 2024 года' }),
      document(future, 'ОП00-000102', naiveDaysFrom(timeZone, 0), { ДатаОкончанияСрокаДействия: naiveDaysFrom(timeZone, 20), Комментарий: 'Акция: баллы действуют 20 дней' }),
      document(mistaken, 'ОП00-000103', '2026-04-01T09:00:00', { ДатаОкончанияСрокаДействия: EMPTY_DATE, Комментарий: 'Начислено ошибочно' }),
      document(reversal, 'ОП00-000104', '2026-04-02T10:00:00', { ДатаОкончанияСрокаДействия: EMPTY_DATE, Комментарий: 'Сторно ошибочного начисления' }),
    ],
    Document_РеализацияТоваровУслуг: [
      document(sale, 'ОП00-000501', '2026-03-14T12:30:00', { Партнер_Key: partnerOf('vostok'), СуммаДокумента: 18_000_000 }),
      ...salesHistory(timeZone),
    ],
  }
  void now

  return {
    version: 1,
    catalogs,
    registers,
    documents,
    counters: { order: 0, status: 0 },
    exchange: { fullSent: false, changedOffers: [], runs: 0 },
    siteOrders: {},
  }
}

/**
 * A year of sales (posted РеализацияТоваровУслуг) that gives the churn signal and the levels
 * something to read: the café buys every 14 days and has been quiet for 20 (the red zone), ТД Восток
 * every 30 and quiet for 34 (a warning), the tea shop weekly and bought 3 days ago, ИП Смирнова twice
 * (too little history).
 */
function salesHistory(timeZone: string): Row[] {
  const plan: Array<{ key: string; every: number; quiet: number; count: number; amountMinor: number }> = [
    { key: 'ostozhenka', every: 14, quiet: 20, count: 24, amountMinor: 2_200_000 },
    { key: 'vostok', every: 30, quiet: 34, count: 11, amountMinor: 14_500_000 },
    { key: 'lavka', every: 7, quiet: 3, count: 50, amountMinor: 350_000 },
    { key: 'smirnova', every: 45, quiet: 10, count: 2, amountMinor: 900_000 },
  ]
  const out: Row[] = []
  for (const item of plan) {
    for (let index = 0; index < item.count; index += 1) {
      const daysAgo = item.quiet + index * item.every
      out.push({
        Ref_Key: refOf('РеализацияТоваровУслуг', item.key, index),
        Number: `ОП00-${String(1000 + out.length).padStart(6, '0')}`,
        Date: naiveDaysFrom(timeZone, -daysAgo),
        Posted: true,
        DeletionMark: false,
        DataVersion: 'AAAAAQAAAAA=',
        Партнер_Key: partnerOf(item.key),
        СуммаДокумента: item.amountMinor,
      })
    }
  }
  return out
}

export function bonusMovement(
  recorder: string,
  recorderType: string,
  period: string,
  recordType: 'Receipt' | 'Expense',
  partner: string,
  amounts: { Начислено?: number; КСписанию?: number; Зарезервировано?: number },
  line: number,
): Movement {
  return {
    Period: period,
    Recorder_Key: recorder,
    Recorder_Type: `StandardODATA.${recorderType}`,
    LineNumber: String(line),
    Active: true,
    RecordType: recordType,
    БонуснаяПрограммаЛояльности_Key: IDS.programme,
    Партнер_Key: partner,
    Начислено: amounts.Начислено ?? 0,
    КСписанию: amounts.КСписанию ?? 0,
    Зарезервировано: amounts.Зарезервировано ?? 0,
    Сторно: false,
    ДатаНачалаДействия: period,
    ДатаКОбработке: EMPTY_DATE,
  }
}
