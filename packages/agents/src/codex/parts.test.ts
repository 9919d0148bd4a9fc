import { describe, expect, it } from 'vitest'
import {
  contentParts,
  dedupeKey,
  endEventError,
  looksInjected,
  patchInput,
  patchParts,
  provenanceOf,
  reasoningTexts,
  toolOutput,
} from './parts.js'

describe('toolOutput', () => {
  it('unwraps {output, metadata.exit_code} JSON and reads the exit code', () => {
    const wrapped = (code: number) =>
      JSON.stringify({ output: 'text\n', metadata: { exit_code: code, duration_seconds: 0.1 } })
    expect(toolOutput(wrapped(0), undefined)).toEqual({ output: 'text\n', isError: false })
    expect(toolOutput(wrapped(127), undefined)).toEqual({ output: 'text\n', isError: true })
    expect(toolOutput(JSON.stringify({ output: 'no metadata' }), undefined)).toEqual({
      output: 'no metadata',
      isError: null,
    })
  })

  it('reads exec_command and older shell exit lines in plain text', () => {
    expect(
      toolOutput('Chunk ID: 1\nProcess exited with code 2\nOutput:\nx\n', undefined).isError,
    ).toBe(true)
    expect(toolOutput('Exit code: 0\nOutput:\nok\n', undefined).isError).toBe(false)
    expect(toolOutput('just text', undefined)).toEqual({ output: 'just text', isError: null })
    expect(toolOutput('{not json', undefined)).toEqual({ output: '{not json', isError: null })
  })

  it('reads an MCP CallToolResult and content items; success:false wins', () => {
    const mcp = JSON.stringify({ content: [{ type: 'text', text: 'boom' }], isError: true })
    expect(toolOutput(mcp, undefined)).toEqual({ output: 'boom', isError: true })
    expect(
      toolOutput(
        [
          { type: 'output_text', text: 'a' },
          { type: 'input_image', image_url: 'x' },
          { type: 'input_text', text: 'b' },
        ],
        undefined,
      ),
    ).toEqual({ output: 'a\nb', isError: null })
    expect(toolOutput('fine', false)).toEqual({ output: 'fine', isError: true })
    expect(toolOutput(undefined, undefined)).toEqual({ output: '', isError: null })
  })
})

describe('patchParts / patchInput', () => {
  it('splits an apply_patch envelope per file, keeping each section as the diff', () => {
    const patch =
      '*** Begin Patch\n*** Update File: a.ts\n*** Move to: b.ts\n@@\n-x\n+y\n*** Delete File: c.ts\n*** End Patch\n'
    expect(patchParts(patch)).toEqual([
      { type: 'patch', path: 'a.ts', diff: '*** Update File: a.ts\n*** Move to: b.ts\n@@\n-x\n+y' },
      { type: 'patch', path: 'c.ts', diff: '*** Delete File: c.ts' },
    ])
    expect(patchParts('*** Begin Patch\n*** End Patch')).toEqual([
      { type: 'patch', path: null, diff: '*** Begin Patch\n*** End Patch' },
    ])
    expect(patchParts('[REDACTED_INPUT len=3687 sha=d1a462b9]')).toEqual([])
  })

  it('finds the patch in every tool shape that carried it', () => {
    expect(patchInput('apply_patch', 'raw')).toBe('raw')
    expect(patchInput('apply_patch', { input: 'json' })).toBe('json')
    expect(patchInput('shell', { command: ['apply_patch', 'p'] })).toBe('p')
    expect(patchInput('exec_command', { cmd: 'ls' })).toBeNull()
  })
})

describe('message content', () => {
  it('drops the <image> wrapper texts and inline image data', () => {
    const { parts, texts } = contentParts([
      { type: 'input_text', text: 'look' },
      { type: 'input_text', text: '<image name=[Image #1]>' },
      { type: 'input_image', image_url: 'data:image/jpeg;base64,AAAA' },
      { type: 'input_text', text: '</image>' },
      { type: 'input_image', image_url: 'https://example.invalid/a.png' },
      { type: 'mystery', value: 1 },
    ])
    expect(texts).toEqual(['look'])
    expect(parts).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image', mediaType: 'image/jpeg', url: null },
      { type: 'image', mediaType: null, url: 'https://example.invalid/a.png' },
      { type: 'other', kind: 'mystery', raw: { type: 'mystery', value: 1 } },
    ])
  })

  it('tells injected scaffolding by its opening, and reads 0.169 provenance', () => {
    expect(looksInjected('  <environment_context>\n</environment_context>')).toBe(true)
    expect(looksInjected('# AGENTS.md instructions for /x')).toBe(true)
    expect(looksInjected('please read AGENTS.md')).toBe(false)
    const meta = (type: string) => ({
      internal_chat_message_metadata_passthrough: {
        content_item_metadata: [{ provenance: { type } }],
      },
    })
    expect(provenanceOf(meta('harness'))).toBe('harness')
    expect(provenanceOf(meta('user'))).toBe('user')
    expect(provenanceOf({})).toBeNull()
  })

  it('reads reasoning summaries, else raw content; encrypted content never', () => {
    expect(
      reasoningTexts({
        summary: [{ text: 'a' }, { text: ' ' }, { text: 'b' }],
        encrypted_content: 'x',
      }),
    ).toEqual(['a', 'b'])
    expect(
      reasoningTexts({ summary: [], content: [{ type: 'reasoning_text', text: 'raw' }] }),
    ).toEqual(['raw'])
    expect(reasoningTexts({ summary: [], content: null, encrypted_content: 'x' })).toEqual([])
  })

  it('pairs redacted placeholders that differ only in their label', () => {
    expect(dedupeKey('[REDACTED_MESSAGE len=86 sha=2239bcba]')).toBe(
      dedupeKey('[REDACTED_TEXT len=86 sha=2239bcba]'),
    )
    expect(dedupeKey('  same  ')).toBe('same')
  })
})

describe('endEventError', () => {
  it('reads exec, patch and MCP end events', () => {
    expect(endEventError('exec_command_end', { exit_code: 1 })).toBe(true)
    expect(endEventError('exec_command_end', {})).toBeNull()
    expect(endEventError('patch_apply_end', { success: true })).toBe(false)
    expect(endEventError('mcp_tool_call_end', { result: { Err: 'timeout' } })).toBe(true)
    expect(endEventError('mcp_tool_call_end', { result: { Ok: { isError: false } } })).toBe(false)
    expect(endEventError('web_search_end', {})).toBeNull()
  })
})
