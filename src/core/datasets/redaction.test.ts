import { describe, expect, it } from 'vitest';
import { type RedactionCounts, redactText, redactValue } from './redaction.ts';

// Made-up secrets in each provider's published shape (none is a real credential).
const SECRETS: Record<string, { text: string; secret: string }> = {
  'openai-key': {
    text: 'OPENAI=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_Z7',
    secret: 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z_Z7',
  },
  'anthropic-key': {
    text: 'key: sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed-CbA_zyx987',
    secret: 'sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed-CbA_zyx987',
  },
  'google-api-key': {
    text: 'url?key=AIzaSyD3x4mPl3K3yTh4tIsN0tR3al123456789',
    secret: 'AIzaSyD3x4mPl3K3yTh4tIsN0tR3al123456789',
  },
  'aws-access-key': { text: 'aws_access_key_id AKIAIOSFODNN7EXAMPLE', secret: 'AKIAIOSFODNN7EXAMPLE' },
  'aws-secret-key': {
    text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  'github-token': {
    text: 'git clone with ghp_16C7e42F292c6912E7710c838347Ae178B4a ok',
    secret: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  },
  'gitlab-token': { text: 'PRIVATE-TOKEN: glpat-x7Yk2Pq9Lm4Nn8Rr3Ss1', secret: 'glpat-x7Yk2Pq9Lm4Nn8Rr3Ss1' },
  'slack-token': {
    text: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKl',
    secret: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKl',
  },
  'private-key': {
    text: 'id_rsa:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\nend',
    secret: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=',
  },
  'url-password': { text: 'psql postgres://app:hunter2secret@db.internal:5432/app', secret: 'hunter2secret' },
  'env-line': { text: 'DATABASE_PASSWORD=correct-horse-battery\nPORT=8080', secret: 'correct-horse-battery' },
  'bearer-token': {
    text: 'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abcdefghij"',
    secret: 'eyJhbGciOiJIUzI1NiJ9.e30.abcdefghij',
  },
};

describe('redactText', () => {
  for (const [kind, { text, secret }] of Object.entries(SECRETS)) {
    it(`redacts ${kind} and counts it once`, () => {
      const counts: RedactionCounts = {};
      const result = redactText(text, counts);
      expect(result).not.toContain(secret);
      expect(result).toContain(`[REDACTED:${kind}]`);
      expect(counts).toEqual({ [kind]: 1 });
    });
  }

  it('keeps what says where a secret was: the user and host of a URL, the name of a variable', () => {
    const counts: RedactionCounts = {};
    expect(redactText('postgres://app:hunter2secret@db:5432/x', counts)).toBe(
      'postgres://app:[REDACTED:url-password]@db:5432/x',
    );
    expect(redactText('export API_TOKEN="abc123def456"', counts)).toBe(
      'export API_TOKEN="[REDACTED:env-line]"',
    );
  });

  it('counts a key in a .env line once, by its own kind', () => {
    const counts: RedactionCounts = {};
    const result = redactText('OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', counts);
    expect(result).toBe('OPENAI_API_KEY=[REDACTED:openai-key]');
    expect(counts).toEqual({ 'openai-key': 1 });
  });

  it('finds .env lines after a shell separator, without a prefix, and quoted secrets in code', () => {
    const cases: [string, string][] = [
      ['PASSWORD=hunter2', 'PASSWORD=[REDACTED:env-line]'],
      [
        'cd app && export DB_PASSWORD=hunter2 && npm start',
        'cd app && export DB_PASSWORD=[REDACTED:env-line] && npm start',
      ],
      ['  API_KEY: abc123xyz', '  API_KEY: [REDACTED:env-line]'],
      ['const password = "s3cr3t-value";', 'const password = "[REDACTED:env-line]";'],
      ['{"apiToken": "tok-12345678"}', '{"apiToken": "[REDACTED:env-line]"}'],
    ];
    for (const [text, expected] of cases) {
      const counts: RedactionCounts = {};
      expect(redactText(text, counts)).toBe(expected);
      expect(counts).toEqual({ 'env-line': 1 });
    }
  });

  it('redacts inside tool-call arguments (JSON text), keeping an unchanged call byte for byte', () => {
    const counts: RedactionCounts = {};
    const call = '{"command": "export DB_PASSWORD=hunter2\\nnpm start"}';
    expect(JSON.parse(redactText(call, counts))).toEqual({
      command: 'export DB_PASSWORD=[REDACTED:env-line]\nnpm start',
    });
    expect(counts).toEqual({ 'env-line': 1 });
    const plain = '{"command": "ls -la"}';
    expect(redactText(plain, {})).toBe(plain);
  });

  it('does not eat git SHAs, sha256 digests, UUIDs, or ordinary code', () => {
    const ordinary = [
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'id 123e4567-e89b-12d3-a456-426614174000',
      'const tokenCount = countTokens(text);',
      'password = getenv("DB_PASSWORD")',
      'token: string;',
      'const token = nextToken();',
      'tokenType = "bearer"',
      'if (!process.env.API_TOKEN) throw new Error("API_TOKEN is missing")',
      'DB_PASSWORD=$DB_PASSWORD',
      'https://example.com/path@v1',
      'pip install scikit-learn; sk-learn-is-a-nickname-for-it',
      'task-abcdefghijklmnopqrstuvwxyz0123',
    ];
    for (const text of ordinary) {
      const counts: RedactionCounts = {};
      const result = redactText(text, counts);
      expect({ text: result, counts }).toEqual({ text, counts: {} });
    }
  });

  it('redacts every string in a line value, leaving its keys and other values', () => {
    const counts: RedactionCounts = {};
    const value = {
      messages: [{ role: 'user', content: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' }],
      weight: 0,
      nothing: null,
    };
    expect(redactValue(value, counts)).toEqual({
      messages: [{ role: 'user', content: '[REDACTED:github-token]' }],
      weight: 0,
      nothing: null,
    });
    expect(counts).toEqual({ 'github-token': 1 });
  });
});
