/**
 * Compatibility with the published `claude-code-sync` plugin (waynesutton/claude-code-sync on npm).
 *
 * The real plugin is installed from npm and run the way Claude Code runs it: one
 * `claude-code-sync hook <Event>` process per hook event, the hook payload on stdin, configured
 * through CLAUDE_SYNC_CONVEX_URL / CLAUDE_SYNC_API_KEY (or ~/.config/claude-code-sync/config.json).
 * What it sends, per event (captured from 0.1.15 against a logging server):
 *   SessionStart      POST /sync/session  {externalId, source, projectPath, projectName, model}
 *   UserPromptSubmit  POST /sync/session  {externalId, source, title: <first prompt>} (first only)
 *                     POST /sync/message  {…, externalId: '<sid>-user-<Date.now()>', role: 'user'}
 *   PostToolUse       POST /sync/message  {…, externalId: <tool_use_id>, role: 'assistant',
 *                                          parts: [{type: 'tool-call', content: {toolName, args}}]}
 *   Stop              POST /sync/message  per new assistant text block of the transcript
 *                                         {externalId: <line uuid>, textContent, model}
 *                     POST /sync/session  {model, promptTokens, completionTokens, cost, …}
 *   SessionEnd        POST /sync/session  {title: <transcript slug>, projectPath, durationMs, …}
 * No message carries createdAt or usage; none of these goes through /sync/batch.
 * Opt out (no registry access): OPENSYNC_SKIP_NPM_TESTS=1.
 */
import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createApiKey, loadConfig, startServer } from '@opensync/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// ---------------------------------------------------------------------------------------------
// Server boot: the only code that knows @opensync/server's API.

type TestServer = {
  readonly url: string
  readonly key: string
  readonly legacyKey: string
  close(): Promise<void>
}

async function bootServer(dataDir: string): Promise<TestServer> {
  const config = loadConfig({
    OPENSYNC_DATA_DIR: dataDir,
    OPENSYNC_PORT: '0',
    OPENSYNC_HOST: '127.0.0.1',
    OPENSYNC_LOG_LEVEL: 'silent',
  })
  const server = await startServer(config)
  const { key } = await createApiKey(server.store, { name: 'claude-code-sync compat' })
  const legacy = await createApiKey(server.store, {
    name: 'claude-code-sync legacy',
    prefix: 'osk_',
  })
  // The plugin concatenates base URL and path: a trailing slash would make it post `//sync/…`.
  const url = server.url.replace(/\/+$/, '')
  return { url, key, legacyKey: legacy.key, close: () => server.close() }
}

// ---------------------------------------------------------------------------------------------
// The plugin, installed from npm and run as a child process.

const PLUGIN_VERSION = '0.1.15'
const INSTALL_TIMEOUT_MS = 180_000
const RUN_TIMEOUT_MS = 30_000
const TEST_TIMEOUT_MS = 120_000
const execFileAsync = promisify(execFile)

/** npm config from the parent `npm test` (workspace, prefix, …) must not leak into the install. */
const NPM_CONFIG_KEPT = new Set(['cache', 'registry', 'userconfig', 'globalconfig', 'cafile'])
const NPM_CONFIG_KEPT_PROXY = /^(https?_)?proxy$|^noproxy$|^strict_ssl$/

function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    const lower = name.toLowerCase()
    if (lower.startsWith('npm_config_')) {
      const key = lower.slice('npm_config_'.length)
      if (!NPM_CONFIG_KEPT.has(key) && !NPM_CONFIG_KEPT_PROXY.test(key)) continue
    } else if (lower.startsWith('npm_')) {
      continue
    }
    env[name] = value
  }
  return env
}

/** Installs the pinned plugin under `prefix` and returns the path of its CLI script. */
async function installPlugin(prefix: string): Promise<string> {
  await writeFile(join(prefix, 'package.json'), '{ "private": true }\n')
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts']
  args.push('--loglevel=error', '--prefix', prefix, `claude-code-sync@${PLUGIN_VERSION}`)
  await execFileAsync('npm', args, { cwd: prefix, env: npmEnv(), timeout: INSTALL_TIMEOUT_MS })
  const pkgDir = join(prefix, 'node_modules', 'claude-code-sync')
  const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8')) as {
    version: string
  }
  expect(pkg.version).toBe(PLUGIN_VERSION)
  return join(pkgDir, 'dist', 'cli.js')
}

