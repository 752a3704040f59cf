import { describe, expect, it } from 'vitest';
import { ExportRequestSchema } from '../../../src/core/api/dataset-schemas.ts';
import { type ExportContext, emptyExportDraft, exportRequest, toggled } from './export-draft.ts';

const nowhere: ExportContext = { currentConversationId: null, shownConversationIds: null };
const inC1: ExportContext = { currentConversationId: 'c1', shownConversationIds: null };

describe('the Export dialog’s request', () => {
  it('starts on the open conversation, or on all of them when none is open', () => {
    expect(exportRequest(emptyExportDraft(inC1), inC1)).toEqual({
      ok: true,
      request: { format: 'openai-sft', filters: { conversationIds: ['c1'] }, includeUnchecked: false },
    });
    expect(exportRequest(emptyExportDraft(nowhere), nowhere)).toEqual({
      ok: true,
      request: { format: 'openai-sft', filters: {}, includeUnchecked: false },
    });
  });

  it('reads comma-separated tags and models, leaving out blanks and repeats', () => {
    const result = exportRequest(
      { ...emptyExportDraft(nowhere), tags: ' fix, ,refactor,fix ', models: 'gpt-5,  qwen3-coder' },
      nowhere,
    );
    expect(result.ok && result.request.filters).toEqual({
      tags: ['fix', 'refactor'],
      models: ['gpt-5', 'qwen3-coder'],
    });
  });

  it('passes ratings, outcomes, the day and the token limit, and the server accepts what it makes', () => {
    const result = exportRequest(
      {
        ...emptyExportDraft(inC1),
        scope: 'all',
        format: 'trl-dpo',
        ratings: ['good'],
        outcomes: ['solved', 'failed'],
        since: '2026-11-30',
        includeUnchecked: true,
        maxTokens: ' 4096 ',
      },
      inC1,
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
      expect(exportRequest({ ...emptyExportDraft(nowhere), maxTokens }, nowhere)).toMatchObject({
        ok: false,
        field: 'maxTokens',
      });
    }
  });

  it('refuses "this conversation" when none is open', () => {
    expect(exportRequest({ ...emptyExportDraft(nowhere), scope: 'this' }, nowhere)).toMatchObject({
      ok: false,
      field: 'scope',
    });
  });

  it('starts on what the sidebar’s filters show, and never sends their empty list (which would mean all)', () => {
    const shown: ExportContext = { currentConversationId: 'c1', shownConversationIds: ['c2', 'c3'] };
    expect(exportRequest(emptyExportDraft(shown), shown)).toMatchObject({
      ok: true,
      request: { filters: { conversationIds: ['c2', 'c3'] } },
    });
    const none: ExportContext = { currentConversationId: null, shownConversationIds: [] };
    expect(emptyExportDraft(none).scope).toBe('shown');
    expect(exportRequest(emptyExportDraft(none), none)).toMatchObject({ ok: false, field: 'scope' });
  });

  it('toggles a choice on and off', () => {
    expect(toggled(['good'], 'bad', true)).toEqual(['good', 'bad']);
    expect(toggled(['good', 'bad'], 'good', false)).toEqual(['bad']);
    expect(toggled(['good'], 'good', true)).toEqual(['good']);
  });
});
