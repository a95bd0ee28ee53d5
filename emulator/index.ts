/**
 * A УТ 11.5 base in one process, for the demo and the contract tests — never loaded by the service.
 * It publishes the OData interface (odata-server.ts) and plays 1C's side of «Обмен с сайтом»
 * against the site (site-client.ts): a full catalogue exchange at start, then every few minutes
 * a changes-only one after a few prices and stock have changed; the order exchange fetches the
 * site's orders, writes them as ЗаказКлиента, posts them after a delay (the bonus write-off goes
 * into БонусныеБаллы) and uploads their state back.
 */
import { randomUUID } from 'node:crypto'
import iconv from 'iconv-lite'
import { XMLParser } from 'fast-xml-parser'
import { EMPTY_REF, minorOf } from './ids.ts'
import { OneCError, openBase, type Base } from './base.ts'
import { importXml, offersXml, orderChangesXml, type OrderChange } from './commerceml.ts'
import { startODataServer, type ODataServer } from './odata-server.ts'
import { IDS, type Row } from './seed.ts'
import { createSiteClient, type SiteClient } from './site-client.ts'

export { CUSTOMERS, IDS, partnerOf, counterpartyOf } from './seed.ts'
export type { Base } from './base.ts'

export interface EmulatorOptions {
  /** Where the base keeps its data between starts. */
  dataDir: string
  /** Start from the seed instead of what the folder holds. */
  reset?: boolean
  /** The 1C server's time zone (its dates are wall-clock times there). */
  timeZone?: string
  odata: { port?: number; host?: string; user: string; password: string }
  /** The site 1C exchanges with; without it the base only answers OData. */
  site?: { url: string; user: string; password: string }
  /** Changes-only catalogue exchange every … ms (0 = only the full one at start). */
  catalogEveryMs?: number
  /** Prices and stock changed before each changes-only exchange. */
  changesPerRun?: number
  /** Order exchange every … ms (0 = none). */
  orderEveryMs?: number
  /** An order taken from the site is posted this long after. */
  postAfterMs?: number
  /** End a full exchange with deactivate/complete (the 1C-Bitrix module does; the standard УТ 11 module stops after import). */
  deactivate?: boolean
  /** Names of the requisites the site writes the bonuses spent into (the profile's orders.bonusPayment). */
  bonusRequisite?: string
  log?: (line: string) => void
}

export interface Emulator {
  base: Base
  odata: ODataServer
  site: SiteClient | null
  /** A catalogue exchange: everything (`full`) or the offers changed since the last one. */
  runCatalogExchange(full?: boolean): Promise<{ files: string[]; answers: string[]; chunks: number }>
  /** One order exchange: take new orders, post the due ones, upload the state of changed ones. */
  runOrderExchange(): Promise<{ taken: string[]; posted: string[]; reported: string[] }>
  stop(): Promise<void>
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ['Документ', 'Товар', 'ЗначениеРеквизита', 'Контрагент', 'Контейнер'].includes(name),
})
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])

function decodeXml(bytes: Buffer): string {
  const head = bytes.subarray(0, 200).toString('latin1')
  return /encoding="windows-1251"/i.test(head) ? iconv.decode(bytes, 'win1251') : bytes.toString('utf8').replace(/^\ufeff/, '')
}

function requisitesOf(node: Row): Map<string, string> {
  const values = new Map<string, string>()
  for (const item of list((node.ЗначенияРеквизитов as Row | undefined)?.ЗначениеРеквизита as Row[] | undefined))
    values.set(String(item.Наименование).toLowerCase(), String(item.Значение ?? ''))
  return values
}

