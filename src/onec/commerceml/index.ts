export { streamXmlFile, sniffEncoding, XmlInputError, child, childText, childrenNamed, type XmlNode, type StreamOptions } from './xml-stream.ts'
export {
  CmlHeader,
  cmlRecordType,
  isCompleteOffer,
  mergeOffer,
  parseBoolean,
  priceTypeEntity,
  productUpdate,
  readOffer,
  readPriceType,
  readProperty,
  warehouseEntity,
  type CmlReferences,
  type FileContext,
  type OfferUpdate,
  type ProductUpdate,
  type PriceTypeRef,
  type PropertyDefinition,
  type RecordType,
} from './read-cml.ts'
export { normalizeCurrency } from './currency.ts'
export {
  sanitizeFileName,
  sessionDir,
  writeUpload,
  startsWithZipSignature,
  unpackZip,
  removeSessionDirs,
  UnsafeFileNameError,
  UploadTooLargeError,
  ZipRefusedError,
  type ZipLimits,
} from './spool.ts'
export { unpackZipOnThread } from './unzip-thread.ts'
export { diskUploads, storeUploads, PIECE_BYTES, type UploadStore, type Unpack } from './uploads.ts'
export {
  createSession,
  findSession,
  getSession,
  setSessionVersion,
  recordUpload,
  markUnpacked,
  expireSessions,
  type ExchangeSession,
  type SessionState,
  type UploadedFile,
} from './sessions.ts'
export { exchangeRoutes, EXCHANGE_COOKIE, type ExchangeRoutesOptions, type ExchangeImportPort, type ExchangeAnswer, type SaleExchangePort } from './routes.ts'
export { parseCmlFile, convertRecords, type CmlBatch, type CmlFileSummary, type ParseOptions } from './parse-file.ts'
export type { PackageKind } from './read-cml.ts'
export {
  buildOrdersXml,
  orderDocument,
  ordersXmlOf,
  readOrderChanges,
  readOrderChange,
  type SaleOrder,
  type SaleOrderLine,
  type OrdersXmlOptions,
  type OrderChangeRecord,
} from './orders-xml.ts'