type RunResult = { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** Runs the plugin's CLI like a Claude Code command hook: no TTY, stdin written then closed. */
function runPlugin(
  cli: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin = '',
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: env.HOME,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

/** Only what the plugin reads: no inherited CLAUDE_SYNC_* and a throwaway HOME. */
function pluginEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: home, ...extra }
}

// ---------------------------------------------------------------------------------------------
// The transcript: the lines of shared/fixtures/claude-code/spotter-v2.1/tool_heavy.jsonl (Claude
// Code 2.1.38) that hold messages, in order, with their real uuids, timestamps, message ids and
// usage. Left out: progress/system/snapshot lines, signatures, toolUseResult, long tool output.
// The plugin reads only `timestamp`, `cwd`, `slug`, `type`, `uuid`, `message.{model,content,usage}`.

const SESSION_ID = 'd6e0bada-1959-4eec-a9d2-0bfade768d8f'
const CWD = '/home/marco/projects/spotter'
const SLUG = 'dazzling-imagining-barto'
const MODEL = 'claude-opus-4-6'
const PROMPT_1 = 'start phoenix in background'
const PROMPT_2 =
  'scrolling back in xterm.js still does not work (maybe because outer web catches it)? ' +
  'websearch xterm.js tmux interactions'
const TEXT_1 =
  'Phoenix server is starting in the background.\n\nLet me check the MCP servers status.'
const TEXT_1_UUID = '77c5c1c5-b45d-4b7b-b052-a0e4c2c2a976'
const TEXT_2_UUID = '61045c3d-2ffd-4c10-925c-c82d72e55ebb'

const BASH_1 = 'toolu_018GZVh9ymkrdx1TnR8reg5Y'
const BASH_2 = 'toolu_01FZ9TWbiy1LPzHm1AAyUazo'
const WEB_SEARCH = 'toolu_01DKTWcKpZ2ksZQmoKKfxiw6'
const GLOB = 'toolu_01JJds55jYrYwd9TktNGndRY'
const READ = 'toolu_01VpPeBD2ziigLLpybShAGoU'
const WEB_FETCH = 'toolu_017Q5Sr8KaSgowYhbKXBnfV2'

/** Each tool call: its name, its input, and (shortened) what came back. */
const TOOLS = {
  [BASH_1]: {
    name: 'Bash',
    input: {
      command: 'mix phx.server',
      description: 'Start Phoenix server in background',
      run_in_background: true,
    },
    output: 'Command running in background with ID: bae407b.',
  },
  [BASH_2]: {
    name: 'Bash',
    input: {
      command: 'tail -5 /tmp/claude-1000/-home-marco-projects-spotter/tasks/bae407b.output',
      description: 'Check Phoenix startup output',
    },
    output: '  Serializer: Phoenix.Socket.V2.JSONSerializer',
  },
  [WEB_SEARCH]: {
    name: 'WebSearch',
    input: { query: 'xterm.js scroll not working embedded page captures scroll events' },
    output: 'Web search results for query: "xterm.js scroll not working embedded page…"',
  },
  [GLOB]: {
    name: 'Glob',
    input: { pattern: 'assets/js/**/*.js' },
    output: '/home/marco/projects/spotter/assets/js/app.js',
  },
  [READ]: {
    name: 'Read',
    input: { file_path: '/home/marco/projects/spotter/assets/js/app.js' },
    output: '     1→import "phoenix_html"',
  },
  [WEB_FETCH]: {
    name: 'WebFetch',
    input: {
      url: 'https://github.com/xtermjs/xterm.js/issues/1343',
      prompt:
        'What solutions or workarounds are suggested for scroll not working when xterm.js is ' +
        'embedded in a page? Focus on scrollback buffer and mouse wheel scrolling.',
    },
    output: '# Scroll Issues in xterm.js - Solutions and Workarounds',
  },
} as const
type ToolId = keyof typeof TOOLS

/** One API request. Claude Code writes a line per content block, each repeating the usage. */
type Request = { readonly id: string; readonly usage: Readonly<Record<string, number>> }

const request = (id: string, input: number, write: number, read: number, output: number) => ({
  id,
  usage: {
    input_tokens: input,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    output_tokens: output,
  },
})

const REQ_1 = request('msg_0167kgZUrgcT7dg7uZK7hVSg', 3, 7883, 17915, 27)
const REQ_2 = request('msg_01NUXWeNeduGBJVib8gyo9kz', 1, 208, 25798, 1)
const REQ_3 = request('msg_01LbyjvsALGe2gMsTgDSj7e6', 3, 8490, 18014, 11)
const REQ_4 = request('msg_019BN3FRqb7NU4DgBN5jdsym', 47, 1115, 26504, 25)
const REQ_4_LAST = request('msg_019BN3FRqb7NU4DgBN5jdsym', 47, 1115, 26504, 173)

