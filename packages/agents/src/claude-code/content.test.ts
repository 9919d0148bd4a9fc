import { describe, expect, it } from 'vitest'
import { blockToParts, classifyUserText, titleCandidate, titleFrom } from './content.js'

describe('titles', () => {
  it('keeps the first line of the trimmed text, at most 120 characters', () => {
    expect(titleFrom('  \n Fix the bug \nmore detail')).toBe('Fix the bug')
    expect(titleFrom('   ')).toBeNull()
    const long = 'x'.repeat(200)
    expect(titleFrom(long)).toBe(`${'x'.repeat(119)}…`)
    expect(titleFrom(long)?.length).toBe(120)
  })

  it('takes slash commands only when they have arguments', () => {
    const review =
      '<command-message>review</command-message>\n<command-name>/review</command-name>\n<command-args>PR 42</command-args>'
    expect(classifyUserText(review)).toBe('command')
    expect(titleCandidate(review, 'command')).toBe('/review PR 42')
    const model = '<command-name>/model</command-name>\n<command-args></command-args>'
    expect(titleCandidate(model, 'command')).toBeNull()
  })

  it('classifies command output and interruptions', () => {
    expect(classifyUserText('<local-command-stdout>ok</local-command-stdout>')).toBe(
      'command-output',
    )
    expect(classifyUserText('<bash-stdout>hi</bash-stdout>')).toBe('command-output')
    expect(classifyUserText('[Request interrupted by user for tool use]')).toBe('interrupt')
    expect(classifyUserText('fix it')).toBe('prompt')
  })
})

describe('blockToParts', () => {
  const names = new Map([['toolu_1', 'Read']])

  it('names a tool result after its call and keeps nested images as references', () => {
    expect(
      blockToParts(
        {
          type: 'tool_result',
          tool_use_id: 'toolu_1',
          is_error: true,
          content: [
            { type: 'text', text: 'a' },
            {
              type: 'image',
              source: { type: 'url', url: 'https://x/y.png', media_type: 'image/png' },
            },
            { type: 'text', text: 'b' },
          ],
        },
        names,
      ),
    ).toEqual([
      { type: 'tool-result', callId: 'toolu_1', name: 'Read', output: 'a\nb', isError: true },
      { type: 'image', mediaType: 'image/png', url: 'https://x/y.png' },
    ])
  })

  it('keeps blocks it does not know as "other" with the raw block', () => {
    const block = { type: 'container_upload', file_id: 'f1' }
    expect(blockToParts(block, names)).toEqual([
      { type: 'other', kind: 'container_upload', raw: block },
    ])
  })
})
