import type { DiffLine } from '../lib/unified-diff.ts';

const MARKS: Record<DiffLine['kind'], string> = {
  added: '+',
  removed: '-',
  context: ' ',
  hunk: '',
  note: '',
};

/**
 * Lines of a diff, added and removed ones coloured and marked `+`/`-` (the colour is never the only sign),
 * with each side's line numbers when `numbered`.
 */
export function DiffLinesView(props: { lines: readonly DiffLine[]; numbered?: boolean; label: string }) {
  const numbered = props.numbered ?? true;
  return (
    // A group (not a landmark: a page may show many diffs) the keyboard can reach, as a wide diff scrolls sideways.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the keyboard must be able to scroll it.
    // biome-ignore lint/a11y/useSemanticElements: a <fieldset> is a form's set of fields.
    <pre className="diff-lines" role="group" aria-label={props.label} tabIndex={0}>
      <code className="diff-lines__code">
        {props.lines.map((line, index) => (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: a diff's lines have no identity but their place.
            key={index}
            className={`diff-line diff-line--${line.kind}`}
          >
            {numbered && line.kind !== 'hunk' && line.kind !== 'note' ? (
              <>
                <span className="diff-line__number" aria-hidden="true">
                  {line.oldNumber ?? ''}
                </span>
                <span className="diff-line__number" aria-hidden="true">
                  {line.newNumber ?? ''}
                </span>
              </>
            ) : null}
            <span className="diff-line__mark">{MARKS[line.kind]}</span>
            {line.kind === 'added' ? (
              <ins>{line.text}</ins>
            ) : line.kind === 'removed' ? (
              <del>{line.text}</del>
            ) : (
              line.text
            )}
            {'\n'}
          </span>
        ))}
      </code>
    </pre>
  );
}
