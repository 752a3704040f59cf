import { useEffect, useRef, useState } from 'react';
import {
  buildToolCall,
  describeToolCall,
  draftOf,
  emptyDraft,
  TOOL_CALL_ACTIONS,
  TOOL_CALL_KINDS,
  type ToolCallDraft,
  type ToolCallKind,
  type WrittenToolCall,
} from '../lib/written-tool-calls.ts';
import { ToolCallForm } from './tool-call-form.tsx';

interface OpenForm {
  draft: ToolCallDraft;
  /** The place of the call being changed; `null` for a new one. */
  index: number | null;
  refusals: number;
}

/**
 * The tool calls of the assistant message a person is writing (issue 8 item 2): each one a chip that can be
 * opened again or removed, and a button per tool that opens its small form. One form at a time, in place of
 * the buttons, so the keyboard never has two half-written calls to juggle. Sending is the composer's job.
 */
export function ToolCallComposer(props: {
  calls: readonly WrittenToolCall[];
  onCallsChange: (calls: WrittenToolCall[]) => void;
  /** Whether a form is open: the composer waits for it before it sends. */
  onOpenChange: (open: boolean) => void;
}) {
  const [open, setOpen] = useState<OpenForm | null>(null);
  const openers = useRef(new Map<ToolCallKind, HTMLButtonElement>());
  const list = useRef<HTMLUListElement | null>(null);
  // Where the focus goes once the next render is on screen (the element it needs may only exist then).
  const focusNext = useRef<(() => void) | null>(null);
  useEffect(() => {
    focusNext.current?.();
    focusNext.current = null;
  });

  const show = (form: OpenForm | null) => {
    setOpen(form);
    props.onOpenChange(form !== null);
  };
  const focusChip = (index: number) => {
    const chips = list.current?.querySelectorAll<HTMLButtonElement>('.tool-call-chip__open') ?? [];
    const chip = chips[Math.min(index, chips.length - 1)];
    if (chip !== undefined) chip.focus();
    else openers.current.get('command')?.focus();
  };
  const close = (form: OpenForm, addedAt: number | null) => {
    show(null);
    // Back where the person came from: the chip they changed, else the button that opened the form.
    const chipIndex = form.index ?? addedAt;
    focusNext.current =
      form.index !== null && chipIndex !== null
        ? () => focusChip(chipIndex)
        : () => openers.current.get(form.draft.kind)?.focus();
  };
  const add = (form: OpenForm) => {
    const built = buildToolCall(form.draft);
    if (!built.ok) {
      setOpen({ ...form, refusals: form.refusals + 1 });
      return;
    }
    const calls =
      form.index === null
        ? [...props.calls, built.call]
        : props.calls.map((call, index) => (index === form.index ? built.call : call));
    props.onCallsChange(calls);
    close(form, form.index ?? calls.length - 1);
  };
  const remove = (index: number) => {
    props.onCallsChange(props.calls.filter((_, at) => at !== index));
    focusNext.current = () => focusChip(index);
  };

  const built = open === null || open.refusals === 0 ? null : buildToolCall(open.draft);

  return (
    <div className="composer__calls tool-call-composer">
      {props.calls.length > 0 ? (
        <ul ref={list} className="tool-call-chips" aria-label="Tool calls of this message">
          {props.calls.map((call, index) => {
            const what = `${call.name} ${describeToolCall(call)}`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: calls are plain values; their place is their name.
              <li key={index} className="tool-call-chip">
                <button
                  type="button"
                  className="tool-call-chip__open"
                  aria-label={`Change tool call ${index + 1}: ${what}`}
                  title="Change it"
                  disabled={open !== null}
                  onClick={() => show({ draft: draftOf(call), index, refusals: 0 })}
                >
                  <span className="tool-call-chip__name">{call.name}</span>{' '}
                  <code className="tool-call-chip__summary">
                    <bdi>{describeToolCall(call)}</bdi>
                  </code>
                </button>
                <button
                  type="button"
                  className="tool-call-chip__remove"
                  aria-label={`Remove tool call ${index + 1}: ${what}`}
                  title="Remove it"
                  onClick={() => remove(index)}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {open === null ? (
        // biome-ignore lint/a11y/useSemanticElements: a row of buttons, not a form's set of fields.
        <div className="tool-call-composer__add" role="group" aria-label="Add a tool call">
          {TOOL_CALL_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              className="button button--small button--ghost tool-call-composer__opener"
              ref={(element) => {
                if (element === null) openers.current.delete(kind);
                else openers.current.set(kind, element);
              }}
              onClick={() => show({ draft: emptyDraft(kind), index: null, refusals: 0 })}
            >
              <span aria-hidden="true">+</span>
              {TOOL_CALL_ACTIONS[kind]}
            </button>
          ))}
        </div>
      ) : (
        <ToolCallForm
          draft={open.draft}
          problems={built === null || built.ok ? [] : built.problems}
          refusals={open.refusals}
          changing={open.index !== null}
          onChange={(draft) => setOpen({ ...open, draft })}
          onAdd={() => add(open)}
          onCancel={() => close(open, null)}
        />
      )}
    </div>
  );
}
