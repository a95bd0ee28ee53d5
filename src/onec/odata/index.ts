export {
  createODataClient,
  ODataError,
  guidLiteral,
  quote,
  datetimeLiteral,
  parseLosslessJson,
  type ODataClient,
  type ODataClientOptions,
  type ODataRow,
  type ODataQuery,
} from './client.ts'
export { readRows, mapRows, applyTransform, setPath, SourceRowError } from './read-source.ts'
export { toNaive, fromNaive } from './time.ts'
export { parseMetadata, checkProfile, type ODataMetadata, type MetadataProblem } from './metadata.ts'
export { EMPTY_REF, OrderMappingError, orderValue, orderScope, findOrderDocument, buildOrderDocument, documentState, type OrderForDocument } from './order-document.ts'
