export * from './model.ts'
export * from './money.ts'
