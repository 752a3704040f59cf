/**
 * A secret written anywhere in a conversation never reaches an exported line (issue 9 item 3): the system
 * prompt setting, a person's message, a model's text, a tool call's arguments, a tool's output, the model's
 * first revision of a message the person edited (it is the rejected side of a pair), a regenerated answer
 * off the path and a rejected call. Every training format, every place; the summary counts what it took out.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/core/datasets/conversation-record.ts';
import { TRAINING_FORMATS } from '../../src/core/datasets/dataset-format.ts';
import {
  DEFAULT_MAX_TOKENS,
  exportDataset,
  newExportSummary,
} from '../../src/core/datasets/export-dataset.ts';
import { chainRecord, recordsOf, testExecution, testProposal } from '../../src/core/datasets/test-records.ts';

// Made-up, in each provider's published shape.
const SECRETS = {
  openai: 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z',
  anthropic: 'sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed-CbA',
  google: 'AIzaSyD3x4mPl3K3yTh4tIsN0tR3al123456789',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  github: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  gitlab: 'glpat-x7Yk2Pq9Lm4Nn8Rr3Ss1',
  slack: 'xoxb-123456789012-1234567890123-AbCdEfGhIjKl',
  pem: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  urlPassword: 'hunter2-in-url',
  envPassword: 'correct-horse-battery',
};
const PEM = `-----BEGIN PRIVATE KEY-----\n${SECRETS.pem}\n-----END PRIVATE KEY-----`;
const run = (id: string, command: string) => ({
  id,
  name: 'run_command',
  arguments: JSON.stringify({ command }),
});

function leakyRecord(): ConversationRecord {
  return chainRecord(
    [
      { role: 'user', content: `Deploy with ${SECRETS.openai} and ${SECRETS.anthropic}` },
      {
        role: 'assistant',
        content: `I will use the key ${SECRETS.google}.`,
        toolCalls: [run('call_1', `AWS_ACCESS_KEY_ID=${SECRETS.aws} aws s3 ls`)],
      },
      {
        role: 'tool',
        content: `aws_secret_access_key = ${SECRETS.awsSecret}\n${PEM}\n[exit code 0]`,
        toolCallId: 'call_1',
      },
      {
        role: 'assistant',
        content: 'Pushed.',
        toolCalls: [run('call_2', `cd app && export DB_PASSWORD=${SECRETS.envPassword} && git push`)],
        earlier: [{ content: `Pushed with ${SECRETS.github}`, editor: 'model' }],
      },
      {
        role: 'tool',
        content: `psql postgres://app:${SECRETS.urlPassword}@db/app\n[exit code 0]`,
        toolCallId: 'call_2',
      },
      { role: 'assistant', content: 'Done.' },
      { role: 'assistant', content: `Done with ${SECRETS.slack}`, parentId: 'm5' },
    ],
    {
      leafId: 'm6',
      conversation: { settings: { systemPrompt: `GITLAB_TOKEN=${SECRETS.gitlab}` } },
      proposals: [
        testProposal({
          id: 'p2',
          messageId: 'm4',
          toolCallId: 'call_2',
          command: 'git push',
          status: 'rejected',
          updatedAt: '2026-01-01T00:00:01.000Z',
        }),
      ],
      executions: [
        testExecution({
          id: 'e9',
          commandRun: `echo ${SECRETS.github}`,
          startedAt: '2026-01-01T00:00:02.000Z',
        }),
      ],
    },
  );
}

describe('exports redact secrets', () => {
  for (const format of TRAINING_FORMATS) {
    it(`${format}: no secret of any kind, anywhere in the conversation, reaches a line`, async () => {
      const summary = newExportSummary();
      const options = { includeUnchecked: true, maxTokens: DEFAULT_MAX_TOKENS[format] };
      let text = '';
      for await (const event of exportDataset(format, recordsOf(leakyRecord()), options, summary)) {
        if (event.kind === 'line') text += `${event.text}\n`;
      }
      expect(summary.written).toBeGreaterThan(0);
      for (const [name, secret] of Object.entries(SECRETS)) expect(text, name).not.toContain(secret);
      expect(text).toContain('[REDACTED:');
      expect(Object.values(summary.redactions).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    });
  }
});
