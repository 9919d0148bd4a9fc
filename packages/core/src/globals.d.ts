// The few web-standard APIs core uses; core has no DOM and no Node typings.
declare class TextEncoder {
  encode(input?: string): Uint8Array
}
