import { describe, expect, it } from 'vitest';
import { COMPACTION_SUMMARY_TOKENS, compactionRange } from './compaction-range.ts';
import { pathMessage } from './test-messages.ts';

describe('compactionRange', () => {
  const system = pathMessage({ role: 'system', content: 'rules', tokenCount: 50 });
  const old1 = pathMessage({ role: 'user', content: 'a', tokenCount: 800 });
  const skipped = pathMessage({ role: 'assistant', content: 'b', tokenCount: 5000, included: false });
  const old2 = pathMessage({ role: 'assistant', content: 'c', tokenCount: 900 });
  const old3 = pathMessage({ role: 'user', content: 'd', tokenCount: 700 });
  const newest = pathMessage({ role: 'user', content: 'e', tokenCount: 9000 });
  const path = [system, old1, skipped, old2, old3, newest];

  it('takes the fewest oldest checked messages that free enough, past the leading system message', () => {
    const range = compactionRange(path, 600);
    expect(range?.map((message) => message.id)).toEqual([old1.id, old2.id]);
    expect(800 + 900).toBeGreaterThanOrEqual(600 + COMPACTION_SUMMARY_TOKENS);
  });

  it('never takes the newest message, and says when nothing would be enough', () => {
    expect(compactionRange(path, 2000)).toBeNull();
    expect(compactionRange([newest], 1)).toBeNull();
  });
});
