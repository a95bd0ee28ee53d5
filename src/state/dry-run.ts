/** Thrown inside a transaction to roll back a dry run while carrying out what it would have done. */
export class DryRunRollback extends Error {
  readonly result: unknown
  constructor(result: unknown) {
    super('dry run: rolled back')
    this.result = result
  }
}
