import type { Part } from '../wire/parts.js'
import type { Message, Session } from '../wire/sessions.js'
import type { Tokens } from '../wire/usage.js'
import {
  costMicrosOf,
  formatDollars,
  formatDuration,
  groupDigits,
  readableDate,
} from './format-values.js'
import type { SessionExport } from './types.js'

/** Headings by the message's real role (upstream labelled every non-user role "Assistant"). */
const ROLE_LABELS: Readonly<Record<Message['role'], string>> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
  unknown: 'Unknown',
}

const NONE = '—'
const SESSION_SEPARATOR = '\n\n---\n\n'

/** Markdown punctuation that could restyle or restructure a one-line value. */
const INLINE_SPECIALS = /[\\`*_[\]<>|#~&]/g

/**
 * One line of plain text for a heading, a table cell or a bold label: whitespace (newlines
 * included) collapsed to single spaces, markdown punctuation backslash-escaped (this also
 * escapes `|`, which would split a table cell).
 */
function inline(value: string): string {
  return value.replace(/\s+/g, ' ').trim().replace(INLINE_SPECIALS, '\\$&')
}

function longestRun(content: string, char: '`' | '~'): number {
  let longest = 0
  let run = 0
  for (const c of content) {
    run = c === char ? run + 1 : 0
    if (run > longest) longest = run
  }
  return longest
}

/**
 * A fenced code block whose fence is longer than any backtick run in the content (at least 3),
 * so no content, ``` included, can close it early.
 */
function fence(content: string, info = ''): string {
  const marker = '`'.repeat(Math.max(3, longestRun(content, '`') + 1))
  if (content === '') return `${marker}${info}\n${marker}`
  const body = content.endsWith('\n') ? content : `${content}\n`
  return `${marker}${info}\n${body}${marker}`
}

/** An inline code span that backticks inside the value can't end early. */
function codeSpan(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ')
  const marker = '`'.repeat(longestRun(oneLine, '`') + 1)
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : ''
  return `${marker}${pad}${oneLine}${pad}${marker}`
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/

/**
 * Closes a code fence that a text leaves open (a truncated reply, say), which would otherwise
 * swallow every later message into one code block. CommonMark rules: an opening fence is 3+
 * backticks or tildes indented at most 3 spaces (a backtick fence's info has no backtick); it
 * closes at a line of the same character, at least as long, followed only by spaces.
 */
function closeOpenFence(text: string): string {
  let open: string | null = null
  for (const line of text.split(/\r\n|\r|\n/)) {
    const match = FENCE_LINE.exec(line)
    if (match === null) continue
    const marker = match[1] ?? ''
    const rest = match[2] ?? ''
    if (open === null) {
      if (!(marker.startsWith('`') && rest.includes('`'))) open = marker
    } else if (marker[0] === open[0] && marker.length >= open.length && rest.trim() === '') {
      open = null
    }
  }
  if (open === null) return text
  return `${text}${text.endsWith('\n') ? '' : '\n'}${open}`
}

/** Prose as markdown, as written, but unable to leave a code fence open. */
function prose(text: string): string {
  return closeOpenFence(text.trimEnd())
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value ?? null, null, 2) ?? String(value)
  } catch {
    return String(value)
  }
}

function label(title: string, detail: string | null): string {
  return detail === null || detail.trim() === ''
    ? `**${title}**`
    : `**${title}: ${inline(detail)}**`
}

/** Markdown for one part; null when it has nothing to show. */
function partMarkdown(part: Part): string | null {
  switch (part.type) {
    case 'text':
      return part.text.trim() === '' ? null : prose(part.text)
    case 'reasoning': {
      if (part.text.trim() === '') return null
      // A literal </details> in the thinking would close the block early.
      const body = prose(part.text).replace(/<\/details/gi, '&lt;/details')
      return `<details><summary>Thinking</summary>\n\n${body}\n\n</details>`
    }
    case 'tool-call':
      return typeof part.args === 'string'
        ? `${label('Tool call', part.name)}\n\n${fence(part.args)}`
        : `${label('Tool call', part.name)}\n\n${fence(json(part.args), 'json')}`
    case 'tool-result': {
      const title = part.isError ? '**Result (error)**' : '**Result**'
      return part.output === '' ? `${title} _(no output)_` : `${title}\n\n${fence(part.output)}`
    }
    case 'patch':
      return `${label('Patch', part.path)}\n\n${fence(part.diff, 'diff')}`
    case 'file': {
      const head = label('File', part.path)
      const media = part.mediaType === null ? '' : ` (${inline(part.mediaType)})`
      return part.text === null ? `${head}${media}` : `${head}${media}\n\n${fence(part.text)}`
    }
    case 'image': {
      const media = part.mediaType === null ? '' : ` (${inline(part.mediaType)})`
      return `**Image**${media}${part.url === null ? '' : ` ${codeSpan(part.url)}`}`
    }
    case 'other':
      return `${label('Part', part.kind)}\n\n${fence(json(part.raw), 'json')}`
  }
}

