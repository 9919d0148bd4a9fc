import { describe, expect, it } from 'vitest'
import type { RedactOptions, SecretKind } from './redact.js'
import { anonymizeHomePaths, redactSecrets, redactValue, SECRET_KINDS } from './redact.js'
import type { SecretCase } from './redact-corpus/test-fixtures.js'
import { b62, CLEAN_CASES, hex, S, SECRET_CASES } from './redact-corpus/test-fixtures.js'

const fill = (template: string, parts: readonly string[]): string =>
  template.replace(/⟦(\d+)⟧/g, (_, i: string) => parts[Number(i)] ?? '⟦?⟧')

/** The secrets of a case in the order their markers appear in its template. */
function inOrder(c: SecretCase): { kind: SecretKind; value: string }[] {
  return [...c.template.matchAll(/⟦(\d+)⟧/g)].map((m) => {
    const s = c.secrets[Number(m[1])]
    if (s === undefined) throw new Error(`${c.name}: no secret ${m[1]}`)
    return s
  })
}

const ENV_REF = ['$', '{API_KEY}'].join('')
const marker = (kind: string): string => `[REDACTED:${kind}]`

describe('redactSecrets: realistic secrets are removed, context is byte-identical', () => {
  for (const c of SECRET_CASES) {
    it(c.name, () => {
      const input = fill(
        c.template,
        c.secrets.map((s) => s.value),
      )
      const expected = fill(
        c.template,
        c.secrets.map((s) => marker(s.kind)),
      )
      const result = redactSecrets(input)
      expect(result.text).toBe(expected)
      for (const s of c.secrets) expect(result.text).not.toContain(s.value)
      // Offsets point at the secrets in the original text, in order, with the right kinds.
      const order = inOrder(c)
      expect(result.redactions.map((r) => r.kind)).toEqual(order.map((s) => s.kind))
      expect(result.redactions.map((r) => input.slice(r.start, r.end))).toEqual(
        order.map((s) => s.value),
      )
    })
  }

  it('the corpus covers every built-in detector kind', () => {
    const covered = new Set(SECRET_CASES.flatMap((c) => c.secrets.map((s) => s.kind)))
    expect(SECRET_KINDS.filter((k) => !covered.has(k))).toEqual([])
    expect(new Set(SECRET_KINDS).size).toBe(SECRET_KINDS.length)
    expect(SECRET_KINDS.length).toBeGreaterThanOrEqual(20)
    expect(SECRET_KINDS).not.toContain('custom')
  })
})

describe('redactSecrets: ordinary text is never touched', () => {
  for (const c of CLEAN_CASES) {
    it(c.name, () => {
      const result = redactSecrets(c.text)
      expect(result.redactions).toEqual([])
      expect(result.text).toBe(c.text)
    })
  }

  it('bare high-entropy strings without a secret-looking name are kept', () => {
    const text = [
      hex(40),
      hex(64),
      b62(40),
      `"${b62(32)}"`,
      `id: ${b62(24)}`,
      `const nonce = '${hex(32)}'`,
      `checksum=${hex(64)}`,
      `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
    ].join('\n')
    expect(redactSecrets(text).text).toBe(text)
  })

  it('the same values are redacted once a secret-looking name holds them', () => {
    const value = b62(40)
    expect(redactSecrets(`API_TOKEN=${value}`).text).toBe('API_TOKEN=[REDACTED:secret-assignment]')
    expect(redactSecrets(`cache_key: ${value}`).text).toBe(
      'cache_key: [REDACTED:secret-assignment]',
    )
    // A weak name (cache_key, sort_key…) needs a random-looking value.
    expect(redactSecrets('cache_key: user-profile-v2').text).toBe('cache_key: user-profile-v2')
  })

  it('placeholders are kept (documented decision)', () => {
    const text = [
      'API_KEY=your-api-key-here',
      'API_KEY=YOUR_API_KEY',
      'TOKEN=<token>',
      `TOKEN="\${TOKEN}"`,
      'SECRET={{ .Values.secret }}',
      'PASSWORD=changeme',
      'PASSWORD=password',
      'password: "********"',
      'api_key = "sk-..."',
      'export OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX',
      'Authorization: Bearer {token}',
      `postgres://user:\${DB_PASSWORD}@db:5432/app`,
      'mysql://root:<password>@localhost/db',
    ].join('\n')
    expect(redactSecrets(text).text).toBe(text)
  })
})

describe('redactSecrets: idempotent', () => {
  for (const c of SECRET_CASES) {
    it(c.name, () => {
      const once = redactSecrets(
        fill(
          c.template,
          c.secrets.map((s) => s.value),
        ),
      )
      const twice = redactSecrets(once.text)
      expect(twice.text).toBe(once.text)
      expect(twice.redactions).toEqual([])
    })
  }
})

