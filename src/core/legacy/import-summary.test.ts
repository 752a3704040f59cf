import { describe, expect, it } from 'vitest';
import { type LegacyImportCounts, legacyImportSummary } from './import-summary.ts';

const none: LegacyImportCounts = {
  conversations: 0,
  messages: 0,
  revisions: 0,
  modelCalls: 0,
  unlinkedModelCalls: 0,
  skippedConversations: 0,
};

describe('legacyImportSummary', () => {
  it('counts what was added, in one line', () => {
    expect(
      legacyImportSummary(
        { ...none, conversations: 2, messages: 53, revisions: 19, modelCalls: 19 },
        'demo.db',
        2,
      ),
    ).toBe('Imported 2 conversations, 53 messages (19 edits as revisions), 19 model calls from demo.db');
  });

  it('speaks in the singular for one, and says when a response matched no message', () => {
    expect(
      legacyImportSummary(
        { ...none, conversations: 1, messages: 1, revisions: 1, modelCalls: 1, unlinkedModelCalls: 1 },
        'a.db',
        1,
      ),
    ).toBe(
      'Imported 1 conversation, 1 message (1 edit as revisions), 1 model call (1 not linked to a message) from a.db',
    );
  });

  it('says plainly when there was nothing new, or nothing at all', () => {
    expect(legacyImportSummary(none, 'demo.db', 2)).toBe(
      'Nothing new to import from demo.db (already imported)',
    );
    expect(legacyImportSummary(none, 'empty.db', 0)).toBe(
      'Nothing to import from empty.db (it holds no conversations)',
    );
  });

  it('mentions conversations left deleted', () => {
    expect(legacyImportSummary({ ...none, messages: 2, skippedConversations: 1 }, 'a.db', 2)).toBe(
      'Imported 0 conversations, 2 messages (0 edits as revisions), 0 model calls from a.db; skipped 1 conversation deleted since an earlier import',
    );
  });
});
