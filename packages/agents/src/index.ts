export * from './jsonl.js'
export * from './reader.js'
export * from './registry.js'