describe('redactSecrets: options', () => {
  const text = `token ${S.ghp} and key ${S.awsAccessKeyId}\nexport GITHUB_TOKEN=${S.ghp}\n`

  it('enabled: false returns the input unchanged', () => {
    expect(redactSecrets(text, { enabled: false })).toEqual({ text, redactions: [] })
  })

  it('empty text', () => {
    expect(redactSecrets('')).toEqual({ text: '', redactions: [] })
  })

  it('disabledKinds switches one detector off (a secret-looking name still catches it)', () => {
    const result = redactSecrets(text, { disabledKinds: ['github-token'] })
    expect(result.text).toBe(
      `token ${S.ghp} and key [REDACTED:aws-access-key]\n` +
        'export GITHUB_TOKEN=[REDACTED:secret-assignment]\n',
    )
    const none = redactSecrets(text, {
      disabledKinds: ['github-token', 'secret-assignment', 'aws-access-key'],
    })
    expect(none.text).toBe(text)
  })

  it('allow keeps known test values', () => {
    const result = redactSecrets(text, { allow: [S.awsAccessKeyId] })
    expect(result.text).toBe(
      'token [REDACTED:github-token] and key ' +
        `${S.awsAccessKeyId}\nexport GITHUB_TOKEN=[REDACTED:github-token]\n`,
    )
  })

  it('extraPatterns: whole match, a `secret` group or group 1; no g flag needed', () => {
    const acme = `acme_${hex(24)}`
    const internal = `int-${b62(20)}`
    const options: RedactOptions = {
      extraPatterns: [
        { name: 'acme-token', pattern: /acme_[0-9a-f]{24}/ },
        { name: 'Internal Key!', pattern: /X-Internal: (?<secret>int-[A-Za-z0-9]{20})/i },
        { name: 'employee-id', pattern: /employee #(\d{6})/g },
      ],
    }
    const input = `use ${acme} then\nX-Internal: ${internal}\nemployee #123456 logged in`
    const result = redactSecrets(input, options)
    expect(result.text).toBe(
      'use [REDACTED:acme-token] then\nX-Internal: [REDACTED:Internal-Key-]\n' +
        'employee #[REDACTED:employee-id] logged in',
    )
    expect(result.redactions.map((r) => [r.kind, r.name])).toEqual([
      ['custom', 'acme-token'],
      ['custom', 'Internal-Key-'],
      ['custom', 'employee-id'],
    ])
    // Idempotent with custom markers too.
    expect(redactSecrets(result.text, options).text).toBe(result.text)
  })

  it('extraPatterns that match the empty string do not loop', () => {
    const result = redactSecrets('abc', { extraPatterns: [{ name: 'x', pattern: /(?:)/g }] })
    expect(result.text).toBe('abc')
  })

  it('a custom pattern takes precedence over a built-in kind on the same span', () => {
    const result = redactSecrets(`GITHUB_TOKEN=${S.ghp}`, {
      extraPatterns: [{ name: 'gh', pattern: /ghp_\w+/ }],
    })
    expect(result.text).toBe('GITHUB_TOKEN=[REDACTED:gh]')
  })
})

describe('redactSecrets: specifics', () => {
  it('keeps the scheme of an Authorization header and the user and host of a URL', () => {
    expect(redactSecrets(`Authorization: Bearer ${S.bearer}`).text).toBe(
      'Authorization: Bearer [REDACTED:authorization-header]',
    )
    expect(redactSecrets(`authorization: token ${S.bearer}`).text).toBe(
      'authorization: token [REDACTED:authorization-header]',
    )
    expect(redactSecrets(`https://user:${S.mysqlPassword}@host.example.com/x`).text).toBe(
      'https://user:[REDACTED:url-password]@host.example.com/x',
    )
  })

  it('a password containing @ and : in a URL is redacted up to the last @', () => {
    expect(redactSecrets('redis://default:p@ss:w0rd@cache:6379').text).toBe(
      'redis://default:[REDACTED:url-password]@cache:6379',
    )
  })

  it('Unicode offsets are UTF-16 indices into the original text', () => {
    const input = `👩🏽‍💻 ключ=${S.ghp} ✓`
    const [r] = redactSecrets(input).redactions
    expect(r && input.slice(r.start, r.end)).toBe(S.ghp)
  })

  it('several PEM keys in one text each lose their body only', () => {
    const input = [
      '-----BEGIN PRIVATE KEY-----',
      S.ecBody,
      '-----END PRIVATE KEY-----',
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      '',
      S.rsaBody,
      '-----END PGP PRIVATE KEY BLOCK-----',
    ].join('\n')
    expect(redactSecrets(input).text).toBe(
      [
        '-----BEGIN PRIVATE KEY-----',
        '[REDACTED:private-key]',
        '-----END PRIVATE KEY-----',
        '-----BEGIN PGP PRIVATE KEY BLOCK-----',
        '',
        '[REDACTED:private-key]',
        '-----END PGP PRIVATE KEY BLOCK-----',
      ].join('\n'),
    )
  })
})

describe('redactValue: deep redaction of tool arguments', () => {
  it('redacts strings in nested objects and arrays, never keys', () => {
    const meta = { cwd: '/srv/app', tags: ['a', 'b'] }
    const args = {
      command: `curl -H "Authorization: Bearer ${S.jwt}" https://api.example.com`,
      env: { OPENAI_API_KEY: S.openaiProject, DEBUG: '1' },
      headers: { Authorization: `Bearer ${S.bearer}`, Accept: 'application/json' },
      password: S.envPassword,
      apiKey: ENV_REF,
      nested: [{ token: S.flagToken }, 'plain text', [`ghp token ${S.ghp}`]],
      count: 3,
      ok: true,
      nothing: null,
      meta,
    }
    const snapshot = JSON.stringify(args)
    const { value, count } = redactValue(args)
    expect(value).toEqual({
      command: 'curl -H "Authorization: Bearer [REDACTED:jwt]" https://api.example.com',
      env: { OPENAI_API_KEY: '[REDACTED:openai-api-key]', DEBUG: '1' },
      headers: {
        Authorization: 'Bearer [REDACTED:authorization-header]',
        Accept: 'application/json',
      },
      password: '[REDACTED:password-assignment]',
      apiKey: ENV_REF,
      nested: [
        { token: '[REDACTED:secret-assignment]' },
        'plain text',
        ['ghp token [REDACTED:github-token]'],
      ],
      count: 3,
      ok: true,
      nothing: null,
      meta,
    })
    expect(count).toBe(6)
    expect(JSON.stringify(args)).toBe(snapshot) // input not mutated
    expect(value.meta).toBe(meta) // unchanged subtrees are shared
  })

  it('returns the same value when nothing changes, handles cycles and non-plain objects', () => {
    const date = new Date(0)
    const cyclic: Record<string, unknown> = { name: 'x', date }
    cyclic.self = cyclic
    const result = redactValue(cyclic)
    expect(result.value).toBe(cyclic)
    expect(result.count).toBe(0)
    expect(redactValue('plain').value).toBe('plain')
    expect(redactValue(42).value).toBe(42)
    expect(redactValue(undefined).value).toBeUndefined()
  })

  it('respects enabled, allow and disabledKinds', () => {
    const args = { password: S.envPassword, note: `token ${S.ghp}` }
    expect(redactValue(args, { enabled: false })).toEqual({ value: args, count: 0 })
    expect(redactValue(args, { allow: [S.envPassword] }).value).toEqual({
      password: S.envPassword,
      note: 'token [REDACTED:github-token]',
    })
    expect(
      redactValue(args, { disabledKinds: ['password-assignment', 'github-token'] }).value,
    ).toEqual(args)
    // Under a secret-looking key the value is still caught by its name.
    expect(redactValue({ key: S.ghp }, { disabledKinds: ['github-token'] }).value).toEqual({
      key: '[REDACTED:secret-assignment]',
    })
  })

  it('a top-level string is redacted like redactSecrets', () => {
    expect(redactValue(`export GITHUB_TOKEN=${S.ghp}`)).toEqual({
      value: 'export GITHUB_TOKEN=[REDACTED:github-token]',
      count: 1,
    })
  })
})

describe('anonymizeHomePaths', () => {
  const cases: [string, string][] = [
    ['/Users/alice/src/app/index.ts', '/Users/user/src/app/index.ts'],
    ['cd /Users/Alice.Smith && ls', 'cd /Users/user && ls'],
    ['home is /Users/bob.', 'home is /Users/user.'],
    ['/home/bob/.config/opensync/config.json', '/home/user/.config/opensync/config.json'],
    ['PATH=/usr/bin:/home/carol/bin:/bin', 'PATH=/usr/bin:/home/user/bin:/bin'],
    ['file:///home/dave/notes.md', 'file:///home/user/notes.md'],
    ['C:\\Users\\Erin\\AppData\\Roaming', 'C:\\Users\\user\\AppData\\Roaming'],
    ['"cwd": "C:\\\\Users\\\\erin\\\\repo"', '"cwd": "C:\\\\Users\\\\user\\\\repo"'],
    ['D:/Users/frank/code', 'D:/Users/user/code'],
    ['C:\\Users\\John Smith\\Documents\\a.txt', 'C:\\Users\\user\\Documents\\a.txt'],
    ['/mnt/c/Users/gina/Desktop', '/mnt/c/Users/user/Desktop'],
    ['ls ~heidi/projects', 'ls ~user/projects'],
    ['Vérifiez /Users/zoë/Café — ok', 'Vérifiez /Users/user/Café — ok'],
    // Left alone:
    ['~/projects and ~/.ssh/config', '~/projects and ~/.ssh/config'],
    ['/Users/Shared/data and C:\\Users\\Public\\x', '/Users/Shared/data and C:\\Users\\Public\\x'],
    ['https://example.com/home/about', 'https://example.com/home/about'],
    ['/var/lib/home/x and /srv/app', '/var/lib/home/x and /srv/app'],
    ['/Users/user/x /home/user/y', '/Users/user/x /home/user/y'],
  ]
  for (const [input, expected] of cases) {
    it(input, () => {
      expect(anonymizeHomePaths(input)).toBe(expected)
      expect(anonymizeHomePaths(expected)).toBe(expected)
    })
  }

  it('composes with redaction for share pages and eval exports', () => {
    const text = `$ cat /Users/alice/app/.env\nGITHUB_TOKEN=${S.ghp}\n`
    expect(anonymizeHomePaths(redactSecrets(text).text)).toBe(
      '$ cat /Users/user/app/.env\nGITHUB_TOKEN=[REDACTED:github-token]\n',
    )
  })
})

describe('performance sanity (no timing assertions)', () => {
  it('5 MB of ordinary code passes through unchanged', () => {
    const chunk = CLEAN_CASES.filter((c) => c.name !== 'already redacted text')
      .map((c) => c.text)
      .join('\n')
    const big = chunk.repeat(Math.ceil(5_000_000 / chunk.length))
    expect(big.length).toBeGreaterThanOrEqual(5_000_000)
    const result = redactSecrets(big)
    expect(result.redactions.length).toBe(0)
    expect(result.text).toBe(big)
  })

  it('5 MB with secrets sprinkled in finds every one of them', () => {
    const chunk = CLEAN_CASES[6]?.text ?? ''
    const line = `export GITHUB_TOKEN=${S.ghp}\n`
    const copies = Math.ceil(5_000_000 / (chunk.length + line.length))
    const result = redactSecrets((chunk + line).repeat(copies))
    expect(result.redactions.length).toBe(copies)
  })

  const pathological: [string, string][] = [
    ['a= ×100k', 'a='.repeat(100_000)],
    ['API_KEY= ×100k', 'API_KEY='.repeat(100_000)],
    ['password: ×100k', 'password: '.repeat(100_000)],
    ['"apiKey": " ×100k', '"apiKey": "'.repeat(100_000)],
    ['1M base64 chars without terminator', 'Ab9+/'.repeat(200_000)],
    ['1M alphanumerics', 'aB3dE5gH7j'.repeat(100_000)],
    ['scheme:// without @', `https://${'a'.repeat(1_000)}`.repeat(1_000)],
    ['user:pass without @', `x://u:${'p'.repeat(1_000_000)}`],
    ['a://b: ×100k', 'a://b:'.repeat(100_000)],
    ['BEGIN without END ×20k', '-----BEGIN PRIVATE KEY-----\n'.repeat(20_000)],
    ['BEGIN then 200k base64 lines', `-----BEGIN PRIVATE KEY-----\n${'QUJD\n'.repeat(200_000)}`],
    ['eyJ segments ×50k', 'eyJhbGciOiJIUzI1NiJ9.'.repeat(50_000)],
    ['Authorization: Bearer ×100k', 'Authorization: Bearer '.repeat(100_000)],
    ['Cookie: a=b; ×100k', 'Cookie: a=b;'.repeat(100_000)],
    ['<password> ×100k', '<password>'.repeat(100_000)],
    ['--password ×100k', '--password '.repeat(100_000)],
    ['curl -u a: ×50k', 'curl -u a:'.repeat(50_000)],
    ['1M dashes', '-'.repeat(1_000_000)],
    ['long names without separator', `${'a'.repeat(200)} `.repeat(5_000)],
    ['a. ×500k', 'a.'.repeat(500_000)],
    ["PASSWORD ' ×100k", "PASSWORD '".repeat(100_000)],
    ['/Users/ ×100k', '/Users/'.repeat(100_000)],
  ]
  for (const [name, input] of pathological) {
    it(`completes on ${name}`, () => {
      const result = redactSecrets(input)
      expect(typeof result.text).toBe('string')
      expect(anonymizeHomePaths(input).length).toBeGreaterThan(0)
    })
  }
})
