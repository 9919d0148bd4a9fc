import { SOURCES } from '@opensync/core/wire'
import { describe, expect, it } from 'vitest'
import { READERS } from './registry.js'

describe('READERS', () => {
  it('has exactly one reader per agent id of SPEC §7', () => {
    expect(READERS.map((r) => r.id).sort()).toEqual([...SOURCES].sort())
  })

  it('finds nothing, and throws nothing, under an empty HOME', async () => {
    for (const reader of READERS) {
      const found = []
      for await (const source of reader.discover({ HOME: '/nonexistent-opensync-home' }))
        found.push(source)
      expect([reader.id, found]).toEqual([reader.id, []])
    }
  })
})
