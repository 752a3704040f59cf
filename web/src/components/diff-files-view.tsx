import { useMemo } from 'react';
import type { FileChangeDto } from '../../../src/core/api/workspace-schemas.ts';
import { parseUnifiedDiff } from '../lib/unified-diff.ts';
import { DiffLinesView } from './diff-lines-view.tsx';

const STATUS_WORDS: Partial<Record<string, string>> = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  renamed: 'renamed',
  'type-changed': 'type changed',
};

/**
 * A git diff file by file (a step's diff, or the changes since the first checkpoint): each file's name, what
 * happened to it and its counts, then its lines. The file list comes from the server whole; the diff text may
 * have been cut, so a file listed without lines says so.
 */
export function DiffFilesView(props: { files: readonly FileChangeDto[]; diff: string; truncated: boolean }) {
  const parsed = useMemo(() => parseUnifiedDiff(props.diff), [props.diff]);
  if (props.files.length === 0) return <p className="muted">No file changed.</p>;
  return (
    <div className="diff-files">
      {props.truncated ? (
        <p className="diff-files__cut">
          The diff is too long to send whole: the files past the cut are listed without their lines.
        </p>
      ) : null}
      {props.files.map((file) => {
        const lines = parsed.find((candidate) => candidate.path === file.path)?.lines ?? [];
        const oldPath = (file as { oldPath?: string }).oldPath;
        return (
          <details key={file.path} className="diff-file" open>
            <summary className="diff-file__header">
              <code className="diff-file__path">
                <bdi>{file.path}</bdi>
              </code>{' '}
              <span className={`diff-file__status diff-file__status--${file.status}`}>
                {STATUS_WORDS[file.status] ?? file.status}
                {oldPath === undefined ? null : (
                  <>
                    {' '}
                    from <bdi>{oldPath}</bdi>
                  </>
                )}
              </span>{' '}
              {file.binary ? (
                <span className="muted">binary</span>
              ) : (
                <span className="diff-file__counts">
                  <span className="diff-file__insertions">+{file.insertions}</span>{' '}
                  <span className="diff-file__deletions">−{file.deletions}</span>
                </span>
              )}
            </summary>
            {file.binary ? (
              <p className="muted">A binary file: its bytes are not shown.</p>
            ) : lines.length === 0 ? (
              <p className="muted">
                {props.truncated
                  ? 'Past the cut: its lines are not shown.'
                  : 'No line changed (its mode did).'}
              </p>
            ) : (
              <DiffLinesView lines={lines} label={`Changes to ${file.path}`} />
            )}
          </details>
        );
      })}
    </div>
  );
}
