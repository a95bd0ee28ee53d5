/**
 * The emulated infobase: its data (seed.ts on the first start, then a JSON file in its folder, so
 * a restarted demo remembers the orders it took and the points they spent) and what 1C itself
 * does with it — register balances and slices at a moment, an order written and posted, prices
 * and stock that change between exchanges.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EMPTY_DATE, EMPTY_REF, minorOf, naiveNow, refOf } from './ids.ts'
import { bonusMovement, IDS, seedBase, type BaseState, type Movement, type Row } from './seed.ts'

/** Fields typed Число(15,2) in the base: kept in minor units here, written as 1C's decimals. */
export const MONEY_FIELDS = new Set([
  'Цена',
  'Начислено',
  'КСписанию',
  'Зарезервировано',
  'СуммаДокумента',
  'Сумма',
  'СуммаСНДС',
  'СуммаНДС',
  'СуммаАвтоматическойСкидки',
  'СуммаБонусныхБалловКСписанию',
  'СуммаБонусныхБалловКСписаниюВВалюте',
])

/** A business error of 1C: HTTP 500 with code -1 and 1C's own message. */
export class OneCError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

export interface Base {
  readonly state: BaseState
  readonly timeZone: string
  now(): string
  save(): void
  /** A register's movements or records (`AccumulationRegister_X`, `InformationRegister_X`). */
  records(register: string): Movement[]
  /** `Balance` of an accumulation register at `period`: one row per dimension set, resources summed, zero rows left out. */
  balance(register: string, period: string): Row[]
  /** `SliceLast` of a periodic information register at `period`. */
  sliceLast(register: string, period: string): Row[]
  /** Writes a Document_ЗаказКлиента as 1C's object module would: checks, number, date. */
  writeOrder(body: Row): Row
  /** Posts an order: its bonus write-off goes into БонусныеБаллы. */
  postOrder(ref: string): Row
  /** A few price and stock changes, as the supplier's day makes them; the offers changed. */
  changeSome(count: number): string[]
}

const DIMENSIONS: Record<string, string[]> = {
  AccumulationRegister_БонусныеБаллы: ['БонуснаяПрограммаЛояльности_Key', 'Партнер_Key'],
  AccumulationRegister_ТоварыНаСкладах: ['Номенклатура_Key', 'Характеристика_Key', 'Назначение_Key', 'Склад_Key', 'Помещение_Key', 'Серия_Key'],
  InformationRegister_ЦеныНоменклатуры: ['Номенклатура_Key', 'Характеристика_Key', 'ВидЦены_Key'],
}
const RESOURCES: Record<string, string[]> = {
  AccumulationRegister_БонусныеБаллы: ['Начислено', 'КСписанию', 'Зарезервировано'],
  AccumulationRegister_ТоварыНаСкладах: ['ВНаличии', 'КОтгрузке'],
}

export function dimensionsOf(register: string): string[] {
  return DIMENSIONS[register] ?? []
}

export function resourcesOf(register: string): string[] {
  return RESOURCES[register] ?? []
}

