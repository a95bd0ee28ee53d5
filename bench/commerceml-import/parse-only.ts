/** One parse-only pass over a file: streaming parser + offer normalization, no store. Prints JSON. */
import { CommerceMlProfile } from '../../src/onec/mapping/profile.ts'
import { cmlRecordType, readOffer, readPriceType, streamXmlFile, type CmlReferences, type FileContext } from '../../src/onec/commerceml/index.ts'
import { ownPeakRss } from '../stats.ts'

const path = process.argv[2]
if (!path) throw new Error('usage: parse-only.ts <file>')
const refs: CmlReferences = { priceTypes: new Map(), properties: new Map(), warehouses: new Map() }
const ctx: FileContext = { file: path, profile: CommerceMlProfile.parse({}), refs }
let offers = 0
const started = performance.now()
const result = await streamXmlFile(path, {
  fileName: path,
  recordType: cmlRecordType,
  onRecords: (batch) => {
    for (const { type, node } of batch) {
      if (type === 'offer') {
        readOffer(node, ctx, false)
        offers += 1
      } else if (type === 'priceType') {
        const ref = readPriceType(node)
        refs.priceTypes.set(ref.id, ref)
      }
    }
  },
})
const seconds = (performance.now() - started) / 1000
console.log(JSON.stringify({ bytes: result.bytes, offers, seconds, peakRssBytes: await ownPeakRss() }))
