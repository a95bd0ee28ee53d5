export * from './model.ts'
export * from './money.ts'
export * from './canonical.ts'
export * from './prepare.ts'
