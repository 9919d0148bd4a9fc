export * from './domain/cost.js'
export * from './errors.js'
export * from './export/index.js'
export * from './wire/index.js'
