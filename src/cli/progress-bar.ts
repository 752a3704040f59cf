import { Presets, SingleBar } from 'cli-progress';

export interface ProgressBar {
  /** Shows `done` of `total`; a new `stage` (the table being copied, …) starts the bar again. */
  update(done: number, total: number, stage?: string): void;
  stop(): void;
}

/**
 * A bar on stderr for a person watching; nothing when stderr is a pipe or a file, so logs stay clean.
 * `format` is cli-progress's, with `{stage}` for the stage.
 *
 * @example
 * const bar = progressBar('Importing {bar} {value}/{total} messages');
 */
export function progressBar(format: string): ProgressBar {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    { stream: process.stderr, format, clearOnComplete: true, hideCursor: true },
    Presets.shades_classic,
  );
  let shown: { stage: string | undefined } | undefined;
  return {
    update(done, total, stage) {
      if (shown !== undefined && shown.stage === stage) {
        bar.update(done, { stage });
        return;
      }
      if (shown !== undefined) bar.stop();
      shown = { stage };
      bar.start(total, done, { stage });
    },
    stop() {
      if (shown !== undefined) bar.stop();
      shown = undefined;
    },
  };
}
