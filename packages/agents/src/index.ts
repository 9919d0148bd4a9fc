export const READERS: readonly never[] = []
