import { describe, expect, it } from 'vitest';
import { ExportRequestSchema } from '../../../src/core/api/dataset-schemas.ts';
import { emptyExportDraft, exportRequest, toggled } from './export-draft.ts';

describe('the Export dialog’s request', () => {
  it('starts on the open conversation, or on all of them when none is open', () => {
    expect(exportRequest(emptyExportDraft('c1'), 'c1')).toEqual({
      ok: true,
      request: { format: 'openai-sft', filters: { conversationIds: ['c1'] }, includeUnchecked: false },
    });
    expect(exportRequest(emptyExportDraft(null), null)).toEqual({
      ok: true,
      request: { format: 'openai-sft', filters: {}, includeUnchecked: false },
    });
  });

  it('reads comma-separated tags and models, leaving out blanks and repeats', () => {
    const result = exportRequest(
      { ...emptyExportDraft(null), tags: ' fix, ,refactor,fix ', models: 'gpt-5,  qwen3-coder' },
      null,
    );
    expect(result.ok && result.request.filters).toEqual({
      tags: ['fix', 'refactor'],
      models: ['gpt-5', 'qwen3-coder'],
    });
  });

  it('passes ratings, outcomes, the day and the token limit, and the server accepts what it makes', () => {
    const result = exportRequest(
      {
        ...emptyExportDraft('c1'),
        scope: 'all',
        format: 'trl-dpo',
        ratings: ['good'],
        outcomes: ['solved', 'failed'],
        since: '2026-11-30',
        includeUnchecked: true,
        maxTokens: ' 4096 ',
      },
      'c1',
    );
    expect(result).toEqual({
      ok: true,
      request: {
        format: 'trl-dpo',
        filters: { ratings: ['good'], outcomes: ['solved', 'failed'], since: '2026-11-30' },
        includeUnchecked: true,
        maxTokens: 4096,
      },
    });
    expect(result.ok && ExportRequestSchema.safeParse(result.request).success).toBe(true);
  });

  it('says what is wrong with a token limit that is not a whole number above 0', () => {
    for (const maxTokens of ['0', '-5', '1.5', 'many']) {
      expect(exportRequest({ ...emptyExportDraft(null), maxTokens }, null)).toMatchObject({
        ok: false,
        field: 'maxTokens',
      });
    }
  });

  it('refuses "this conversation" when none is open', () => {
    expect(exportRequest({ ...emptyExportDraft(null), scope: 'this' }, null)).toMatchObject({
      ok: false,
      field: 'scope',
    });
  });

  it('toggles a choice on and off', () => {
    expect(toggled(['good'], 'bad', true)).toEqual(['good', 'bad']);
    expect(toggled(['good', 'bad'], 'good', false)).toEqual(['bad']);
    expect(toggled(['good'], 'good', true)).toEqual(['good']);
  });
});
