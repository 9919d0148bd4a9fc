/**
 * Corpus for redact.test.ts. Every secret is generated here from a seeded PRNG and assembled by
 * concatenation, so no token-shaped literal sits in the repository (secret scanners stay quiet)
 * and no real key is ever used. Formats follow the vendors' documented shapes.
 *
 * A case is a template with ⟦0⟧, ⟦1⟧… where its secrets go; the expected redaction is the same
 * template with `[REDACTED:<kind>]` in those places, so all surrounding bytes must be identical.
 */
import type { SecretKind } from '../redact.js'

// --- deterministic randomness ---------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const next = mulberry32(20_240_607)
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const DIGITS = '0123456789'
const B62 = UPPER + LOWER + DIGITS
const B64 = `${B62}+/`
const B64URL = `${B62}-_`
const HEX = '0123456789abcdef'
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'

/** `n` random characters of `alphabet`; retried until letters, digits and both cases appear. */
export function rand(alphabet: string, n: number): string {
  for (;;) {
    let out = ''
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)]
    const needs = [/[0-9]/, /[a-z]/, /[A-Z]/].filter((re) => re.test(alphabet))
    if (n < 12 || needs.every((re) => re.test(out))) return out
  }
}

export const b62 = (n: number): string => rand(B62, n)
export const b64 = (n: number): string => rand(B64, n)
export const b64url = (n: number): string => rand(B64URL, n)
export const hex = (n: number): string => rand(HEX, n)
export const digits = (n: number): string => `${1 + Math.floor(next() * 9)}${rand(DIGITS, n - 1)}`
const upperDigits = (n: number): string => rand(UPPER + DIGITS, n)
const pemBody = (lines: number, last = 40, indent = ''): string =>
  Array.from({ length: lines }, (_, i) => indent + b64(i === lines - 1 ? last : 64)).join('\n')

// --- realistic secrets, one per format --------------------------------------------------------

