import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  cleanUp,
  dataDirWith,
  dbSource,
  FIXTURES,
  lanternDump,
  message,
  mockllmDump,
  partText,
  tempDir,
  total,
  treeSource,
  usage,
} from '../../test/fixtures/opencode/support.js'
import type { NormalizedSession } from '../reader.js'
import { opencodeReader } from './index.js'

// How the numbers below were checked, against the files and not against this reader:
//   node -e 'for (const r of require("./mockllm-1.18.33/db/part.json")) { const d = JSON.parse(r.data);
//     if (d.type === "step-finish") console.log(r.message_id, JSON.stringify(d.tokens)) }'
// (the same over lantern's `tables.part`), plus the session rows' `tokens_*` columns, which
// OpenCode itself sums from the step-finish parts. Durations are `time.completed - time.created`
// of the message's `data`.

afterAll(cleanUp)

describe('opencodeReader: SQLite (v1.2+), real lantern 1.18.13 database', () => {
  const dump = lanternDump()
  const dir = dataDirWith(dump)
  const lantern = { model: 'qwen3:0.6b', provider: 'harness' }

  it('reads every session, message and part exactly', async () => {
    const result = await opencodeReader.read(dbSource(join(dir, 'opencode.db')))
    expect(result.issues).toEqual([])
    const session = {
      source: 'opencode',
      projectPath: '/work',
      projectName: 'work',
      cwd: '/work',
      gitBranch: null,
      ...lantern,
      agentVersion: '1.18.13',
      parentExternalId: null,
      reportedTotals: null,
    }
    expect(result.sessions).toEqual([
      {
        ...session,
        externalId: 'ses_03156b771ffeANj3CiDnYkqmmr',
        title: 'What does average_item_price do?',
        startedAt: 1785878628494,
        endedAt: 1785878699359,
        messages: [
          message(lantern, {
            externalId: 'msg_fcea949b5001zvobaN5HEAO1iq',
            createdAt: 1785878628789,
            parts: [{ type: 'text', text: '"What does average_item_price do? One sentence."' }],
          }),
          message(lantern, {
            externalId: 'msg_fcea94eb6001kWSmhKYI853tO6',
            role: 'assistant',
            createdAt: 1785878630071,
            durationMs: 69288, // 1785878699359 - 1785878630071
            parts: [
              { type: 'reasoning', text: partText(dump, 'prt_fceaa2f6a001W2eWUjdIz4EIFA') },
              { type: 'text', text: partText(dump, 'prt_fceaa5238001BSa4jyfrheISjV') },
            ],
            // step-finish {total 2213, input 2050, output 163, reasoning 0}: Ollama reports no
            // reasoning count, so the thinking is inside output.
            usage: usage(2050, 163),
            reportedCost: 0,
            parentExternalId: 'msg_fcea949b5001zvobaN5HEAO1iq',
          }),
        ],
      },
      {
        ...session,
        externalId: 'ses_031559a74ffe4reBgr5U6MnTO4',
        // OpenCode's own title, quotes and all.
        title: '"Function to Validate Division on Empty Cart: Orders.py"',
        startedAt: 1785878701451,
        endedAt: 1785878797253,
        messages: [
          message(lantern, {
            externalId: 'msg_fceaa6602001B2FFryUj66zJ0w',
            createdAt: 1785878701570,
            parts: [
              {
                type: 'text',
                text: '"Read src/orders.py. Reply with only the function name that divides by zero on an empty cart."',
              },
            ],
          }),
          message(lantern, {
            externalId: 'msg_fceaa684c001lZFbtnRHj2G9B2',
            role: 'assistant',
            createdAt: 1785878702156,
            durationMs: 95097, // 1785878797253 - 1785878702156
            // Reasoning only: the model never answered in text.
            parts: [{ type: 'reasoning', text: partText(dump, 'prt_fceaae007001zrUV3GNxkA3Hme') }],
            usage: usage(2050, 867),
            reportedCost: 0,
            parentExternalId: 'msg_fceaa6602001B2FFryUj66zJ0w',
          }),
        ],
      },
      {
        ...session,
        externalId: 'ses_031541bf9ffeMiy2LOFii47rch',
        title: 'Fix average_item_price returns 0 when cart has no items',
        startedAt: 1785878799367,
        endedAt: 1785878985620,
        messages: [
          message(lantern, {
            externalId: 'msg_fceabe4940010ROAhr7W7R1ZRd',
            createdAt: 1785878799508,
            parts: [
              {
                type: 'text',
                text: '"In src/orders.py make average_item_price return 0 when the cart has no items."',
              },
            ],
          }),
          message(lantern, {
            externalId: 'msg_fceabe718001hmxkaiVHsLVLca',
            role: 'assistant',
            createdAt: 1785878800153,
            durationMs: 130795, // 1785878930948 - 1785878800153
            parts: [
              { type: 'reasoning', text: partText(dump, 'prt_fceacdf1f001G3W1VC2MuA19kZ') },
              {
                type: 'tool-call',
                callId: 'call_caq8bm6j',
                name: 'write',
                args: {
                  content:
                    'def average_item_price(cart):\n    if not cart:\n        return 0\n    return sum(cart) / len(cart)',
                  filePath: 'src/orders.py',
                },
              },
              {
                type: 'tool-result',
                callId: 'call_caq8bm6j',
                name: 'write',
                output: 'Wrote file successfully.',
                isError: false,
              },
              // The patch part written after the step-finish: a file list, no diff stored.
              { type: 'patch', path: '/work/src/orders.py', diff: '' },
            ],
            usage: usage(2050, 854),
            reportedCost: 0,
            parentExternalId: 'msg_fceabe4940010ROAhr7W7R1ZRd',
          }),
          message(lantern, {
            externalId: 'msg_fceade60b001JdUB5k6Wv6oGW7',
            role: 'assistant',
            createdAt: 1785878930955,
            durationMs: 54665, // 1785878985620 - 1785878930955
            parts: [
              { type: 'reasoning', text: partText(dump, 'prt_fceaea90b001kimeEdR5NWSYL5') },
              { type: 'text', text: partText(dump, 'prt_fceaeb55b001PC0QrP2C8NJWyW') },
            ],
            usage: usage(2050, 101),
            reportedCost: 0,
            parentExternalId: 'msg_fceabe4940010ROAhr7W7R1ZRd',
          }),
        ],
      },
    ])
  })

  it('per-request usage adds up to the totals OpenCode keeps on the session row', async () => {
    const { sessions } = await opencodeReader.read(dbSource(join(dir, 'opencode.db')))
    const rows = dump.tables.session ?? []
    // 2050/163, 2050/867, 4100/955 (the last session: 2050 + 2050 and 854 + 101).
    expect(sessions.map((s) => [total(s, 'input'), total(s, 'output')])).toEqual(
      rows.map((r) => [r.tokens_input, Number(r.tokens_output) + Number(r.tokens_reasoning)]),
    )
  })
})

