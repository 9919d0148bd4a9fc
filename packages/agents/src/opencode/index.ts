export { opencodeReader } from './reader.js'