export const S = {
  awsAccessKeyId: `AKIA${upperDigits(16)}`,
  awsSessionKeyId: `ASIA${upperDigits(16)}`,
  awsSecret: b64(40),
  ghp: `ghp_${b62(36)}`,
  ghs: `ghs_${b62(36)}`,
  gho: `gho_${b62(36)}`,
  ghu: `ghu_${b62(36)}`,
  ghr: `ghr_${b62(76)}`,
  githubPat: `github_pat_${b62(22)}_${b62(59)}`,
  glpat: `glpat-${b64url(20)}`,
  slackBot: `xoxb-${digits(12)}-${digits(13)}-${b62(24)}`,
  slackUser: `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${hex(32)}`,
  slackApp: `xapp-1-A${upperDigits(10)}-${digits(13)}-${hex(64)}`,
  slackHookPath: `T${upperDigits(8)}/B${upperDigits(10)}/${b62(24)}`,
  stripeLive: `sk_live_${b62(24)}`,
  stripeRestricted: `rk_live_${b62(99)}`,
  stripeTest: `sk_test_${b62(24)}`,
  stripeWebhook: `whsec_${b64(32)}`,
  openaiProject: `sk-proj-${b64url(74)}T3BlbkFJ${b64url(74)}`,
  openaiLegacy: `sk-${b62(20)}T3BlbkFJ${b62(20)}`,
  anthropic: `sk-ant-api03-${b64url(93)}AA`,
  openrouter: `sk-or-v1-${hex(64)}`,
  googleApi: `AIza${b64url(35)}`,
  googleOauthSecret: `GOCSPX-${b64url(28)}`,
  googleAccessToken: `ya29.${b64url(160)}`,
  npm: `npm_${b62(36)}`,
  pypi: `pypi-AgEIcHlwaS5vcmc${b64url(160)}`,
  hf: `hf_${rand(UPPER + LOWER, 34)}`,
  twilioKey: `SK${hex(32)}`,
  twilioAuthToken: hex(32),
  sendgrid: `SG.${b64url(22)}.${b64url(43)}`,
  mailgun: `key-${hex(32)}`,
  discordBot: `M${b64url(25)}.${b64url(6)}.${b64url(38)}`,
  discordHookId: digits(19),
  discordHookToken: b64url(68),
  telegram: `${digits(10)}:AA${b64url(33)}`,
  shopify: `shpat_${hex(32)}`,
  digitalocean: `dop_v1_${hex(64)}`,
  groq: `gsk_${b62(52)}`,
  xai: `xai-${b62(80)}`,
  replicate: `r8_${b62(37)}`,
  vault: `hvs.${b64url(90)}`,
  databricks: `dapi${hex(32)}`,
  supabase: `sbp_${hex(40)}`,
  sentry: `sntrys_${b64url(120)}_${b62(43)}`,
  notion: `ntn_${digits(11)}${b62(35)}`,
  linear: `lin_api_${b62(40)}`,
  age: `AGE-SECRET-KEY-1${rand(BECH32, 58)}`,
  opensync: `os_${b62(40)}`,
  opensyncLegacy: `osk_${b64url(32)}`,
  azureAccountKey: `${b64(86)}==`,
  jwt: `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ${b64url(70)}.${b64url(43)}`,
  bearer: b64url(40),
  basic: `${b64(22)}==`,
  pgPassword: `${b62(12)}%21${b62(6)}`,
  mysqlPassword: b62(18),
  redisPassword: b64url(32),
  amqpPassword: b62(16),
  mongoPassword: b62(20),
  envPassword: `Tr0ub4dor&3-${b62(6)}`,
  parenPassword: `p(${b62(4)})w0rd;${b62(4)}`,
  sessionSecret: hex(64),
  composePassword: b62(24),
  jsonPassword: `${b62(10)}!${b62(6)}`,
  cookieSession: b64url(43),
  curlUserPassword: `${b62(10)}#${b62(4)}`,
  sqlPassword: `S3cure!${b62(10)}`,
  mavenPassword: b62(16),
  springPassword: b62(14),
  phpKey: b62(32),
  apiHeaderKey: hex(40),
  flagToken: b62(30),
  twoWordPass: `correct horse battery ${b62(6)}`,
  rsaBody: pemBody(25, 44),
  ecBody: pemBody(3, 20),
  opensshBody: pemBody(6, 70),
  encryptedBody: pemBody(16, 12),
  pkcs8Escaped: Array.from({ length: 26 }, () => b64(64)).join('\\n'),
  truncatedBody: pemBody(4, 64),
} as const

// --- cases ------------------------------------------------------------------------------------

export type Secret = { readonly kind: SecretKind; readonly value: string }
export type SecretCase = {
  readonly name: string
  /** ⟦i⟧ marks where `secrets[i]` goes. */
  readonly template: string
  readonly secrets: readonly Secret[]
}

const $ = (kind: SecretKind, value: string): Secret => ({ kind, value })