type Block = Readonly<Record<string, unknown>>

const text = (value: string): Block => ({ type: 'text', text: value })
const INTERRUPTED = [text('[Request interrupted by user]')]
const THINKING: Block = {
  type: 'thinking',
  thinking:
    "The user wants me to research why scrolling in xterm.js doesn't work, possibly because " +
    'the outer webpage is catching scroll events. Let me search for this.',
  signature: 'EsMC',
}

const toolUse = (id: ToolId): Block => {
  const { name, input } = TOOLS[id]
  return { type: 'tool_use', id, name, input, caller: { type: 'direct' } }
}

const toolResult = (id: ToolId) => [
  { tool_use_id: id, type: 'tool_result', content: TOOLS[id].output, is_error: false },
]

/** [uuid, time on 2026-02-10 UTC, the request of an assistant line (null: user line), content] */
type Row = readonly [string, string, Request | null, unknown]
type Line = Readonly<Record<string, unknown>>

const COMMON = {
  isSidechain: false,
  userType: 'external',
  cwd: CWD,
  sessionId: SESSION_ID,
  version: '2.1.38',
  gitBranch: 'master',
} as const

/** Lines from `slugFrom` on carry the session's slug, as Claude Code writes them. */
const toLines = (rows: readonly Row[], slugFrom: number): Line[] =>
  rows.map(([uuid, time, req, content], i) => ({
    ...COMMON,
    ...(i >= slugFrom ? { slug: SLUG } : {}),
    type: req ? 'assistant' : 'user',
    message: req
      ? {
          model: MODEL,
          id: req.id,
          type: 'message',
          role: 'assistant',
          content: [content],
          usage: req.usage,
        }
      : { role: 'user', content },
    uuid,
    timestamp: `2026-02-10T${time}Z`,
  }))

/** First turn: the prompt, two Bash calls and one text block, then the user's interrupt. */
const TURN_1 = toLines(
  [
    ['5440873c-2d59-4c8c-88ec-c0a8c38a027d', '22:57:54.684', null, PROMPT_1],
    ['8565db80-925a-45e5-8912-159a151b6d24', '22:57:57.941', REQ_1, toolUse(BASH_1)],
    ['4e7e59aa-c4e9-45ae-9611-55332b338bbd', '22:57:59.113', null, toolResult(BASH_1)],
    [TEXT_1_UUID, '22:58:02.040', REQ_2, text(TEXT_1)],
    ['0c9d6d42-2e27-4a34-99be-27adf2147a5e', '22:58:02.888', REQ_2, toolUse(BASH_2)],
    ['df30ec79-eac9-4a60-8dde-e5450c48059d', '22:58:02.972', null, toolResult(BASH_2)],
    ['6cc4062b-cae5-4d34-b62d-45d7b27f0d09', '22:58:03.831', null, INTERRUPTED],
  ],
  5,
)

/** Second turn: a "\n\n" text block, thinking, four tool calls, then another interrupt. */
const TURN_2 = toLines(
  [
    ['f643538d-cf06-4b9a-9bb0-9ae5c26ea07a', '22:59:22.893', null, PROMPT_2],
    [TEXT_2_UUID, '22:59:25.207', REQ_3, text('\n\n')],
    ['b861934a-180d-4bab-8b54-3bdd47ea7adf', '22:59:26.142', REQ_3, THINKING],
    ['479992dc-a46d-4f8b-99d7-f378fd95a94a', '22:59:26.854', REQ_3, toolUse(WEB_SEARCH)],
    ['50199023-1a27-4bef-b27c-5db62b3a15b3', '22:59:27.151', REQ_3, toolUse(GLOB)],
    ['d2b1430f-30fc-408e-ad65-bedf7ba75900', '22:59:27.386', null, toolResult(GLOB)],
    ['1979167d-c27b-4cd6-9afc-2d9b4237a7cb', '22:59:33.333', null, toolResult(WEB_SEARCH)],
    ['9c0157de-950c-4b36-8c81-537b79e0d6b4', '22:59:36.157', REQ_4, toolUse(READ)],
    ['77bb87a7-4f6d-458f-a85c-5a3e77a4262c', '22:59:36.162', null, toolResult(READ)],
    ['667b9363-7617-433f-adf3-0138588801d5', '22:59:37.598', REQ_4_LAST, toolUse(WEB_FETCH)],
    ['fe91755f-4df3-4aa1-9c04-608c5884e237', '22:59:42.850', null, toolResult(WEB_FETCH)],
    ['29e6224a-ea4f-445c-964f-d2bbddd138d0', '22:59:46.748', null, INTERRUPTED],
  ],
  0,
)

