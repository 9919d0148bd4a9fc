/** Detectors for vendor token formats (GitHub, AWS, Stripe, OpenAI, …). */

import type { SecretKind } from './redact.js'
import {
  type Detector,
  diverseTail,
  hasDigitAndLetter,
  hasUpperAndLower,
  longestAlnumRun,
  P_JWT,
  P_STRUCTURE,
  P_VENDOR,
  WORDY,
} from './secret-heuristics.js'

export type VendorSpec = {
  readonly kind: SecretKind
  readonly re: RegExp
  readonly validate?: (secret: string) => boolean
  readonly priority?: number
}

/** Regex detector; the secret is the named group `s` when the regex has one, else the match. */
export function regexDetector(spec: VendorSpec): Detector {
  const { kind, re, validate } = spec
  return {
    kind,
    priority: spec.priority ?? P_VENDOR,
    find(text, emit) {
      re.lastIndex = 0
      for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const span = m.indices?.groups?.s ?? [m.index, m.index + m[0].length]
        const secret = text.slice(span[0], span[1])
        if (
          secret.length > 0 &&
          diverseTail(secret) &&
          (validate === undefined || validate(secret))
        )
          emit(span[0], span[1])
        if (m[0].length === 0) re.lastIndex++
      }
    },
  }
}

export const VENDORS: readonly VendorSpec[] = [
  {
    kind: 'aws-access-key',
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  {
    kind: 'aws-secret-key',
    re: /(?<![A-Za-z0-9])(?:(?:aws[_-]?)?secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)\\?["']?[ \t]*(?:=>|:=|=|:)[ \t]*\\?["']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
  },
  {
    kind: 'github-token',
    re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,250})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'gitlab-token',
    re: /(?<![A-Za-z0-9_-])(?:gl(?:pat|dt|ptt|rt|cbt|oas|soat|ffct|imt|agent)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'slack-token',
    re: /(?<![A-Za-z0-9_-])(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[0-9A-Za-z-]{10,}(?![A-Za-z0-9_-])/g,
    validate: (s) => /[0-9]/.test(s),
  },
  {
    kind: 'slack-webhook',
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<s>[A-Za-z0-9_/+-]{20,})/dg,
  },
  {
    kind: 'stripe-key',
    re: /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9+/=]{24,})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'anthropic-api-key',
    re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'openrouter-api-key',
    re: /(?<![A-Za-z0-9_-])sk-or-v1-[a-f0-9]{64}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'openai-api-key',
    re: /(?<![A-Za-z0-9_-])sk-(?!ant-|or-v1-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g,
    validate: (s) => hasDigitAndLetter(s.slice(3)) && longestAlnumRun(s) >= 16,
  },
  {
    kind: 'google-api-key',
    re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'google-oauth-secret',
    re: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'google-oauth-token',
    re: /(?<![A-Za-z0-9_.-])(?:ya29\.[A-Za-z0-9_-]{30,}|1\/\/0[A-Za-z0-9_-]{40,})(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'npm-token',
    re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'pypi-token',
    re: /(?<![A-Za-z0-9_-])pypi-Ag[A-Za-z0-9_-]{50,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'huggingface-token',
    re: /(?<![A-Za-z0-9_])(?:hf_|api_org_)[A-Za-z0-9]{30,}(?![A-Za-z0-9_])/g,
    validate: (s) => hasUpperAndLower(s.slice(3)),
  },
  {
    kind: 'twilio-api-key',
    re: /(?<![A-Za-z0-9_])SK[0-9a-f]{32}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'sendgrid-api-key',
    re: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'mailgun-api-key',
    re: /(?<![A-Za-z0-9_-])(?:key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'discord-bot-token',
    re: /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])/g,
    validate: (s) => hasDigitAndLetter(s) && hasUpperAndLower(s),
  },
  {
    kind: 'discord-webhook',
    re: /https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]{5,20}\/(?<s>[A-Za-z0-9_-]{40,})/dg,
  },
  {
    kind: 'telegram-bot-token',
    re: /(?<![0-9])[0-9]{8,10}:AA[A-Za-z0-9_-]{32,33}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'shopify-token',
    re: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'digitalocean-token',
    re: /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'groq-api-key',
    re: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{48,}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'xai-api-key',
    re: /(?<![A-Za-z0-9_-])xai-[A-Za-z0-9]{70,}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'replicate-token',
    re: /(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_])/g,
    validate: (s) => hasDigitAndLetter(s.slice(3)),
  },
  {
    kind: 'vault-token',
    re: /(?<![A-Za-z0-9_.-])hv[sbr]\.[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])/g,
    validate: (s) => hasDigitAndLetter(s.slice(4)),
  },
  {
    kind: 'databricks-token',
    re: /(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?:-[0-9])?(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'supabase-token',
    re: /(?<![A-Za-z0-9_])sb[pa]_[a-f0-9]{40}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'sentry-token',
    re: /(?<![A-Za-z0-9_])sntry[us]_[A-Za-z0-9_=+/-]{40,}(?![A-Za-z0-9_=+/-])/g,
  },
  {
    kind: 'notion-token',
    re: /(?<![A-Za-z0-9_])(?:ntn_[A-Za-z0-9]{40,}|secret_[A-Za-z0-9]{43})(?![A-Za-z0-9_])/g,
    validate: (s) => hasDigitAndLetter(s) && hasUpperAndLower(s.slice(4)),
  },
  {
    kind: 'linear-api-key',
    re: /(?<![A-Za-z0-9_])lin_(?:api|oauth)_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'age-secret-key',
    re: /(?<![A-Za-z0-9-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/g,
  },
  {
    kind: 'opensync-api-key',
    re: /(?<![A-Za-z0-9_-])osk?_[A-Za-z0-9_-]{32,200}(?![A-Za-z0-9_-])/g,
    validate: (s) => {
      const body = s.slice(s.indexOf('_') + 1)
      return /[a-z]/.test(body) && /[A-Z0-9]/.test(body) && !WORDY.test(body)
    },
  },
  {
    kind: 'azure-storage-key',
    re: /(?<![A-Za-z0-9])(?:AccountKey|SharedAccessKey)=(?<s>[A-Za-z0-9+/]{20,}={0,2})/dg,
    priority: P_STRUCTURE,
  },
  {
    kind: 'jwt',
    re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])/g,
    priority: P_JWT,
  },
]
