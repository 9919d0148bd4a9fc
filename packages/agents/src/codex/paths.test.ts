import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { codexHome, codexRoots, discoverRollouts } from './paths.js'

async function collect(home: string) {
  const out: string[] = []
  for await (const path of discoverRollouts(home)) out.push(path)
  return out
}

describe('codexHome / codexRoots', () => {
  it('prefers an explicit root, then CODEX_HOME, then HOME/.codex, then USERPROFILE', () => {
    expect(codexHome({ HOME: '/h', CODEX_HOME: '/c' }, '/explicit')).toBe(resolve('/explicit'))
    expect(codexHome({ HOME: '/h', CODEX_HOME: ' /c ' })).toBe(resolve('/c'))
    expect(codexHome({ HOME: '/h', CODEX_HOME: '' })).toBe(join('/h', '.codex'))
    expect(codexHome({ USERPROFILE: 'C:/Users/me' })).toBe(join('C:/Users/me', '.codex'))
    expect(codexRoots({})).toEqual([])
    expect(codexRoots({ HOME: '/h' })).toEqual([join('/h', '.codex')])
  })
})

describe('discoverRollouts', () => {
  it('yields nothing for a home that does not exist', async () => {
    expect(await collect(join(tmpdir(), 'codex-does-not-exist', '.codex'))).toEqual([])
  })
})
