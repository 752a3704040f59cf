import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react';
import {
  type DraftField,
  type DraftProblem,
  type EditBlockDraft,
  TOOL_CALL_ACTIONS,
  type ToolCallDraft,
} from '../lib/written-tool-calls.ts';
import { AutoSizeTextarea } from './auto-size-textarea.tsx';

/**
 * The small form for one tool call a person writes as the assistant (issue 8 item 2): a command, an edit's
 * blocks, a file's content, or a range to read. It sits inside the composer's <form>, so it is a group, not a
 * form of its own: Enter in a one-line field and Ctrl+Enter anywhere add the call (instead of sending the
 * message), Esc closes it.
 */
export function ToolCallForm(props: {
  draft: ToolCallDraft;
  /** Shown once the person has tried to add it, and kept current as they fix them. */
  problems: readonly DraftProblem[];
  /** Counts the refused adds: each one puts the cursor on the first field to fix. */
  refusals: number;
  /** Changing a call already in the message rather than adding one. */
  changing: boolean;
  onChange: (draft: ToolCallDraft) => void;
  onAdd: () => void;
  onCancel: () => void;
}) {
  const ids = useId();
  const group = useRef<HTMLDivElement | null>(null);
  const { draft, problems } = props;
  const problemOf = (field: DraftField) => problems.find((problem) => problem.field === field)?.message;

  // Opening puts the cursor in the first field; a refused add puts it on the first field to fix.
  useEffect(() => {
    group.current?.querySelector<HTMLElement>('input, textarea')?.focus();
  }, []);
  useEffect(() => {
    if (props.refusals === 0) return;
    group.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [props.refusals]);

  const onKeyDown = (event: KeyboardEvent) => {
    const oneLine = event.target instanceof HTMLInputElement;
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey || oneLine)) {
      // preventDefault also keeps the page's shortcuts and the composer's own submit out of it.
      event.preventDefault();
      props.onAdd();
    }
  };

  /** A labelled field with its problem, if any, said beside it and tied to it. */
  const field = (options: {
    name: DraftField;
    label: ReactNode;
    /** How much of the row it takes: a path a whole one, a number little, a text half or more. */
    size: 'path' | 'number' | 'text';
    render: (attributes: FieldAttributes) => ReactNode;
  }) => {
    const id = `${ids}-${options.name}`;
    const problem = problemOf(options.name);
    return (
      <div className={`tool-call-form__field tool-call-form__field--${options.size}`}>
        <label htmlFor={id}>{options.label}</label>
        {options.render({
          id,
          'aria-invalid': problem !== undefined,
          ...(problem === undefined ? {} : { 'aria-describedby': `${id}-problem` }),
        })}
        {problem === undefined ? null : (
          <p id={`${id}-problem`} className="tool-call-form__problem">
            {problem}
          </p>
        )}
      </div>
    );
  };
  const line = (name: DraftField, label: ReactNode, value: string, set: (value: string) => void) =>
    field({
      name,
      label,
      size: name === 'path' ? 'path' : 'number',
      render: (attributes) => (
        <input
          {...attributes}
          className="tool-call-form__input"
          value={value}
          spellCheck={false}
          autoComplete="off"
          {...(name === 'path' ? {} : { inputMode: 'numeric' as const })}
          onChange={(event) => set(event.target.value)}
        />
      ),
    });
  const text = (name: DraftField, label: ReactNode, value: string, set: (value: string) => void) =>
    field({
      name,
      label,
      size: 'text',
      render: (attributes) => (
        <AutoSizeTextarea
          {...attributes}
          className="tool-call-form__input tool-call-form__text"
          value={value}
          rows={name === 'command' ? 1 : 2}
          maxRows={8}
          spellCheck={false}
          onChange={(event) => set(event.target.value)}
        />
      ),
    });

  const path =
    'path' in draft
      ? line('path', 'Path', draft.path, (value) => props.onChange({ ...draft, path: value }))
      : null;

  return (
    // biome-ignore lint/a11y/useSemanticElements: inside the composer's <form>; a <fieldset> cannot grid its legend.
    <div
      role="group"
      ref={group}
      className="tool-call-form"
      aria-label={TOOL_CALL_ACTIONS[draft.kind]}
      onKeyDown={onKeyDown}
    >
      <p className="tool-call-form__title" aria-hidden="true">
        {TOOL_CALL_ACTIONS[draft.kind]}
      </p>
      {draft.kind === 'command' ? (
        <>
          {text('command', 'Command', draft.command, (value) => props.onChange({ ...draft, command: value }))}
          {line(
            'timeoutSeconds',
            <>
              Timeout <span className="muted">(seconds, optional)</span>
            </>,
            draft.timeoutSeconds,
            (value) => props.onChange({ ...draft, timeoutSeconds: value }),
          )}
        </>
      ) : draft.kind === 'edit' ? (
        <>
          {path}
          {draft.blocks.map((block, index) => (
            <EditBlockFields
              // Blocks are only added at the end or removed; the index is what names them.
              // biome-ignore lint/suspicious/noArrayIndexKey: a block has no identity beyond its place.
              key={index}
              index={index}
              count={draft.blocks.length}
              field={(name, label, value, set) => text(name, label, value, set)}
              block={block}
              onChange={(changed) =>
                props.onChange({
                  ...draft,
                  blocks: draft.blocks.map((known, at) => (at === index ? changed : known)),
                })
              }
              onRemove={() =>
                props.onChange({ ...draft, blocks: draft.blocks.filter((_, at) => at !== index) })
              }
            />
          ))}
          <p className="tool-call-form__more">
            <button
              type="button"
              className="link-button"
              onClick={() =>
                props.onChange({ ...draft, blocks: [...draft.blocks, { oldText: '', newText: '' }] })
              }
            >
              Add a block
            </button>
          </p>
        </>
      ) : draft.kind === 'write' ? (
        <>
          {path}
          {text('content', 'Content', draft.content, (value) => props.onChange({ ...draft, content: value }))}
        </>
      ) : (
        <>
          {path}
          {line(
            'startLine',
            <>
              First line <span className="muted">(optional)</span>
            </>,
            draft.startLine,
            (value) => props.onChange({ ...draft, startLine: value }),
          )}
          {line(
            'endLine',
            <>
              Last line <span className="muted">(optional)</span>
            </>,
            draft.endLine,
            (value) => props.onChange({ ...draft, endLine: value }),
          )}
        </>
      )}
      <div className="tool-call-form__buttons">
        <button
          type="button"
          className="button button--small button--primary"
          title="Enter in a one-line field, or Ctrl+Enter, does the same"
          onClick={props.onAdd}
        >
          {props.changing ? 'Update the tool call' : 'Add to the message'}
        </button>
        <button type="button" className="button button--small" title="Esc" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

interface FieldAttributes {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

function EditBlockFields(props: {
  index: number;
  count: number;
  block: EditBlockDraft;
  field: (name: DraftField, label: ReactNode, value: string, set: (value: string) => void) => ReactNode;
  onChange: (block: EditBlockDraft) => void;
  onRemove: () => void;
}) {
  const { index, block } = props;
  const number = index + 1;
  const which = <span className="visually-hidden"> (block {number})</span>;
  return (
    <>
      {props.field(`blocks.${index}.oldText`, <>Old text{which}</>, block.oldText, (value) =>
        props.onChange({ ...block, oldText: value }),
      )}
      {props.field(`blocks.${index}.newText`, <>New text{which}</>, block.newText, (value) =>
        props.onChange({ ...block, newText: value }),
      )}
      {props.count > 1 ? (
        <p className="tool-call-form__more">
          <button type="button" className="link-button" onClick={props.onRemove}>
            Remove block {number}
          </button>
        </p>
      ) : null}
    </>
  );
}
