/**
 * Secrets taken out of every exported line (issue 9 item 3), counted per kind. Each kind is a pattern with a
 * fixed prefix or a named context (a key name, a URL's userinfo, a PEM armour line), never "a long random
 * string": a git SHA, a sha256 or a UUID is ordinary data that a dataset about programming needs, and no
 * pattern here matches bare hex. What a pattern cannot know (a password typed in prose, a key of a provider
 * not listed) stays; docs/datasets.md says so.
 */

/** The marker a secret is replaced with; a later pattern never matches inside it. */
export function redactionMarker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

interface SecretPattern {
  kind: string;
  pattern: RegExp;
  /** The capture group that is the secret (the rest of the match is kept); 0 for the whole match. */
  group: number;
}

/** Order matters: the specific prefixes before the generic key-name rules, so each secret counts once. */
const PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g,
    group: 0,
  },
  { kind: 'anthropic-key', pattern: /\bsk-ant-[A-Za-z0-9]+-[A-Za-z0-9_-]{20,}/g, group: 0 },
  {
    // sk-…, sk-proj-…, sk-svcacct-…, sk-admin-…; a digit is required so a word like sk-learn-… stays.
    kind: 'openai-key',
    pattern: /\bsk-(?!ant-)(?:proj-|svcacct-|admin-)?(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{20,}/g,
    group: 0,
  },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, group: 0 },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, group: 0 },
  {
    kind: 'aws-secret-key',
    pattern: /(aws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 2,
  },
  {
    kind: 'github-token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g,
    group: 0,
  },
  { kind: 'gitlab-token', pattern: /\bgl(?:pat|dt|ptt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}/g, group: 0 },
  { kind: 'slack-token', pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g, group: 0 },
  {
    kind: 'slack-webhook',
    pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g,
    group: 0,
  },
  { kind: 'bearer-token', pattern: /(\bBearer\s+)([A-Za-z0-9._~+/-]{20,}=*)/g, group: 2 },
  {
    // scheme://user:password@host: the user and the host stay, they say what was connected to.
    kind: 'url-password',
    pattern: /(\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:/@"'<>]+:)([^\s@/"'<>]+)(?=@)/g,
    group: 2,
  },
  {
    // .env style: an upper-case NAME=value (or NAME: value) where the name says it holds a secret, at a line's
    // start or after a shell separator (`cd app && export DB_PASSWORD=…`). A reference ($VAR, ${VAR}) is not one.
    kind: 'env-line',
    pattern:
      /((?:^|[\s;&|(])(?:export\s+)?[A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|PASS|PWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|AUTH|CREDENTIALS?)[A-Z0-9_]*\s*[=:]\s*)(["']?)((?![$[])[^\s"'#;&|()]+)\2(?=[\s"'#;&|)]|$)/gm,
    group: 3,
  },
  {
    // In code and config of any case (`password = "…"`, `apiToken: '…'`): only a quoted literal of 8 or more
    // characters, so `token: string` or `const token = nextToken()` stay.
    kind: 'env-line',
    pattern:
      /(\b[A-Za-z0-9_]*(?:secret|token|password|passwd|api_?key|private_?key|access_?key|credentials?)[A-Za-z0-9_]*["']?\s*[=:]\s*)(["'])((?![$[])[^\s"'\\]{8,})\2/gim,
    group: 3,
  },
];

/**
 * Tool-call arguments are JSON text inside the line (openai-*): their strings are redacted as strings, so a
 * line-anchored rule sees `export DB_PASSWORD=…` inside `{"command": "…"}`; the text as a whole is scanned after
 * (a key name beside its value). Rewritten only when something was redacted, so an unchanged call keeps the
 * model's exact text.
 */
function redactJsonText(text: string, counts: RedactionCounts): string | null {
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const found: RedactionCounts = {};
  const redacted = redactValue(parsed, found);
  if (Object.keys(found).length === 0) return text;
  for (const [kind, count] of Object.entries(found)) counts[kind] = (counts[kind] ?? 0) + count;
  return JSON.stringify(redacted);
}

/**
 * What every pattern above needs somewhere in the text (its prefix or its naming word), as one scan: most
 * strings of a dataset have none and skip the patterns, which were most of an export's redaction time. Keep
 * it in step with PATTERNS (redaction.test.ts has a secret of every kind).
 */
const ANY_TRIGGER =
  /sk-|AKIA|ASIA|ABIA|ACCA|AIza|gh[pousr]_|github_pat_|gl(?:pat|dt|ptt|rt|cbt|oas)-|xox|hooks\.slack\.com|bearer|private key|:\/\/|secret|token|pass|pwd|key|auth|credential/i;

/**
 * Whether any secret pattern could match in `text`: false means none can. Also true of a JSON text whose
 * strings none can match: no trigger holds a character JSON escapes, so each trigger in a string is in its
 * JSON as it is (an export screens a whole line with one scan, export-ledger.ts).
 */
export function mayHoldSecret(text: string): boolean {
  return ANY_TRIGGER.test(text);
}

/** A secret's kind → how many were replaced. */
export type RedactionCounts = Record<string, number>;

/**
 * The text with every secret replaced by `[REDACTED:kind]`, counting each in `counts`.
 *
 * @example redactText('key sk-proj-abc123abc123abc123abc123', counts) // 'key [REDACTED:openai-key]'
 */
export function redactText(text: string, counts: RedactionCounts): string {
  if (!mayHoldSecret(text)) return text;
  let result = redactJsonText(text, counts) ?? text;
  for (const { kind, pattern, group } of PATTERNS) {
    pattern.lastIndex = 0;
    if (!pattern.test(result)) continue;
    pattern.lastIndex = 0;
    const marker = redactionMarker(kind);
    result = result.replace(pattern, (match: string, ...groups: unknown[]) => {
      const secret = group === 0 ? match : (groups[group - 1] as string);
      // Already a marker (a JSON string redacted as a value, then the text as a whole): counted once.
      if (secret.startsWith('[REDACTED:')) return match;
      counts[kind] = (counts[kind] ?? 0) + 1;
      if (group === 0) return marker;
      const before = groups.slice(0, group - 1).join('');
      return `${before}${marker}${match.slice(before.length + secret.length)}`;
    });
  }
  return result;
}

/** A JSON value with every string in it redacted (keys are left alone: they are the format's). */
export function redactValue<T>(value: T, counts: RedactionCounts): T {
  if (typeof value === 'string') return redactText(value, counts) as T;
  // A copy only where something changed: the value itself when nothing did (the builders' values are fresh).
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const redacted = redactValue(item, counts);
      changed ||= redacted !== item;
      return redacted;
    });
    return (changed ? items : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const redacted = redactValue(item, counts);
      changed ||= redacted !== item;
      result[key] = redacted;
    }
    return (changed ? result : value) as T;
  }
  return value;
}
