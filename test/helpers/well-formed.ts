/** A strict XML 1.0 check (saxes: the parser the importer streams with): throws naming the line and column of the first fault. */
import { SaxesParser } from 'saxes'

export function assertWellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: false })
  let fault: Error | null = null
  parser.on('error', (error) => {
    fault ??= error
  })
  parser.write(xml).close()
  if (fault) throw fault
}
