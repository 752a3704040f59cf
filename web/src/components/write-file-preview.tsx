import { useMemo } from 'react';
import { textDiff } from '../lib/text-diff.ts';
import type { DiffLine } from '../lib/unified-diff.ts';
import { useCurrentFile } from '../state/use-current-file.ts';
import { DiffLinesView } from './diff-lines-view.tsx';

/**
 * A proposed `write_file`, before it is applied: the new content as a diff against the file as it is now (all
 * lines added for a new file). Once applied the file is the new content, so the card shows the content
 * itself and the step's Diff button shows what it replaced.
 */
export function WriteFilePreview(props: {
  conversationId: string;
  path: string;
  content: string;
  pending: boolean;
}) {
  const current = useCurrentFile(props.conversationId, props.path, props.pending);
  const lines = useMemo((): DiffLine[] | null => {
    if (!props.pending) return null;
    if (current.state === 'missing') return textDiff('', props.content);
    if (current.state === 'text' && !current.truncated) return textDiff(current.content, props.content);
    return null;
  }, [current, props.content, props.pending]);
  const lineCount = countLines(props.content);

  if (!props.pending) {
    return (
      <details className="file-action__content">
        <summary>
          Content written ({lineCount} {lineCount === 1 ? 'line' : 'lines'})
        </summary>
        <pre className="file-action__text">{props.content}</pre>
      </details>
    );
  }
  if (current.state === 'loading') return <p className="muted">Reading the file as it is now…</p>;
  if (lines !== null) {
    return (
      <>
        <p className="file-action__note">
          {current.state === 'missing'
            ? `A new file, ${lineCount} ${lineCount === 1 ? 'line' : 'lines'}:`
            : lines.length === 0
              ? 'The file already has exactly this content.'
              : 'Replaces the whole file; what changes:'}
        </p>
        {lines.length === 0 ? null : <DiffLinesView lines={lines} label={`Changes to ${props.path}`} />}
      </>
    );
  }
  const why =
    current.state === 'binary'
      ? 'it replaces a binary file'
      : current.state === 'unknown'
        ? current.reason
        : 'the file is too large to compare';
  return (
    <>
      <p className="file-action__note">No diff ({why}); the new content whole:</p>
      <pre className="file-action__text">{props.content}</pre>
    </>
  );
}

/** Lines as an editor counts them: a final newline ends the last line, it does not start another. */
function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}
