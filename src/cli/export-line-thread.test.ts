import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/support/temp-dir.ts';
import {
  DEFAULT_MAX_TOKENS,
  exportCandidates,
  exportDataset,
  newExportSummary,
} from '../core/datasets/export-dataset.ts';
import { chainRecord, recordsOf } from '../core/datasets/test-records.ts';
import { AppError } from '../core/errors.ts';
import { ExportLineThread } from './export-line-thread.ts';

const options = { includeUnchecked: false, maxTokens: DEFAULT_MAX_TOKENS['openai-sft'] };
const key = 'sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';

/** Enough conversations for many batches: some with a secret, some twice (duplicates), one invalid. */
function records() {
  return recordsOf(
    ...Array.from({ length: 600 }, (_, index) =>
      chainRecord(
        index === 7
          ? [
              { role: 'user', content: 'Run it' },
              {
                role: 'assistant',
                content: '',
                toolCalls: [{ id: 'c', name: 'run_command', arguments: '{' }],
              },
              { role: 'tool', content: 'ok', toolCallId: 'c' },
              { role: 'assistant', content: 'Done.' },
            ]
          : [
              { role: 'user', content: `Task ${index % 500}: ${index % 50 === 0 ? key : 'fix the build'}` },
              { role: 'assistant', content: `Step ${index % 500} ${'done '.repeat(200)}` },
            ],
        { conversation: { id: `c${index}` } },
      ),
    ),
  );
}

describe('ExportLineThread', () => {
  it('writes the same file and summary as the one-thread export', async () => {
    const dir = makeTempDir('mp-line-thread-');
    try {
      const path = join(dir.path, 'out.jsonl');
      const fd = openSync(path, 'w');
      const thread = new ExportLineThread('openai-sft', fd);
      thread.start(options);
      for await (const candidate of exportCandidates('openai-sft', records(), options)) {
        await thread.take(candidate);
      }
      const { summary, bytes } = await thread.finish();
      closeSync(fd);

      const inline = newExportSummary();
      let expected = '';
      for await (const event of exportDataset('openai-sft', records(), options, inline)) {
        if (event.kind === 'line') expected += `${event.text}\n`;
      }
      expect(readFileSync(path, 'utf8')).toBe(expected);
      expect(bytes).toBe(Buffer.byteLength(expected));
      expect(summary).toEqual(inline);
      // 500–599 repeat 0–99, but 7 was invalid, so 507 is written.
      expect(summary.dropped).toMatchObject({ duplicate: 99, invalid: 1 });
      expect(summary.redactions).toEqual({ 'openai-key': 10 });
    } finally {
      dir.remove();
    }
  });

  it('fails the export with what to do when the disk is full', async () => {
    const fd = openSync('/dev/full', 'w');
    const thread = new ExportLineThread('openai-sft', fd);
    thread.start(options);
    try {
      const taking = (async () => {
        for await (const candidate of exportCandidates('openai-sft', records(), options)) {
          await thread.take(candidate);
        }
        return thread.finish();
      })();
      await expect(taking).rejects.toThrow('the disk is full; make room and export again');
    } finally {
      await thread.close();
      closeSync(fd);
    }
  });

  it('says a failure that is not the file’s as a bug, not as something to act on', async () => {
    const dir = makeTempDir('mp-line-thread-');
    const fd = openSync(join(dir.path, 'out.jsonl'), 'w');
    // No start: the worker has no options for the lines.
    const thread = new ExportLineThread('openai-sft', fd);
    try {
      const taking = (async () => {
        for await (const candidate of exportCandidates('openai-sft', records(), options)) {
          await thread.take(candidate);
        }
        return thread.finish();
      })();
      const error = await taking.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(AppError);
      expect((error as Error).message).toBe("the export's line thread failed: a batch came before the start");
    } finally {
      await thread.close();
      closeSync(fd);
      dir.remove();
    }
  });
});