// Taking one site order as ЗаказКлиента, as ОбменССайтом does: the buyer by its Ид (a partner) or ИНН,
// the goods by Ид (`product#characteristic`), the agreement in force for organisation, warehouse and
// price type; the bonuses spent from the requisites the integrator added to the exchange.
function orderFromSite(base: Base, document: Row, bonusRequisite: string): Row {
  const buyer = list((document.Контрагенты as Row | undefined)?.Контрагент as Row[] | undefined)[0] ?? {}
  const partners = base.state.catalogs['Catalog_Партнеры'] ?? []
  const counterparties = base.state.catalogs['Catalog_Контрагенты'] ?? []
  const partner =
    partners.find((row) => row.Ref_Key === buyer.Ид) ?? partners.find((row) => counterparties.some((c) => c.Партнер_Key === row.Ref_Key && c.ИНН && c.ИНН === buyer.ИНН))
  if (!partner) throw new OneCError(500, '-1', `Не найден контрагент ${String(buyer.Наименование ?? buyer.Ид)}`)
  const counterparty = counterparties.find((row) => row.Партнер_Key === partner.Ref_Key)
  const now = base.now()
  const agreement = (base.state.catalogs['Catalog_СоглашенияСКлиентами'] ?? []).find(
    (row) =>
      row.Партнер_Key === partner.Ref_Key &&
      row.Статус === 'Действует' &&
      String(row.ДатаНачалаДействия) <= now &&
      (row.ДатаОкончанияДействия === '0001-01-01T00:00:00' || String(row.ДатаОкончанияДействия) >= now),
  )
  const header = requisitesOf(document)
  const bonusMoney = minorOf(header.get(bonusRequisite.toLowerCase()) ?? '0')
  const bonusPoints = minorOf(header.get('бонусных баллов к списанию') ?? '0')
  const goods = list((document.Товары as Row | undefined)?.Товар as Row[] | undefined).filter((line) => line.Ид !== 'ORDER_DELIVERY')
  let pointsLeft = bonusPoints
  const lines = goods.map((line, index) => {
    const [product = '', characteristic = EMPTY_REF] = String(line.Ид).split('#')
    const lineMoney = minorOf(requisitesOf(line).get(bonusRequisite.toLowerCase()) ?? '0')
    const points = index === goods.length - 1 ? pointsLeft : bonusMoney > 0 ? Math.floor((lineMoney * bonusPoints) / bonusMoney) : 0
    pointsLeft -= points
    return {
      LineNumber: String(index + 1),
      Номенклатура_Key: product,
      Характеристика_Key: characteristic,
      Количество: Number(line.Количество),
      КоличествоУпаковок: Number(line.Количество),
      ВидЦены_Key: agreement?.ВидЦен_Key ?? EMPTY_REF,
      Цена: String(line.ЦенаЗаЕдиницу),
      Сумма: String(line.Сумма),
      СуммаСНДС: String(line.Сумма),
      Склад_Key: agreement?.Склад_Key ?? IDS.warehouses.main,
      СуммаБонусныхБалловКСписанию: (points / 100).toFixed(2),
      СуммаБонусныхБалловКСписаниюВВалюте: (lineMoney / 100).toFixed(2),
    }
  })
  return {
    Date: `${String(document.Дата)}T${String(document.Время ?? '00:00:00')}`,
    Партнер_Key: partner.Ref_Key,
    Контрагент_Key: counterparty?.Ref_Key,
    Соглашение_Key: agreement?.Ref_Key ?? EMPTY_REF,
    Организация_Key: agreement?.Организация_Key ?? IDS.organisation,
    Валюта_Key: IDS.rub,
    Склад_Key: agreement?.Склад_Key ?? IDS.warehouses.main,
    ХозяйственнаяОперация: 'РеализацияКлиенту',
    Статус: 'КОбеспечению',
    НомерПоДаннымКлиента: String(document.Номер),
    Комментарий: String(document.Комментарий ?? ''),
    СуммаДокумента: String(document.Сумма ?? '0'),
    Товары: lines,
  }
}

const stateKey = (order: Row) => `${String(order.Posted === true)}|${String(order.DeletionMark === true)}|${String(order.Статус)}`