/** SessionEnd's durationMs: the last line's timestamp minus the first one's. */
const DURATION_MS = Date.parse('2026-02-10T22:59:46.748Z') - Date.parse('2026-02-10T22:57:54.684Z')

const toJsonl = (lines: readonly Line[]): string =>
  lines.map((l) => `${JSON.stringify(l)}\n`).join('')

// ---------------------------------------------------------------------------------------------
// Our read API, as seen by a client with the API key.

type ApiPart = Readonly<Record<string, unknown>> & { readonly type: string }
type ApiMessage = {
  readonly id: string
  readonly externalId: string
  readonly role: string
  readonly textContent?: string | null
  readonly model?: string | null
  readonly createdAt?: number | string
  readonly parts?: readonly ApiPart[]
}
type ApiSession = {
  readonly id: string
  readonly externalId: string
  readonly source: string
  readonly title?: string | null
  readonly projectPath?: string | null
  readonly projectName?: string | null
  readonly model?: string | null
  readonly durationMs?: number | null
  readonly messageCount?: number
  readonly promptTokens?: number
  readonly completionTokens?: number
}
type SessionList = { readonly sessions: readonly ApiSession[]; readonly total?: number }
type SessionDetail = { readonly session: ApiSession; readonly messages: readonly ApiMessage[] }

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What a replay must not change (updatedAt-like bookkeeping may move). */
const stableFields = (m: ApiMessage) => {
  const { id, externalId, role, textContent, model, parts, createdAt } = m
  return { id, externalId, role, textContent, model, parts, createdAt }
}