export const SECRET_CASES: readonly SecretCase[] = [
  {
    name: '.env file of a web app',
    template: `# Generated by setup.sh — do not commit
NODE_ENV=production
PORT=3000
LOG_LEVEL=debug
API_URL=https://api.example.com/v2
OPENAI_API_KEY=⟦0⟧
ANTHROPIC_API_KEY="⟦1⟧"
STRIPE_SECRET_KEY=⟦2⟧
STRIPE_WEBHOOK_SECRET=⟦3⟧
DATABASE_URL=postgres://app_user:⟦4⟧@db.internal:5432/app?sslmode=require
DB_PASSWORD='⟦5⟧'
SESSION_SECRET=⟦6⟧
ADMIN_PASSWORD=⟦7⟧
SENTRY_DSN=
MAPBOX_TOKEN=your-mapbox-token-here
`,
    secrets: [
      $('openai-api-key', S.openaiProject),
      $('anthropic-api-key', S.anthropic),
      $('stripe-key', S.stripeLive),
      $('stripe-key', S.stripeWebhook),
      $('url-password', S.pgPassword),
      $('password-assignment', S.envPassword),
      $('secret-assignment', S.sessionSecret),
      $('password-assignment', S.parenPassword),
    ],
  },
  {
    name: 'shell session with export and aws cli output',
    template: `~/src/infra $ export AWS_ACCESS_KEY_ID=⟦0⟧
~/src/infra $ export AWS_SECRET_ACCESS_KEY=⟦1⟧
~/src/infra $ export GITHUB_TOKEN=⟦2⟧
~/src/infra $ aws sts get-caller-identity
{
    "UserId": "AIDASAMPLEUSERID",
    "Account": "123456789012",
    "Arn": "arn:aws:iam::123456789012:user/deploy"
}
~/src/infra $ echo $?
0
`,
    secrets: [
      $('aws-access-key', S.awsAccessKeyId),
      $('aws-secret-key', S.awsSecret),
      $('github-token', S.ghp),
    ],
  },
  {
    name: 'aws sts assume-role JSON output',
    template: `{
    "Credentials": {
        "AccessKeyId": "⟦0⟧",
        "SecretAccessKey": "⟦1⟧",
        "SessionToken": "⟦2⟧",
        "Expiration": "2025-01-01T12:00:00+00:00"
    }
}`,
    secrets: [
      $('aws-access-key', S.awsSessionKeyId),
      $('aws-secret-key', S.awsSecret),
      $('secret-assignment', `IQoJb3JpZ2luX2VjE${b64(180)}`),
    ],
  },
  {
    name: 'curl commands with auth headers, basic auth and cookies',
    template: `$ curl -sS https://api.example.com/v1/me \\
    -H "Authorization: Bearer ⟦0⟧" \\
    -H 'Accept: application/json'
{"id": 42, "login": "octo"}
$ curl -H 'Authorization: Bearer ⟦1⟧' https://api.example.com/v1/items?limit=10
$ curl -u admin:⟦2⟧ https://registry.example.com/v2/_catalog
$ curl -H "X-Api-Key: ⟦3⟧" -H 'Cookie: session=⟦4⟧; theme=dark' https://example.com
$ curl --header "Authorization: Basic ⟦5⟧" https://jenkins.example.com/api/json
`,
    secrets: [
      $('jwt', S.jwt),
      $('authorization-header', S.bearer),
      $('cli-password', S.curlUserPassword),
      $('secret-assignment', S.apiHeaderKey),
      $('cookie', S.cookieSession),
      $('authorization-header', S.basic),
    ],
  },
  {
    name: 'docker-compose.yml',
    template: `services:
  db:
    image: postgres:16-alpine
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ⟦0⟧
      POSTGRES_DB: app
    ports:
      - "5432:5432"
  worker:
    image: ghcr.io/acme/worker:1.4.2
    environment:
      - REDIS_URL=redis://:⟦1⟧@redis:6379/0
      - SENDGRID_API_KEY=⟦2⟧
      - MONGO_URL=mongodb+srv://worker:⟦3⟧@cluster0.ab1cd.mongodb.net/jobs?retryWrites=true
      - AMQP_URL=amqp://app:⟦4⟧@rabbitmq:5672/%2f
    depends_on: [db]
`,
    secrets: [
      $('password-assignment', S.composePassword),
      $('url-password', S.redisPassword),
      $('sendgrid-api-key', S.sendgrid),
      $('url-password', S.mongoPassword),
      $('url-password', S.amqpPassword),
    ],
  },
  {
    name: 'JSON config file',
    template: `{
  "name": "acme-dashboard",
  "version": "2.3.1",
  "google": {
    "apiKey": "⟦0⟧",
    "clientId": "1234567890-abcdefghijklmnopqrstuvwxyz123456.apps.googleusercontent.com",
    "clientSecret": "⟦1⟧"
  },
  "slack": {
    "webhookUrl": "https://hooks.slack.com/services/⟦2⟧",
    "botToken": "⟦3⟧"
  },
  "smtp": { "host": "smtp.mailgun.org", "user": "postmaster@mg.example.com", "password": "⟦4⟧" },
  "timeoutMs": 30000
}`,
    secrets: [
      $('google-api-key', S.googleApi),
      $('google-oauth-secret', S.googleOauthSecret),
      $('slack-webhook', S.slackHookPath),
      $('slack-token', S.slackBot),
      $('password-assignment', S.jsonPassword),
    ],
  },
  {
    name: 'Python stack trace with DSNs',
    template: `Traceback (most recent call last):
  File "/srv/app/db.py", line 14, in connect
    engine = create_engine("mysql+pymysql://root:⟦0⟧@10.0.0.12:3306/shop")
  File "/usr/lib/python3.12/site-packages/sqlalchemy/engine/create.py", line 552, in create_engine
    raise exc.ArgumentError(f"Could not parse URL from string '{url}'")
sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1045, "Access denied for user 'root'@'10.0.0.5'")
(Background on this error at: https://sqlalche.me/e/20/e3q8)
`,
    secrets: [$('url-password', S.mysqlPassword)],
  },
  {
    name: 'Python source with hard-coded keys',
    template: `import os
import openai
import telebot
from anthropic import Anthropic

openai.api_key = "⟦0⟧"
client = Anthropic(api_key="⟦1⟧")
HF_TOKEN = "⟦2⟧"
bot = telebot.TeleBot("⟦3⟧")
DEBUG = os.environ.get("DEBUG", "0") == "1"


def main() -> None:
    api_key = os.environ["OPENAI_API_KEY"]
    print(client.models.list(), api_key is not None)
`,
    secrets: [
      $('openai-api-key', S.openaiLegacy),
      $('anthropic-api-key', S.anthropic),
      $('huggingface-token', S.hf),
      $('telegram-bot-token', S.telegram),
    ],
  },
  {
    name: 'TypeScript source with hard-coded keys',
    template: `import Stripe from 'stripe'
import { Octokit } from '@octokit/rest'
import twilio from 'twilio'

const stripe = new Stripe('⟦0⟧', { apiVersion: '2024-06-20' })
const octokit = new Octokit({ auth: '⟦1⟧' })
const TWILIO_API_KEY = '⟦2⟧'
const TWILIO_AUTH_TOKEN = '⟦3⟧'
export const client = twilio(TWILIO_API_KEY, TWILIO_AUTH_TOKEN, { accountSid: process.env.SID })

export async function charge(amount: number): Promise<string> {
  const intent = await stripe.paymentIntents.create({ amount, currency: 'eur' })
  return intent.id
}
`,
    secrets: [
      $('stripe-key', S.stripeTest),
      $('github-token', S.githubPat),
      $('twilio-api-key', S.twilioKey),
      $('secret-assignment', S.twilioAuthToken),
    ],
  },
  {
    name: 'git diff adding keys and a private key',
    template: `diff --git a/.npmrc b/.npmrc
index 3f78685..e69de29 100644
--- a/.npmrc
+++ b/.npmrc
@@ -1,2 +1,3 @@
 registry=https://registry.npmjs.org/
-//registry.npmjs.org/:_authToken=\${NPM_TOKEN}
+//registry.npmjs.org/:_authToken=⟦0⟧
diff --git a/deploy/id_ed25519 b/deploy/id_ed25519
new file mode 100644
--- /dev/null
+++ b/deploy/id_ed25519
@@ -0,0 +1,8 @@
+-----BEGIN OPENSSH PRIVATE KEY-----
+⟦1⟧
+-----END OPENSSH PRIVATE KEY-----
`,
    secrets: [$('npm-token', S.npm), $('private-key', S.opensshBody.split('\n').join('\n+'))],
  },
  {
    name: 'PEM keys: RSA, EC and encrypted with headers',
    template: `$ cat server.key
-----BEGIN RSA PRIVATE KEY-----
⟦0⟧
-----END RSA PRIVATE KEY-----
$ cat ec.pem
-----BEGIN EC PRIVATE KEY-----
⟦1⟧
-----END EC PRIVATE KEY-----
$ cat legacy.pem
-----BEGIN RSA PRIVATE KEY-----
⟦2⟧
-----END RSA PRIVATE KEY-----
$ cat pkcs8-encrypted.pem
-----BEGIN ENCRYPTED PRIVATE KEY-----
⟦3⟧
-----END ENCRYPTED PRIVATE KEY-----
-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUDnVn
-----END CERTIFICATE-----
`,
    secrets: [
      $('private-key', S.rsaBody),
      $('private-key', S.ecBody),
      $(
        'private-key',
        `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${hex(32).toUpperCase()}\n\n${S.encryptedBody}`,
      ),
      $('private-key', pemBody(19, 8)),
    ],
  },
  {
    name: 'Google service-account JSON (escaped PEM)',
    template: `{
  "type": "service_account",
  "project_id": "acme-prod",
  "private_key_id": "3f786850e387550fdab836ed7e6dc881de23001b",
  "private_key": "-----BEGIN PRIVATE KEY-----\\n⟦0⟧\\n-----END PRIVATE KEY-----\\n",
  "client_email": "deployer@acme-prod.iam.gserviceaccount.com",
  "token_uri": "https://oauth2.googleapis.com/token"
}`,
    secrets: [$('private-key', S.pkcs8Escaped)],
  },
  {
    name: 'truncated private key (head of a file)',
    template: `$ head -6 ~/.ssh/id_rsa
-----BEGIN OPENSSH PRIVATE KEY-----
⟦0⟧
$ ls -la ~/.ssh
total 16
`,
    secrets: [$('private-key', S.truncatedBody)],
  },
  {
    name: 'git remotes and clone URLs with tokens',
    template: `$ git remote -v
origin	https://oauth2:⟦0⟧@gitlab.com/acme/platform.git (fetch)
origin	https://oauth2:⟦0⟧@gitlab.com/acme/platform.git (push)
$ git clone https://x-access-token:⟦1⟧@github.com/acme/infra.git
Cloning into 'infra'...
`,
    secrets: [$('gitlab-token', S.glpat), $('github-token', S.ghs)],
  },
  {
    name: 'Azure storage connection string in appsettings.json',
    template: `{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "ConnectionStrings": {
    "Storage": "DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=⟦0⟧;EndpointSuffix=core.windows.net"
  }
}`,
    secrets: [$('azure-storage-key', S.azureAccountKey)],
  },
  {
    name: 'webhooks: Discord and Telegram bot URL',
    template: `DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/${S.discordHookId}/⟦0⟧
$ curl -s https://api.telegram.org/bot⟦1⟧/getMe
{"ok":true,"result":{"id":1234567890,"is_bot":true,"first_name":"Acme Bot"}}
client.run('⟦2⟧')
`,
    secrets: [
      $('discord-webhook', S.discordHookToken),
      $('telegram-bot-token', S.telegram),
      $('discord-bot-token', S.discordBot),
    ],
  },
  {
    name: 'OpenSync API keys in config and requests',
    template: `$ cat ~/.config/opensync/config.json
{ "serverUrl": "https://sync.example.com", "apiKey": "⟦0⟧", "autoSync": true }
$ curl -H "Authorization: Bearer ⟦1⟧" https://sync.example.com/api/sessions
`,
    secrets: [$('opensync-api-key', S.opensync), $('opensync-api-key', S.opensyncLegacy)],
  },
  {
    name: 'more vendor tokens in a secrets manager dump',
    template: `SHOPIFY_ADMIN_TOKEN=⟦0⟧
DIGITALOCEAN_TOKEN=⟦1⟧
GROQ_API_KEY=⟦2⟧
XAI_API_KEY=⟦3⟧
REPLICATE_API_TOKEN=⟦4⟧
VAULT_TOKEN=⟦5⟧
DATABRICKS_TOKEN=⟦6⟧
SUPABASE_ACCESS_TOKEN=⟦7⟧
SENTRY_AUTH_TOKEN=⟦8⟧
NOTION_TOKEN=⟦9⟧
LINEAR_API_KEY=⟦10⟧
OPENROUTER_API_KEY=⟦11⟧
MAILGUN_API_KEY=⟦12⟧
PYPI_TOKEN=⟦13⟧
GOOGLE_ACCESS_TOKEN=⟦14⟧
STRIPE_RESTRICTED_KEY=⟦15⟧
SLACK_USER_TOKEN=⟦16⟧
`,
    secrets: [
      $('shopify-token', S.shopify),
      $('digitalocean-token', S.digitalocean),
      $('groq-api-key', S.groq),
      $('xai-api-key', S.xai),
      $('replicate-token', S.replicate),
      $('vault-token', S.vault),
      $('databricks-token', S.databricks),
      $('supabase-token', S.supabase),
      $('sentry-token', S.sentry),
      $('notion-token', S.notion),
      $('linear-api-key', S.linear),
      $('openrouter-api-key', S.openrouter),
      $('mailgun-api-key', S.mailgun),
      $('pypi-token', S.pypi),
      $('google-oauth-token', S.googleAccessToken),
      $('stripe-key', S.stripeRestricted),
      $('slack-token', S.slackUser),
    ],
  },
  {
    name: 'TOML and INI files',
    template: `[database]
host = "db.internal"
port = 5432
password = "⟦0⟧"

[providers.openai]
base_url = "https://api.openai.com/v1"
api_key = "⟦1⟧"

# ~/.my.cnf
[client]
user = root
password = ⟦2⟧
`,
    secrets: [
      $('password-assignment', S.composePassword),
      $('secret-assignment', S.phpKey),
      $('password-assignment', S.mysqlPassword),
    ],
  },
  {
    name: 'gh CLI hosts.yml and OAuth token JSON',
    template: `github.com:
    oauth_token: ⟦0⟧
    user: octocat
    git_protocol: https
{"access_token":"⟦1⟧","expires_in":28800,"refresh_token":"⟦2⟧","token_type":"bearer","scope":""}
`,
    secrets: [$('github-token', S.gho), $('github-token', S.ghu), $('github-token', S.ghr)],
  },
  {
    name: '.env with CRLF line endings and export',
    template: 'export SLACK_APP_TOKEN=⟦0⟧\r\nexport SLACK_BOT_TOKEN=⟦1⟧\r\nDEBUG=false\r\n',
    secrets: [$('slack-token', S.slackApp), $('slack-token', S.slackBot)],
  },
  {
    name: 'age key file',
    template: `# created: 2024-05-01T10:00:00Z
# public key: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
⟦0⟧
`,
    secrets: [$('age-secret-key', S.age)],
  },
  {
    name: 'SQL, Maven settings.xml, Spring properties, PHP config',
    template: `CREATE ROLE reporting WITH LOGIN PASSWORD '⟦0⟧';
<server>
  <id>nexus</id>
  <username>deploy</username>
  <password>⟦1⟧</password>
</server>
spring.datasource.username=app
spring.datasource.password=⟦2⟧
return [
    'api_key' => '⟦3⟧',
    'timeout' => 30,
];
`,
    secrets: [
      $('password-assignment', S.sqlPassword),
      $('password-assignment', S.mavenPassword),
      $('password-assignment', S.springPassword),
      $('secret-assignment', S.phpKey),
    ],
  },
  {
    name: 'CLI flags and shell-quoted values',
    template: `$ huggingface-cli login --token ⟦0⟧
$ vercel deploy --prod --token ⟦1⟧
$ ./bin/migrate --db-password=⟦2⟧ --dry-run
$ SMTP_PASSWORD="⟦3⟧" ./send-mail.sh
`,
    secrets: [
      $('huggingface-token', S.hf),
      $('secret-assignment', S.flagToken),
      $('password-assignment', S.mysqlPassword),
      $('password-assignment', S.twoWordPass),
    ],
  },
  {
    name: 'Unicode around secrets',
    template: `🔑 Schlüssel für die Überprüfung: export GITHUB_TOKEN=⟦0⟧ — fertig ✅
密钥：⟦1⟧。请勿泄露。
Ключ API: ⟦2⟧ (не публиковать) 👍🏽
`,
    secrets: [
      $('github-token', S.ghp),
      $('openai-api-key', S.openaiProject),
      $('google-api-key', S.googleApi),
    ],
  },
  {
    name: 'tool output as JSON string (escaped quotes and newlines)',
    template: `{"type":"tool_result","content":"API_KEY=⟦0⟧\\nDB_PASSWORD=⟦1⟧\\n","args":"{\\"apiKey\\": \\"⟦2⟧\\"}"}`,
    secrets: [
      $('secret-assignment', S.apiHeaderKey),
      $('password-assignment', S.composePassword),
      $('secret-assignment', S.phpKey),
    ],
  },
]