// eslint-disable-next-line max-lines-per-function
export function openBase(folder: string, options: { timeZone: string; reset?: boolean }): Base {
  mkdirSync(folder, { recursive: true })
  const file = join(folder, 'base.json')
  const state: BaseState = !options.reset && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BaseState) : seedBase(options.timeZone)
  const now = () => naiveNow(options.timeZone)
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(state))
    renameSync(`${file}.tmp`, file)
  }
  save()
  const records = (register: string) => (state.registers[register] ??= [])
  const orders = () => (state.documents['Document_ЗаказКлиента'] ??= [])
  const catalog = (name: string) => state.catalogs[name] ?? []
  const find = (name: string, ref: unknown) => catalog(name).find((row) => row.Ref_Key === ref)

  function balance(register: string, period: string): Row[] {
    const dims = dimensionsOf(register)
    const resources = resourcesOf(register)
    const totals = new Map<string, Row>()
    for (const movement of records(register)) {
      if (!movement.Active || movement.Period > period) continue
      const key = dims.map((dim) => String(movement[dim])).join('|')
      const row = totals.get(key) ?? Object.fromEntries([...dims.map((dim) => [dim, movement[dim]]), ...resources.map((resource) => [`${resource}Balance`, 0])])
      const sign = movement.RecordType === 'Expense' ? -1 : 1
      for (const resource of resources) row[`${resource}Balance`] = Number(row[`${resource}Balance`]) + sign * Number(movement[resource] ?? 0)
      totals.set(key, row)
    }
    return [...totals.values()].filter((row) => resources.some((resource) => row[`${resource}Balance`] !== 0))
  }

  function sliceLast(register: string, period: string): Row[] {
    const dims = dimensionsOf(register)
    const last = new Map<string, Movement>()
    for (const record of records(register)) {
      if (!record.Active || record.Period > period) continue
      const key = dims.map((dim) => String(record[dim])).join('|')
      const seen = last.get(key)
      if (!seen || seen.Period <= record.Period) last.set(key, record)
    }
    return [...last.values()].map(({ Recorder_Key: _r, Recorder_Type: _t, LineNumber: _l, Active: _a, ...row }) => row)
  }

  // What ЗаказКлиента's object module checks when it is written (ОбработкаПроверкиЗаполнения): the
  // fields it needs, lines with LineNumber, goods and partners that exist.
  function writeOrder(body: Row): Row {
    const lines = body.Товары
    if (!Array.isArray(lines) || lines.length === 0) throw new OneCError(500, '-1', 'Не заполнена табличная часть "Товары"')
    const partner = find('Catalog_Партнеры', body.Партнер_Key)
    if (!partner) throw new OneCError(500, '-1', 'Поле "Клиент" не заполнено')
    if (!find('Catalog_Контрагенты', body.Контрагент_Key)) throw new OneCError(500, '-1', 'Поле "Контрагент" не заполнено')
    const stored: Row[] = lines.map((line: Row, index: number) => {
      if (line.LineNumber === undefined) throw new OneCError(500, '-1', 'Произошла внутренняя ошибка OData сервиса. Не задан номер строки табличной части')
      if (!find('Catalog_Номенклатура', line.Номенклатура_Key)) throw new OneCError(500, '-1', `В строке ${index + 1} списка "Товары" не заполнена колонка "Номенклатура"`)
      const out: Row = {
        LineNumber: String(line.LineNumber),
        Характеристика_Key: EMPTY_REF,
        Склад_Key: EMPTY_REF,
        ВидЦены_Key: EMPTY_REF,
        ПроцентАвтоматическойСкидки: 0,
        Отменено: false,
      }
      for (const [field, value] of Object.entries(line)) out[field] = MONEY_FIELDS.has(field) ? minorOf(value) : field === 'LineNumber' ? String(value) : value
      return out
    })
    state.counters.order = (state.counters.order ?? 0) + 1
    const ref = refOf('ЗаказКлиента', state.counters.order, Date.now())
    const header: Row = {}
    for (const [field, value] of Object.entries(body)) if (field !== 'Товары') header[field] = MONEY_FIELDS.has(field) ? minorOf(value) : value
    const order: Row = {
      Статус: 'НеСогласован',
      Комментарий: '',
      НомерПоДаннымКлиента: '',
      ...header,
      Ref_Key: ref,
      DataVersion: 'AAAAAQAAAAA=',
      DeletionMark: false,
      Number: `ОП00-${String(state.counters.order).padStart(6, '0')}`,
      Date: typeof body.Date === 'string' && body.Date !== EMPTY_DATE ? body.Date : now(),
      Posted: false,
      Товары: stored.map((line) => ({ Ref_Key: ref, ...line })),
    }
    orders().push(order)
    save()
    return order
  }

  // Posting ЗаказКлиента under the bonus mechanism 2.5 (ТекстЗапросаВтБонусныеБаллы): an Expense of
  // Начислено by the points to write off, the same amount reserved until the sale; a base without
  // enough points refuses the posting.
  function postOrder(ref: string): Row {
    const order = orders().find((row) => row.Ref_Key === ref)
    if (!order) throw new OneCError(404, '9', `Не найден объект с ключом ${ref}`)
    const bonus = records('AccumulationRegister_БонусныеБаллы')
    const mine = bonus.filter((movement) => movement.Recorder_Key === ref)
    for (const movement of mine) bonus.splice(bonus.indexOf(movement), 1)
    const points = (order.Товары as Row[]).reduce((sum, line) => sum + Number(line.СуммаБонусныхБалловКСписанию ?? 0), 0)
    if (points > 0) {
      const partner = String(order.Партнер_Key)
      const [account] = balance('AccumulationRegister_БонусныеБаллы', now()).filter((row) => row.Партнер_Key === partner && row.БонуснаяПрограммаЛояльности_Key === IDS.programme)
      const available = Math.max(0, Number(account?.НачисленоBalance ?? 0) - Math.max(0, Number(account?.КСписаниюBalance ?? 0)))
      if (points > available) {
        bonus.push(...mine)
        throw new OneCError(500, '-1', `Недостаточно бонусных баллов для оплаты: к списанию ${(points / 100).toFixed(2)}, доступно ${(available / 100).toFixed(2)}`)
      }
      bonus.push(bonusMovement(ref, 'Document_ЗаказКлиента', String(order.Date), 'Expense', partner, { Начислено: points, Зарезервировано: -points }, 1))
    }
    order.Posted = true
    order.DataVersion = `AAAAA${Buffer.from(String(Date.now())).toString('base64').slice(0, 6)}=`
    if (order.Статус === 'НеСогласован') order.Статус = 'КОбеспечению'
    save()
    return order
  }

  function changeSome(count: number): string[] {
    const prices = records('InformationRegister_ЦеныНоменклатуры')
    const stock = records('AccumulationRegister_ТоварыНаСкладах')
    const at = now()
    state.counters.change = (state.counters.change ?? 0) + 1
    const recorder = refOf('УстановкаЦенНоменклатуры', 'изменение', state.counters.change)
    const wholesale = sliceLast('InformationRegister_ЦеныНоменклатуры', at).filter((row) => row.ВидЦены_Key === IDS.priceTypes.wholesale)
    const changed: string[] = []
    for (let index = 0; index < count && wholesale.length > 0; index += 1) {
      const row = wholesale[(state.counters.change * 37 + index * 53) % wholesale.length] as Row
      const offer = `${String(row.Номенклатура_Key)}#${String(row.Характеристика_Key)}`
      const step = 1 + ((state.counters.change + index) % 2 === 0 ? 0.04 : -0.03)
      for (const [type, factor] of [
        [IDS.priceTypes.wholesale, 1],
        [IDS.priceTypes.large, 0.92],
        [IDS.priceTypes.retail, 1.25],
      ] as const) {
        const cost = Math.round(Number(row.Цена) * step * factor)
        prices.push({
          ...(row as Movement),
          Period: at,
          Recorder_Key: recorder,
          Recorder_Type: 'StandardODATA.Document_УстановкаЦенНоменклатуры',
          LineNumber: String(index + 1),
          Active: true,
          ВидЦены_Key: type,
          Цена: cost,
        })
      }
      stock.push({
        Period: at,
        Recorder_Key: recorder,
        Recorder_Type: 'StandardODATA.Document_ПеремещениеТоваров',
        LineNumber: String(index + 1),
        Active: true,
        RecordType: 'Receipt',
        Номенклатура_Key: row.Номенклатура_Key,
        Характеристика_Key: row.Характеристика_Key,
        Склад_Key: IDS.warehouses.spb,
        Назначение_Key: EMPTY_REF,
        Помещение_Key: EMPTY_REF,
        Серия_Key: EMPTY_REF,
        ВНаличии: 5 + index,
        КОтгрузке: 0,
      })
      changed.push(offer)
    }
    state.exchange.changedOffers = [...new Set([...state.exchange.changedOffers, ...changed])]
    save()
    return changed
  }

  return { state, timeZone: options.timeZone, now, save, records, balance, sliceLast, writeOrder, postOrder, changeSome }
}