/** A tool-call part's name and args, whether stored flat (§4) or under upstream's `content`. */
function toolCallOf(part: ApiPart | undefined): { name: unknown; args: unknown } {
  const body = isRecord(part?.content) ? part.content : (part ?? {})
  return { name: body.name ?? body.toolName, args: body.args ?? body.arguments ?? body.input }
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(process.env.OPENSYNC_SKIP_NPM_TESTS === '1')(
  `claude-code-sync@${PLUGIN_VERSION} against the real server`,
  () => {
    let tmp = ''
    let cli = ''
    let server: TestServer | undefined

    beforeAll(async () => {
      tmp = await mkdtemp(join(tmpdir(), 'opensync-ccs-'))
      await Promise.all(['plugin', 'data'].map((dir) => mkdir(join(tmp, dir))))
      const [cliPath, booted] = await Promise.all([
        installPlugin(join(tmp, 'plugin')),
        bootServer(join(tmp, 'data')),
      ])
      cli = cliPath
      server = booted
    }, INSTALL_TIMEOUT_MS + 30_000)

    afterAll(async () => {
      await server?.close()
      if (tmp) await rm(tmp, { recursive: true, force: true })
    })

    function booted(): TestServer {
      if (!server) throw new Error('server did not start')
      return server
    }

    async function api<T>(path: string, key = booted().key): Promise<T> {
      const res = await fetch(`${booted().url}${path}`, {
        headers: { authorization: `Bearer ${key}` },
      })
      const text = await res.text()
      expect(res.status, `GET ${path} → ${text}`).toBe(200)
      return JSON.parse(text) as T
    }

    async function sessionsWith(externalId: string | RegExp): Promise<ApiSession[]> {
      const { sessions } = await api<SessionList>('/api/sessions?limit=200')
      return sessions.filter((s) =>
        typeof externalId === 'string'
          ? s.externalId === externalId
          : externalId.test(s.externalId),
      )
    }

    /** `GET /api/sessions/:id`: session + messages (+ parts), messages beside or inside it. */
    async function detailOf(id: string): Promise<SessionDetail> {
      const body = await api<Partial<SessionDetail> & { session?: { messages?: ApiMessage[] } }>(
        `/api/sessions/${encodeURIComponent(id)}`,
      )
      const messages = body.messages ?? body.session?.messages
      expect(messages, 'session detail without messages').toBeInstanceOf(Array)
      return { session: body.session as ApiSession, messages: messages ?? [] }
    }

    describe('hooks, configured through the environment with an os_ key', () => {
      let home = ''
      let transcriptPath = ''
      let env: NodeJS.ProcessEnv = {}

      async function hook(event: string, payload: Readonly<Record<string, unknown>> = {}) {
        const stdin = JSON.stringify({
          session_id: SESSION_ID,
          transcript_path: transcriptPath,
          cwd: CWD,
          permission_mode: 'bypassPermissions',
          hook_event_name: event,
          ...payload,
        })
        // The plugin always exits 0; a failed request only shows on stderr.
        expect(await runPlugin(cli, ['hook', event], env, stdin)).toEqual({
          code: 0,
          stdout: '',
          stderr: '',
        })
      }

      /** PostToolUse as Claude Code sends it: the result is in `tool_response`. */
      const postToolUse = (id: ToolId, response: Readonly<Record<string, unknown>>) =>
        hook('PostToolUse', {
          tool_name: TOOLS[id].name,
          tool_input: TOOLS[id].input,
          tool_response: response,
          tool_use_id: id,
        })

      beforeAll(async () => {
        home = join(tmp, 'home-env')
        const projectDir = join(home, '.claude', 'projects', CWD.replace(/[^A-Za-z0-9]/g, '-'))
        await mkdir(projectDir, { recursive: true })
        transcriptPath = join(projectDir, `${SESSION_ID}.jsonl`)
        env = pluginEnv(home, {
          CLAUDE_SYNC_CONVEX_URL: booted().url,
          CLAUDE_SYNC_API_KEY: booted().key,
        })
      })

      it('syncs a two-turn session hook by hook', { timeout: TEST_TIMEOUT_MS }, async () => {
        // Claude Code fires SessionStart before it has written the transcript.
        await hook('SessionStart', { source: 'startup', model: MODEL })
        await hook('UserPromptSubmit', { prompt: PROMPT_1 })
        await postToolUse(BASH_1, { stdout: '', stderr: '', backgroundTaskId: 'bae407b' })
        await postToolUse(BASH_2, { stdout: TOOLS[BASH_2].output, stderr: '' })
        await writeFile(transcriptPath, toJsonl(TURN_1))
        await hook('Stop', { stop_hook_active: false })

        await hook('UserPromptSubmit', { prompt: PROMPT_2 })
        // In the order the tools finished (Glob's result came before WebSearch's).
        await postToolUse(GLOB, { filenames: [TOOLS[GLOB].output], numFiles: 1 })
        await postToolUse(WEB_SEARCH, { query: TOOLS[WEB_SEARCH].input.query, results: [] })
        await postToolUse(READ, { type: 'text', file: { filePath: TOOLS[READ].input.file_path } })
        await postToolUse(WEB_FETCH, { code: 200, codeText: 'OK', result: TOOLS[WEB_FETCH].output })
        await writeFile(transcriptPath, toJsonl([...TURN_1, ...TURN_2]))
        await hook('Stop', { stop_hook_active: false })
        await hook('SessionEnd', { reason: 'prompt_input_exit' })

        const listed = await sessionsWith(SESSION_ID)
        expect(listed).toHaveLength(1)
        const [session] = listed
        expect(session).toMatchObject({
          externalId: SESSION_ID,
          source: 'claude-code',
          // UserPromptSubmit set the first prompt as title; SessionEnd replaced it with the slug.
          title: SLUG,
          projectPath: CWD,
          projectName: 'spotter',
          model: MODEL,
          durationMs: DURATION_MS,
          // Counted from stored messages: the plugin's own messageCount (13 = transcript lines
          // of type "user", tool results included) is not a message count.
          messageCount: 10,
          // Session-level legacy totals, as reported: input + cache writes + cache reads of every
          // assistant line, so a request is counted once per content block (9 lines, 4 requests).
          promptTokens: 239_175,
          completionTokens: 271,
        })

        const { messages } = await detailOf(session?.id ?? '')
        // Arrival order (the plugin sends no createdAt): each hook's messages, hook by hook.
        expect(messages.map((m) => [m.role, m.externalId])).toEqual([
          ['user', expect.stringMatching(new RegExp(`^${SESSION_ID}-user-\\d+$`))],
          ['assistant', BASH_1],
          ['assistant', BASH_2],
          ['assistant', TEXT_1_UUID],
          ['user', expect.stringMatching(new RegExp(`^${SESSION_ID}-user-\\d+$`))],
          ['assistant', GLOB],
          ['assistant', WEB_SEARCH],
          ['assistant', READ],
          ['assistant', WEB_FETCH],
          ['assistant', TEXT_2_UUID],
        ])
        const byId = new Map(messages.map((m) => [m.externalId, m]))
        expect(messages[0]?.textContent).toBe(PROMPT_1)
        expect(messages[4]?.textContent).toBe(PROMPT_2)
        expect(byId.get(TEXT_1_UUID)).toMatchObject({ textContent: TEXT_1, model: MODEL })
        // A whitespace-only text block is a real message of the transcript; kept as sent.
        expect(byId.get(TEXT_2_UUID)).toMatchObject({ textContent: '\n\n', model: MODEL })

        for (const id of [BASH_1, BASH_2, GLOB, WEB_SEARCH, READ, WEB_FETCH] as const) {
          const parts = byId.get(id)?.parts ?? []
          // 0.1.15 reads `tool_result`, which Claude Code never sends: no tool-result part.
          expect(parts.map((p) => p.type)).toEqual(['tool-call'])
          expect(toolCallOf(parts[0])).toEqual({ name: TOOLS[id].name, args: TOOLS[id].input })
        }
      })

      it('changes nothing when Stop replays the transcript', {
        timeout: TEST_TIMEOUT_MS,
      }, async () => {
        const [before] = await sessionsWith(SESSION_ID)
        const detailBefore = await detailOf(before?.id ?? '')

        // SessionEnd cleared the plugin's state file, so Stop resends both text blocks (same
        // externalIds) and a session update without title, projectPath or durationMs.
        await hook('Stop', { stop_hook_active: false })

        const after = await sessionsWith(SESSION_ID)
        expect(after).toHaveLength(1)
        expect(after[0]).toMatchObject({
          title: SLUG,
          projectPath: CWD,
          durationMs: DURATION_MS,
          messageCount: 10,
        })
        const detailAfter = await detailOf(after[0]?.id ?? '')
        expect(detailAfter.messages.map(stableFields)).toEqual(
          detailBefore.messages.map(stableFields),
        )
      })
    })

    describe('commands, configured through the config file with an osk_ key', () => {
      let env: NodeJS.ProcessEnv = {}

      beforeAll(async () => {
        const home = join(tmp, 'home-file')
        const configDir = join(home, '.config', 'claude-code-sync')
        await mkdir(configDir, { recursive: true })
        const config = {
          convexUrl: booted().url,
          apiKey: booted().legacyKey,
          autoSync: true,
          syncToolCalls: true,
          syncThinking: false,
        }
        await writeFile(join(configDir, 'config.json'), JSON.stringify(config, null, 2))
        env = pluginEnv(home)
      })

      it('passes `status` (GET /health)', { timeout: TEST_TIMEOUT_MS }, async () => {
        const result = await runPlugin(cli, ['status'], env)
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(result.stdout).toContain('Connected to Convex backend')
      })

      it('passes `synctest`, whose session is then listed', {
        timeout: TEST_TIMEOUT_MS,
      }, async () => {
        const result = await runPlugin(cli, ['synctest'], env)
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        expect(result.stdout).toContain('Sync test passed')

        const listed = await sessionsWith(/^test-\d+$/)
        expect(listed).toHaveLength(1)
        expect(listed[0]).toMatchObject({
          source: 'claude-code',
          title: 'Connection Test',
          projectName: 'synctest',
          messageCount: 0,
        })
        // durationMs is the gap between two `new Date()` calls in the plugin: usually 0, not always.
        expect(listed[0]?.durationMs).toBeGreaterThanOrEqual(0)
        expect(listed[0]?.durationMs).toBeLessThan(5_000)
      })
    })

    it('reports a 401 for an unknown key and stores nothing', {
      timeout: TEST_TIMEOUT_MS,
    }, async () => {
      const home = join(tmp, 'home-bad-key')
      await mkdir(home, { recursive: true })
      const env = pluginEnv(home, {
        CLAUDE_SYNC_CONVEX_URL: booted().url,
        CLAUDE_SYNC_API_KEY: `os_${'x'.repeat(40)}`,
      })
      const stdin = JSON.stringify({
        session_id: 'bad-key-session',
        cwd: CWD,
        hook_event_name: 'UserPromptSubmit',
        prompt: 'should not be stored',
      })
      const result = await runPlugin(cli, ['hook', 'UserPromptSubmit'], env, stdin)
      expect(result.code).toBe(0)
      expect(result.stderr).toContain('Sync failed: 401')
      expect(await sessionsWith('bad-key-session')).toEqual([])
    })
  },
)
