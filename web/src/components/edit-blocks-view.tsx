import { useId, useMemo } from 'react';
import type { FileAction } from '../api/terminal-api.ts';
import { textDiff } from '../lib/text-diff.ts';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';
import { DiffLinesView } from './diff-lines-view.tsx';

type EditBlock = Extract<FileAction, { tool: 'edit_file' }>['edits'][number];

/**
 * An `edit_file`'s blocks, each as old → new lines. While it waits for the person, each block's new text can
 * be changed before applying (the old text is what must match the file, so it stays as proposed).
 */
export function EditBlocksView(props: {
  path: string;
  edits: readonly EditBlock[];
  /** The person's new texts, one per block; absent when the card no longer takes changes. */
  newTexts?: readonly string[];
  onNewTextChange?: (index: number, text: string) => void;
}) {
  return (
    <ol className="edit-blocks">
      {props.edits.map((edit, index) => (
        <EditBlockView
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks are applied in their order and never move.
          key={index}
          path={props.path}
          number={index + 1}
          count={props.edits.length}
          oldText={edit.oldText}
          newText={props.newTexts?.[index] ?? edit.newText}
          proposedNewText={edit.newText}
          onChange={
            props.onNewTextChange === undefined ? undefined : (text) => props.onNewTextChange?.(index, text)
          }
        />
      ))}
    </ol>
  );
}

function EditBlockView(props: {
  path: string;
  number: number;
  count: number;
  oldText: string;
  newText: string;
  proposedNewText: string;
  onChange: ((text: string) => void) | undefined;
}) {
  const id = useId();
  const lines = useMemo(
    () =>
      (textDiff(props.oldText, props.newText, Number.MAX_SAFE_INTEGER) ?? []).filter(
        (line) => line.kind !== 'hunk' && line.kind !== 'note',
      ),
    [props.oldText, props.newText],
  );
  const name = props.count === 1 ? props.path : `${props.path}, block ${props.number}`;
  return (
    <li className="edit-block">
      <DiffLinesView lines={lines} numbered={false} label={`Edit of ${name}`} />
      {props.onChange === undefined ? null : (
        <details className="edit-block__change" open={props.newText !== props.proposedNewText}>
          <summary>Change the new text{props.count === 1 ? '' : ` of block ${props.number}`}</summary>
          <label htmlFor={id} className="visually-hidden">
            New text of block {props.number}
          </label>
          <AutoSizeTextarea
            id={id}
            className="edit-block__text"
            value={props.newText}
            maxRows={16}
            rows={Math.min(props.newText.split('\n').length, 16)}
            spellCheck={false}
            onChange={(event) => props.onChange?.(event.target.value)}
          />
        </details>
      )}
    </li>
  );
}