// eslint-disable-next-line max-lines-per-function
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const log = options.log ?? (() => undefined)
  const base = openBase(options.dataDir, { timeZone: options.timeZone ?? 'Europe/Moscow', reset: options.reset ?? false })
  const odata = await startODataServer({ base, user: options.odata.user, password: options.odata.password, port: options.odata.port ?? 0, host: options.odata.host ?? '127.0.0.1' })
  const site = options.site ? createSiteClient({ ...options.site, log: (line) => log(`обмен: ${line}`) }) : null
  const bonusRequisite = options.bonusRequisite ?? 'Оплачено бонусными баллами'
  const orders = () => base.state.documents['Document_ЗаказКлиента'] ?? []

  async function runCatalogExchange(full = !base.state.exchange.fullSent) {
    if (!site) throw new Error('no site to exchange with')
    const changed = new Set(base.state.exchange.changedOffers)
    const answers: string[] = []
    const files: string[] = []
    let chunks = 0
    if (full) {
      const first = await site.sendPortion('catalog', [{ name: 'import0_1.xml', bytes: importXml(base) }])
      const second = await site.sendPortion('catalog', [{ name: 'offers0_1.xml', bytes: offersXml(base) }])
      answers.push(...first.answers, ...second.answers)
      chunks += first.chunks + second.chunks
      files.push('import0_1.xml', 'offers0_1.xml')
      if (options.deactivate ?? true) await site.finish('catalog', first.session.timestamp)
      base.state.exchange.fullSent = true
    } else if (changed.size > 0) {
      const portion = await site.sendPortion('catalog', [{ name: 'offers0_1.xml', bytes: offersXml(base, changed) }])
      answers.push(...portion.answers)
      chunks += portion.chunks
      files.push('offers0_1.xml')
    }
    // Sent: the changes are no longer registered for the site (a failed exchange keeps them for the next).
    base.state.exchange.changedOffers = base.state.exchange.changedOffers.filter((offer) => !changed.has(offer))
    base.state.exchange.runs += 1
    base.save()
    return { files, answers, chunks }
  }

  async function takeOrders(): Promise<string[]> {
    if (!site) return []
    const { session, xml } = await site.queryOrders()
    const root = (parser.parse(decodeXml(xml)) as Row).КоммерческаяИнформация as Row | undefined
    const documents = [
      ...list(root?.Документ as Row[] | undefined),
      ...list(root?.Контейнер as Row[] | undefined).flatMap((container) => list(container.Документ as Row[] | undefined)),
    ]
    const taken: string[] = []
    for (const document of documents) {
      if (
        String(document.ХозОперация ?? '')
          .trim()
          .toLowerCase() !== 'заказ товара'
      )
        continue
      const siteId = String(document.Ид)
      const known = base.state.siteOrders[siteId]
      const cancelled = requisitesOf(document).get('отменен') === 'true'
      if (known) {
        const order = orders().find((row) => row.Ref_Key === known.ref)
        if (order && cancelled && order.Статус !== 'Закрыт') {
          order.Статус = 'Закрыт'
          known.postAt = null
          const bonus = base.records('AccumulationRegister_БонусныеБаллы')
          base.state.registers['AccumulationRegister_БонусныеБаллы'] = bonus.filter((movement) => movement.Recorder_Key !== known.ref)
        }
        continue
      }
      try {
        const order = base.writeOrder(orderFromSite(base, document, bonusRequisite))
        base.state.siteOrders[siteId] = {
          ref: String(order.Ref_Key),
          siteNumber: String(document.Номер),
          postAt: cancelled ? null : Date.now() + (options.postAfterMs ?? 10_000),
          reported: '',
        }
        taken.push(String(document.Номер))
        log(`заказ ${String(document.Номер)} с сайта записан как ${String(order.Number)}`)
      } catch (error) {
        log(`заказ ${String(document.Номер)} с сайта не записан: ${(error as Error).message}`)
      }
    }
    base.save()
    await site.confirmOrders(session)
    return taken
  }

  function postDue(): string[] {
    const posted: string[] = []
    for (const entry of Object.values(base.state.siteOrders)) {
      if (entry.postAt === null || entry.postAt > Date.now()) continue
      entry.postAt = null
      try {
        const order = base.postOrder(entry.ref)
        posted.push(entry.siteNumber)
        log(`заказ ${String(order.Number)} (сайт ${entry.siteNumber}) проведён`)
      } catch (error) {
        log(`заказ сайта ${entry.siteNumber} не проведён: ${(error as Error).message}`)
      }
    }
    base.save()
    return posted
  }

  async function reportChanges(): Promise<string[]> {
    if (!site) return []
    const changes: OrderChange[] = []
    for (const [siteId, entry] of Object.entries(base.state.siteOrders)) {
      const order = orders().find((row) => row.Ref_Key === entry.ref)
      if (order && stateKey(order) !== entry.reported) changes.push({ siteId, siteNumber: entry.siteNumber, order })
    }
    if (changes.length === 0) return []
    await site.sendPortion('sale', [{ name: `orders-${randomUUID()}_1.xml`, bytes: orderChangesXml(base, changes) }])
    for (const change of changes) {
      const entry = base.state.siteOrders[change.siteId]
      if (entry) entry.reported = stateKey(change.order)
    }
    base.save()
    return changes.map((change) => change.siteNumber)
  }

  async function runOrderExchange() {
    const taken = await takeOrders()
    const posted = postDue()
    const reported = await reportChanges()
    return { taken, posted, reported }
  }

  const timers: NodeJS.Timeout[] = []
  let busy = Promise.resolve()
  const every = (ms: number | undefined, work: () => Promise<unknown>, what: string) => {
    if (!ms || !site) return
    timers.push(
      setInterval(() => {
        busy = busy.then(work).then(
          () => undefined,
          (error: unknown) => log(`${what}: ${(error as Error).message}`),
        )
      }, ms),
    )
  }
  every(
    options.catalogEveryMs,
    async () => {
      base.changeSome(options.changesPerRun ?? 5)
      await runCatalogExchange(false)
    },
    'обмен каталогом',
  )
  every(options.orderEveryMs, runOrderExchange, 'обмен заказами')

  return {
    base,
    odata,
    site,
    runCatalogExchange,
    runOrderExchange,
    async stop() {
      for (const timer of timers) clearInterval(timer)
      await busy
      await odata.close()
    },
  }
}
