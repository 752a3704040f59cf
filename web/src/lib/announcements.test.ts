import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../src/core/api/events.ts';
import { announcementFor } from './announcements.ts';

const ended = (status: string, error: string | null = null): LiveEvent => ({
  type: 'model-call-ended',
  conversationId: 'c1',
  modelCallId: 'call',
  messageId: 'message',
  status,
  error,
});

const command = (
  status: 'completed' | 'failed' | 'timed-out' | 'cancelled',
  exitCode: number | null,
): LiveEvent => ({
  type: 'command-ended',
  conversationId: 'c1',
  execution: {
    id: 'e',
    conversationId: 'c1',
    proposalId: null,
    commandProposed: null,
    commandRun: 'make',
    status,
    exitCode,
    output: '',
    outputTruncated: false,
    durationMs: status === 'cancelled' ? null : 3140,
    sandbox: 'bwrap',
    cwd: null,
    resultMessageId: null,
    startedAt: '2026-12-02T00:00:00.000Z',
    endedAt: '2026-12-02T00:00:03.140Z',
    limitHit: null,
    approvedBy: 'human',
    accountId: null,
    actionRun: null,
  },
});

describe('announcementFor', () => {
  it('says how a model turn ended', () => {
    expect(announcementFor(ended('complete'), 'c1')).toBe('Model turn finished.');
    expect(announcementFor(ended('stopped'), 'c1')).toBe('Model turn stopped.');
    expect(announcementFor(ended('error', 'rate limited'), 'c1')).toBe('Model turn failed: rate limited');
  });

  it('says how a command ended, with its exit code and time', () => {
    expect(announcementFor(command('completed', 0), 'c1')).toBe('Command finished after 3.1 s, exit code 0.');
    expect(announcementFor(command('failed', 2), 'c1')).toBe('Command failed after 3.1 s, exit code 2.');
    expect(announcementFor(command('timed-out', null), 'c1')).toBe('Command timed out after 3.1 s.');
    expect(announcementFor(command('cancelled', null), 'c1')).toBe('Command cancelled before it ran.');
  });

  it('says when automatic compaction summarised messages', () => {
    const compacted = {
      type: 'context-compacted' as const,
      conversationId: 'c1',
      summaryMessageId: 's',
      messageIds: ['a', 'b'],
      message: 'The conversation did not fit; its 2 oldest messages were summarised.',
    };
    expect(announcementFor(compacted, 'c1')).toBe(compacted.message);
    expect(announcementFor(compacted, 'c2')).toBeNull();
  });

  it('stays quiet about other conversations and other events', () => {
    expect(announcementFor(ended('complete'), 'c2')).toBeNull();
    expect(announcementFor(ended('complete'), null)).toBeNull();
    expect(announcementFor({ type: 'conversation-updated', conversationId: 'c1' }, 'c1')).toBeNull();
  });
});