// --- ordinary text that must come out byte-identical --------------------------------------------

const sha = (): string => hex(40)
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`

export const CLEAN_CASES: readonly { readonly name: string; readonly text: string }[] = [
  {
    name: 'git log and git show',
    text: `commit ${sha()}
Merge: ${hex(7)} ${hex(7)}
Author: Jane Doe <jane.doe@example.com>
Date:   Tue Apr 2 14:03:11 2024 +0200

    fix(auth): refresh the token before it expires (#1234)

${hex(7)} feat(core): add password strength meter
${hex(7)} chore: bump eslint from 8.56.0 to 8.57.0
${sha()} refs/heads/main
 src/auth/token.ts | 12 ++++++------
 1 file changed, 6 insertions(+), 6 deletions(-)
`,
  },
  {
    name: 'UUIDs and request ids in logs',
    text: `2024-04-02T14:03:11.123Z INFO  request id=${uuid()} user=${uuid()} status=200 in 12ms
2024-04-02T14:03:12.456Z WARN  token refresh scheduled in 3600s (session ${uuid()})
2024-04-02T14:03:13.789Z ERROR Error: invalid token: expired
    at verify (/srv/app/node_modules/jsonwebtoken/verify.js:152:21)
`,
  },
  {
    name: 'package-lock.json, yarn.lock, go.sum, Cargo.lock',
    text: `    "node_modules/zod": {
      "version": "4.1.12",
      "resolved": "https://registry.npmjs.org/zod/-/zod-4.1.12.tgz",
      "integrity": "sha512-${b64(86)}==",
      "license": "MIT"
    },
react@^18.2.0:
  version "18.2.0"
  resolved "https://registry.yarnpkg.com/react/-/react-18.2.0.tgz#${sha()}"
  integrity sha1-${b64(27)}=
golang.org/x/crypto v0.21.0 h1:${b64(43)}=
golang.org/x/crypto v0.21.0/go.mod h1:${b64(43)}=
[[package]]
name = "serde"
version = "1.0.197"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "${hex(64)}"
`,
  },
  {
    name: 'base64 fixtures and data URIs in tests',
    text: `const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk${b64(20)}AAAAABJRU5ErkJggg=='
const img = \`data:image/png;base64,\${PNG_1PX}\`
expect(Buffer.from('${b64(64)}', 'base64').length).toBe(48)
const payload = 'eyJmb28iOiJiYXIiLCJuIjoxfQ=='
`,
  },
  {
    name: 'CSS colours and hashes',
    text: `:root { --accent: #ff00aa; --bg: #0d1117; --fg: rgba(230, 237, 243, 0.92); }
.sk-fading-circle .sk-circle12 { transform: rotate(330deg); }
.btn-primary:hover { background-color: #1f6feb; border-color: hsl(212deg 92% 45%); }
`,
  },
  {
    name: 'crypto code with long hex constants',
    text: `const K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1]
const SHA256_IV = '6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19'
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const ADDRESS = '0x${hex(40)}'
const digest = createHash('sha256').update(secretInput).digest('hex') // ${hex(64)}
`,
  },
  {
    name: 'TypeScript that only talks about secrets',
    text: `import { getKey } from './keys.js'

export interface Credentials {
  apiKey?: string
  password: string
  readonly token: string | undefined
  secret: Secret<string>
}

export type Config = { apiKey: string; clientSecret: string | null }

const schema = z.object({ token: z.string().min(1), password: z.string().min(12) })

export async function connect(password: string): Promise<void> {
  let apiKey = getKey()
  apiKey = getKey()
  const token = await login()
  const { accessToken } = await res.json()
  if (!process.env.API_KEY) throw new Error('API_KEY is required')
  const headers = { Authorization: \`Bearer \${token}\`, 'x-api-key': apiKey }
  localStorage.setItem('token', token)
  const opts = { password: password, token: accessToken, apiKey, secret: config.secret }
  await fetch(url, { headers, body: JSON.stringify({ password }) })
}
const passwordInput = <input type="password" name="password" autoComplete="current-password" />
`,
  },
  {
    name: 'Python and Go that only talk about secrets',
    text: `api_key = os.environ["OPENAI_API_KEY"]
password = getpass.getpass()
token: str | None = None
client = OpenAI(api_key=api_key)
resp = session.post(url, data={"password": password}, timeout=10)
secret_key = settings.SECRET_KEY
apiKey := os.Getenv("API_KEY")
if token == "" { return errMissingToken }
password, err := readPassword(os.Stdin)
`,
  },
  {
    name: 'URLs without credentials and e-mail addresses',
    text: `https://github.com/acme/platform/pull/1234#issuecomment-1987654321
postgres://localhost:5432/app
ssh://git@github.com/acme/platform.git
git@github.com:acme/platform.git
http://localhost:5173/@vite/client
https://unpkg.com/react@18.2.0/umd/react.production.min.js
https://example.com/search?q=api+key&page=2
mailto:security@example.com, Jane Doe <jane.doe+alerts@example.co.uk>
`,
  },
  {
    name: '.env with empty values and placeholders',
    text: `API_KEY=
OPENAI_API_KEY=your-api-key-here
ANTHROPIC_API_KEY=<your-anthropic-key>
TOKEN=<token>
SECRET=\${SECRET}
JWT_SECRET=$(openssl rand -hex 32)
PASSWORD=changeme
ADMIN_PASSWORD=********
GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX
STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx
DATABASE_URL=postgres://user:password@localhost:5432/db
REDIS_URL=redis://localhost:6379
SLACK_TOKEN=xoxb-your-token
AWS_SECRET_ACCESS_KEY=YOUR_SECRET_ACCESS_KEY
PASSWORD_MIN_LENGTH=12
TOKEN_TTL=3600
JWT_EXPIRES_IN=7d
GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/gcp.json
`,
  },
  {
    name: 'CI workflow and Kubernetes manifests',
    text: `jobs:
  publish:
    steps:
      - uses: actions/cache@v4
        with:
          key: \${{ runner.os }}-node-\${{ hashFiles('**/package-lock.json') }}
      - run: npm publish
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
---
env:
  - name: DB_PASSWORD
    valueFrom:
      secretKeyRef:
        name: db-credentials
        key: password
volumes:
  - name: tls
    secret:
      secretName: tls-cert
`,
  },
  {
    name: 'tokenizer and model configs',
    text: `{"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
 "model_max_length": 4096, "max_tokens": 1024, "maxTokens": 8192, "tokenizer_class": "LlamaTokenizer"}
`,
  },
  {
    name: 'minified JavaScript',
    text: `!function(e,t){"object"==typeof exports&&"undefined"!=typeof module?module.exports=t():e.auth=t()}(this,function(){"use strict";var e=function(e,t){this.token=t.token,this.apiKey=e.apiKey,this.password=null};return e.prototype.login=function(e,t){var n=this;return fetch(this.url,{method:"POST",headers:{Authorization:"Bearer "+n.token,"Content-Type":"application/json"},body:JSON.stringify({password:t,apiKey:n.apiKey})}).then(function(e){return e.json()})},e});
`,
  },
  {
    name: 'Markdown docs about keys',
    text: `## Configuration

Set \`OPENAI_API_KEY\` in your environment, then run \`npm start\`.

| Variable | Description |
| --- | --- |
| \`API_KEY\` | Your API key from the dashboard |
| \`password\` | Password: use at least 12 characters |

Send \`Authorization: Bearer <token>\` or \`Authorization: Bearer $TOKEN\` with every request.
`,
  },
  {
    name: 'lorem ipsum',
    text: `Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut
labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris
nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit
esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident.
`,
  },
  {
    name: 'docker run with uid:gid and ports',
    text: `docker run --rm -u 1000:1000 -p 8080:80 -v "$PWD":/app -e NODE_ENV=production node:20 npm test
ps -u postgres -o pid,cmd
`,
  },
  {
    name: 'i18n strings',
    text: `{"password": "Password", "forgotPassword": "Forgot your password?",
 "apiKeyLabel": "API key", "token": "Token", "confirmPassword": "Confirm password"}
`,
  },
  {
    name: 'already redacted text',
    text: `OPENAI_API_KEY=[REDACTED:openai-api-key]
postgres://app:[REDACTED:url-password]@db:5432/app
Authorization: Bearer [REDACTED:jwt]
-----BEGIN RSA PRIVATE KEY-----
[REDACTED:private-key]
-----END RSA PRIVATE KEY-----
`,
  },
]