/** `1,234 in · 567 out · 12,000 cache read`: input and output always, other buckets if used. */
function bucketList(t: Tokens): string {
  const items = [`${groupDigits(t.input)} in`, `${groupDigits(t.output)} out`]
  if (t.cacheRead > 0) items.push(`${groupDigits(t.cacheRead)} cache read`)
  if (t.cacheWrite5m > 0) items.push(`${groupDigits(t.cacheWrite5m)} cache write 5m`)
  if (t.cacheWrite1h > 0) items.push(`${groupDigits(t.cacheWrite1h)} cache write 1h`)
  if (t.reasoning > 0) items.push(`${groupDigits(t.reasoning)} reasoning`)
  return items.join(' · ')
}

function usageLine(message: Message): string | null {
  if (message.role !== 'assistant' || message.usage === null) return null
  const micros = costMicrosOf(message.cost, message.costMicros)
  return `_${bucketList(message.usage)} · ${micros === null ? 'unpriced' : formatDollars(micros)}_`
}

/**
 * Parts in order. A legacy message whose text lives only in `textContent` (its parts carry no
 * text) shows that text first, then its other parts.
 */
function messageMarkdown(message: Message): string {
  const blocks = [`## ${ROLE_LABELS[message.role] ?? 'Unknown'}`]
  const hasText = message.parts.some((p) => p.type === 'text' && p.text.trim() !== '')
  if (!hasText && message.textContent.trim() !== '') blocks.push(prose(message.textContent))
  for (const part of message.parts) {
    const block = partMarkdown(part)
    if (block !== null) blocks.push(block)
  }
  if (blocks.length === 1) blocks.push('_(empty message)_')
  const usage = usageLine(message)
  if (usage !== null) blocks.push(usage)
  return blocks.join('\n\n')
}

function project(s: Session): string {
  const { projectName: name, projectPath: path } = s
  if (name !== null && path !== null && name !== path) return `${inline(name)} (${inline(path)})`
  const either = name ?? path
  return either === null ? NONE : inline(either)
}

function model(s: Session): string {
  if (s.model === null) return NONE
  return s.provider === null ? inline(s.model) : `${inline(s.model)} (${inline(s.provider)})`
}

function tokens(s: Session): string {
  const t = s.tokens
  const used = t.input + t.output + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h > 0
  return used ? `${groupDigits(s.totalTokens)} (${bucketList(t)})` : groupDigits(s.totalTokens)
}

/** `$0.1234`, `unpriced`, and for a partly priced session what was left out. */
function cost(s: Session): string {
  const micros = costMicrosOf(s.cost, s.costMicros)
  const models =
    s.unpriced.models.length > 0 ? ` (${s.unpriced.models.map(inline).join(', ')})` : ''
  if (micros === null) return `unpriced${models}`
  if (s.unpriced.tokens === 0) return formatDollars(micros)
  return `${formatDollars(micros)} + ${groupDigits(s.unpriced.tokens)} tokens unpriced${models}`
}

function propertyTable(s: Session): string {
  const rows: readonly (readonly [string, string])[] = [
    ['ID', s.externalId === '' ? NONE : codeSpan(s.externalId).replaceAll('|', '\\|')],
    ['Source', s.source === null ? NONE : inline(s.source)],
    ['Project', project(s)],
    ['Model', model(s)],
    ['Started', readableDate(s.startedAt ?? s.createdAt) || NONE],
    ['Duration', s.durationMs === null ? NONE : formatDuration(s.durationMs) || NONE],
    ['Tokens', tokens(s)],
    ['Cost', cost(s)],
  ]
  return ['| Property | Value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join(
    '\n',
  )
}

function sessionMarkdown({ session, messages }: SessionExport): string {
  const title = session.title === null ? '' : inline(session.title)
  const blocks = [`# ${title || 'Untitled session'}`, propertyTable(session), '---']
  if (messages.length === 0) blocks.push('_No messages._')
  for (const message of messages) blocks.push(messageMarkdown(message))
  return blocks.join('\n\n')
}

/**
 * Markdown export: per session a `#` title, a property table, `---`, then each message under
 * `## <Role>` with its parts — text as written, reasoning in a collapsed "Thinking" block, tool
 * calls as `**Tool call: name**` + JSON args, results as `**Result**` (`(error)` marked),
 * patches as `diff` blocks — and a tokens/cost line under assistant messages with usage. Code
 * fences are always longer than any backtick run in their content. Sessions are joined by
 * `---`; the document ends with a newline ('' for no sessions). Dates are UTC.
 */
export function sessionsToMarkdown(items: readonly SessionExport[]): string {
  return items.length === 0 ? '' : `${items.map(sessionMarkdown).join(SESSION_SEPARATOR)}\n`
}