describe('opencodeReader: SQLite, real mockllm run (OpenCode 1.18.33)', () => {
  const dump = mockllmDump()
  const dir = dataDirWith(dump)
  const mock = { model: 'mock-model', provider: 'mock' }
  const sessionA = 'ses_e026b329affezw6SIIS5VH0oib'
  const sessionB = 'ses_e026b1cadffee46ls3AaXi9YJG'
  const THOUGHT = 'The user gave a scripted prompt; follow the mock script.'
  const notes = '/tmp/agentlab/opencode/work/notes.txt'
  const readOutput = `<path>${notes}</path>\n<type>file</type>\n<content>\n1: hello from a file\n\n(End of file - total 1 lines)\n</content>`
  const lsError = "ls: cannot access 'missing-file.txt': No such file or directory\n"

  const expected: NormalizedSession[] = [
    {
      externalId: sessionA,
      source: 'opencode',
      title: 'Mock session title',
      projectPath: '/tmp/agentlab/opencode/work',
      projectName: 'work',
      cwd: '/tmp/agentlab/opencode/work',
      gitBranch: null,
      ...mock,
      agentVersion: '1.18.33',
      parentExternalId: null,
      startedAt: 1795255749989,
      endedAt: 1795255754425,
      reportedTotals: null,
      messages: [
        message(mock, {
          externalId: 'msg_1fd94cd900019uIUCH8jc7xq2Q',
          createdAt: 1795255750032,
          parts: [{ type: 'text', text: '"Say hello"' }],
        }),
        message(mock, {
          externalId: 'msg_1fd94d1f4001nC41wJ8s9184MG',
          role: 'assistant',
          createdAt: 1795255751156,
          durationMs: 681, // 1795255751837 - 1795255751156
          parts: [
            {
              type: 'text',
              text: 'Hello from mockllm. You said: ""Say hello"". This is a scripted plain-text reply.',
            },
          ],
          // {total 7698, input 7677, output 21}. The mock also reported 85% of the prompt as a
          // cache write (`cache_write_tokens`); @ai-sdk/openai-compatible drops that field, so
          // OpenCode counts it all as uncached input.
          usage: usage(7677, 21),
          reportedCost: 0,
          parentExternalId: 'msg_1fd94cd900019uIUCH8jc7xq2Q',
        }),
        message(mock, {
          externalId: 'msg_1fd94d992001sgBYSvD7UCu5Ry',
          createdAt: 1795255753106,
          parts: [
            { type: 'text', text: '"Run the shell command `echo hi` and tell me what it printed"' },
          ],
        }),
        message(mock, {
          externalId: 'msg_1fd94dc05001GEnmbGgNoU60ot',
          role: 'assistant',
          createdAt: 1795255753733,
          durationMs: 623, // 1795255754356 - 1795255753733
          parts: [
            { type: 'text', text: "I'll run `echo hi`." },
            {
              type: 'tool-call',
              callId: 'call_mockc7f32cb447e7a33b637bab2f',
              name: 'bash',
              args: { command: 'echo hi' },
            },
            {
              type: 'tool-result',
              callId: 'call_mockc7f32cb447e7a33b637bab2f',
              name: 'bash',
              output: 'hi\n',
              isError: false,
            },
          ],
          // {total 7739, input 1546, output 10, cache.read 6183}: the prompt was 7729 tokens and
          // the mock read 80% of it (6183) from cache, so input already excludes cache reads.
          usage: usage(1546, 10, 6183),
          reportedCost: 0,
          parentExternalId: 'msg_1fd94d992001sgBYSvD7UCu5Ry',
        }),
        message(mock, {
          externalId: 'msg_1fd94de77001WxLJ91tdcLFMh9',
          role: 'assistant',
          createdAt: 1795255754359,
          durationMs: 66, // 1795255754425 - 1795255754359
          parts: [
            {
              type: 'text',
              text: 'The tool finished. Its output was:\n\nhi\n\nThat completes the task.',
            },
          ],
          usage: usage(1560, 16, 6239),
          reportedCost: 0,
          parentExternalId: 'msg_1fd94d992001sgBYSvD7UCu5Ry',
        }),
      ],
    },
    {
      externalId: sessionB,
      source: 'opencode',
      title: 'Mock session title',
      projectPath: '/tmp/agentlab/opencode/work',
      projectName: 'work',
      cwd: '/tmp/agentlab/opencode/work',
      gitBranch: null,
      ...mock,
      agentVersion: '1.18.33',
      parentExternalId: null,
      startedAt: 1795255755602,
      endedAt: 1795255759571,
      reportedTotals: null,
      messages: [
        message(mock, {
          externalId: 'msg_1fd94e38b001QRi2Ze7zRuAnSm',
          createdAt: 1795255755659,
          parts: [
            {
              type: 'text',
              text: `"Think first, then read the file \`${notes}\` and summarise it"`,
            },
          ],
        }),
        message(mock, {
          externalId: 'msg_1fd94e5a800164li3ygbRJ2Asy',
          role: 'assistant',
          createdAt: 1795255756200,
          durationMs: 597, // 1795255756797 - 1795255756200
          parts: [
            { type: 'reasoning', text: THOUGHT },
            { type: 'text', text: `I'll read ${notes}.` },
            {
              type: 'tool-call',
              callId: 'call_mock4d51ecde6728e8e9983057ba',
              name: 'read',
              args: { filePath: notes },
            },
            {
              type: 'tool-result',
              callId: 'call_mock4d51ecde6728e8e9983057ba',
              name: 'read',
              output: readOutput,
              isError: false,
            },
          ],
          // {total 7735, input 7696, output 25, reasoning 14}: 7696 + 25 + 14 = 7735, so
          // OpenCode's output leaves reasoning out; ours includes it: 25 + 14 = 39.
          usage: usage(7696, 39, 0, 14),
          reportedCost: 0,
          parentExternalId: 'msg_1fd94e38b001QRi2Ze7zRuAnSm',
        }),
        message(mock, {
          externalId: 'msg_1fd94e8020010es2rVJ41iKNmV',
          role: 'assistant',
          createdAt: 1795255756802,
          durationMs: 166, // 1795255756968 - 1795255756802
          parts: [
            { type: 'reasoning', text: THOUGHT },
            {
              type: 'text',
              text: `The tool finished. Its output was:\n\n${readOutput}\n\nThat completes the task.`,
            },
          ],
          // {total 7902, input 1568, output 51, reasoning 14, cache.read 6269}: 51 + 14 = 65.
          usage: usage(1568, 65, 6269, 14),
          reportedCost: 0,
          parentExternalId: 'msg_1fd94e38b001QRi2Ze7zRuAnSm',
        }),
        message(mock, {
          externalId: 'msg_1fd94eda1001J6i07ttCX2Y6jX',
          createdAt: 1795255758241,
          parts: [{ type: 'text', text: '"Run `ls missing-file.txt` please"' }],
        }),
        message(mock, {
          externalId: 'msg_1fd94f00b001Hl8KP8QbNXb7oL',
          role: 'assistant',
          createdAt: 1795255758859,
          durationMs: 639, // 1795255759498 - 1795255758859
          parts: [
            { type: 'text', text: "I'll run `ls missing-file.txt`." },
            {
              type: 'tool-call',
              callId: 'call_mocke564e4f00eefa1c03d12238f',
              name: 'bash',
              args: { command: 'ls missing-file.txt' },
            },
            // Exit code 2, but OpenCode's bash tool reports status "completed" (the exit code is
            // in metadata): only status "error" is an error.
            {
              type: 'tool-result',
              callId: 'call_mocke564e4f00eefa1c03d12238f',
              name: 'bash',
              output: lsError,
              isError: false,
            },
          ],
          usage: usage(1587, 16, 6348),
          reportedCost: 0,
          parentExternalId: 'msg_1fd94eda1001J6i07ttCX2Y6jX',
        }),
        message(mock, {
          externalId: 'msg_1fd94f28c0010F4uHwNfBS4ZsQ',
          role: 'assistant',
          createdAt: 1795255759500,
          durationMs: 71, // 1795255759571 - 1795255759500
          parts: [
            {
              type: 'text',
              text: `The tool finished. Its output was:\n\n${lsError}\nThat completes the task.`,
            },
          ],
          usage: usage(1606, 32, 6420),
          reportedCost: 0,
          parentExternalId: 'msg_1fd94eda1001J6i07ttCX2Y6jX',
        }),
      ],
    },
  ]

  it('reads both sessions exactly', async () => {
    const result = await opencodeReader.read(dbSource(join(dir, 'opencode.db')))
    expect(result).toEqual({ sessions: expected, issues: [] })
  })

  it('output includes reasoning, as the mock sent it on the wire', async () => {
    // server.mjs: completion_tokens = ceil(answer chars / 4) + ceil(THOUGHT chars / 4).
    const answer = `I'll read ${notes}.${JSON.stringify({ filePath: notes })}`
    const completionTokens = Math.ceil(answer.length / 4) + Math.ceil(THOUGHT.length / 4)
    expect(completionTokens).toBe(39)
    const { sessions } = await opencodeReader.read(dbSource(join(dir, 'opencode.db')))
    const read = sessions[1]?.messages.find(
      (m) => m.externalId === 'msg_1fd94e5a800164li3ygbRJ2Asy',
    )
    expect(read?.usage).toMatchObject({ output: completionTokens, reasoning: 14 })
  })

  it('usage adds up to the session row (output + reasoning) and to `opencode run` step_finish', async () => {
    const { sessions } = await opencodeReader.read(dbSource(join(dir, 'opencode.db')))
    const rows = dump.tables.session ?? []
    // A: 10783 / 47 / 12422; B: 12457 / 124 + 28 = 152 / 19037.
    expect(
      sessions.map((s) => [total(s, 'input'), total(s, 'output'), total(s, 'cacheRead')]),
    ).toEqual(
      rows.map((r) => [
        r.tokens_input,
        Number(r.tokens_output) + Number(r.tokens_reasoning),
        r.tokens_cache_read,
      ]),
    )
    // run-B1.jsonl / run-B2.jsonl: the headless JSON events of session B carry the same steps.
    const events = ['run-B1.jsonl', 'run-B2.jsonl'].flatMap((f) =>
      readFileSync(join(FIXTURES, 'mockllm-1.18.33', f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(
          (l) => JSON.parse(l) as { type: string; part: { messageID: string; tokens: unknown } },
        ),
    )
    const steps = events.filter((e) => e.type === 'step_finish')
    expect(steps.map((e) => e.part.messageID)).toEqual(
      sessions[1]?.messages.filter((m) => m.role === 'assistant').map((m) => m.externalId),
    )
  })

  it('the same sessions from a legacy tree built from `opencode export` (derived)', async () => {
    // An export is `{info, messages: [{info, parts}]}` with every id in place: exactly the
    // legacy files' content (json-migration.ts).
    const data = tempDir()
    const storage = join(data, 'storage')
    for (const file of readdirSync(join(FIXTURES, 'mockllm-1.18.33', 'export'))) {
      const exported = JSON.parse(
        readFileSync(join(FIXTURES, 'mockllm-1.18.33', 'export', file), 'utf8'),
      ) as {
        info: { id: string; projectID: string }
        messages: { info: { id: string }; parts: { id: string }[] }[]
      }
      const write = (path: string, value: unknown) => {
        mkdirSync(join(storage, path, '..'), { recursive: true })
        writeFileSync(join(storage, path), JSON.stringify(value))
      }
      write(`session/${exported.info.projectID}/${exported.info.id}.json`, exported.info)
      for (const m of exported.messages) {
        write(`message/${exported.info.id}/${m.info.id}.json`, m.info)
        for (const p of m.parts) write(`part/${m.info.id}/${p.id}.json`, p)
      }
    }
    expect(await opencodeReader.read(treeSource(storage))).toEqual({
      sessions: expected,
      issues: [],
    })
  })
})
