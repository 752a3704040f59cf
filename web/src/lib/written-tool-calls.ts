/**
 * The tool calls a person writes while playing the model (issue 8 item 2): what the composer's small forms
 * hold (drafts, as typed), and the `toolCalls` the API takes, with the tools' snake_case arguments as a model
 * would send them, so a person's call and a model's are recorded alike. Checking here mirrors what the server
 * and the tools accept (src/core/extract-proposals.ts, src/core/file-edits/file-action-arguments.ts), so a
 * slip is said beside its field before anything is sent.
 */
import type { z } from 'zod';
import type { WrittenToolCallSchema } from '../../../src/core/api/schemas.ts';
import { MAX_TOOL_TIMEOUT_SECONDS } from '../../../src/core/extract-proposals.ts';

export type WrittenToolCall = z.infer<typeof WrittenToolCallSchema>;

export interface EditBlockDraft {
  oldText: string;
  newText: string;
}

/** One form's values, as typed (numbers stay text until checked). */
export type ToolCallDraft =
  | { kind: 'command'; command: string; timeoutSeconds: string }
  | { kind: 'edit'; path: string; blocks: EditBlockDraft[] }
  | { kind: 'write'; path: string; content: string }
  | { kind: 'read'; path: string; startLine: string; endLine: string };

export type ToolCallKind = ToolCallDraft['kind'];

export const TOOL_CALL_KINDS: readonly ToolCallKind[] = ['command', 'edit', 'write', 'read'];

/** What the button that opens each form says; also the form's name. */
export const TOOL_CALL_ACTIONS: Record<ToolCallKind, string> = {
  command: 'Propose a command',
  edit: 'Propose an edit',
  write: 'Write a file',
  read: 'Read a file',
};

/** A field of a draft (a problem points at one): `blocks.0.oldText` is the first block's old text. */
export type DraftField =
  | 'command'
  | 'timeoutSeconds'
  | 'path'
  | 'content'
  | 'startLine'
  | 'endLine'
  | `blocks.${number}.${keyof EditBlockDraft}`;

export interface DraftProblem {
  field: DraftField;
  message: string;
}

export type ToolCallBuild = { ok: true; call: WrittenToolCall } | { ok: false; problems: DraftProblem[] };

export function emptyDraft(kind: ToolCallKind): ToolCallDraft {
  switch (kind) {
    case 'command':
      return { kind, command: '', timeoutSeconds: '' };
    case 'edit':
      return { kind, path: '', blocks: [{ oldText: '', newText: '' }] };
    case 'write':
      return { kind, path: '', content: '' };
    case 'read':
      return { kind, path: '', startLine: '', endLine: '' };
  }
}

const PATH_PROBLEM = 'Give the file’s path, relative to the workspace (e.g. src/index.ts).';

/**
 * A draft as the API's tool call, or what is wrong with it, field by field. Text is sent as typed (a command's
 * or a file's whitespace matters); only the path is trimmed, as the tools trim it.
 *
 * @example
 * buildToolCall({ kind: 'command', command: 'npm test', timeoutSeconds: '120' })
 * // { ok: true, call: { name: 'run_command', arguments: { command: 'npm test', timeout_seconds: 120 } } }
 */
export function buildToolCall(draft: ToolCallDraft): ToolCallBuild {
  const problems: DraftProblem[] = [];
  const path = 'path' in draft ? draft.path.trim() : '';
  if ('path' in draft && path === '') problems.push({ field: 'path', message: PATH_PROBLEM });
  switch (draft.kind) {
    case 'command': {
      if (draft.command.trim() === '') {
        problems.push({ field: 'command', message: 'Write the command to run.' });
      }
      const timeout = readNumber(draft.timeoutSeconds);
      if (timeout !== null && (Number.isNaN(timeout) || timeout <= 0 || timeout > MAX_TOOL_TIMEOUT_SECONDS)) {
        problems.push({
          field: 'timeoutSeconds',
          message: `A timeout is a number of seconds above 0 and at most ${MAX_TOOL_TIMEOUT_SECONDS}; leave it empty for the default.`,
        });
      }
      if (problems.length > 0) return { ok: false, problems };
      return {
        ok: true,
        call: {
          name: 'run_command',
          arguments: { command: draft.command, ...(timeout === null ? {} : { timeout_seconds: timeout }) },
        },
      };
    }
    case 'edit': {
      draft.blocks.forEach((block, index) => {
        if (block.oldText === '') {
          problems.push({
            field: `blocks.${index}.oldText`,
            message: `Block ${index + 1}: give the text to replace; it must occur exactly once in the file.`,
          });
        }
      });
      if (draft.blocks.length === 0) {
        problems.push({ field: 'blocks.0.oldText', message: 'An edit needs at least one block.' });
      }
      if (problems.length > 0) return { ok: false, problems };
      const edits = draft.blocks.map((block) => ({ old_text: block.oldText, new_text: block.newText }));
      return { ok: true, call: { name: 'edit_file', arguments: { path, edits } } };
    }
    case 'write':
      if (problems.length > 0) return { ok: false, problems };
      return { ok: true, call: { name: 'write_file', arguments: { path, content: draft.content } } };
    case 'read': {
      const start = readNumber(draft.startLine);
      const end = readNumber(draft.endLine);
      const lineProblem = (line: number | null) => line !== null && !(Number.isInteger(line) && line >= 1);
      if (lineProblem(start)) {
        problems.push({ field: 'startLine', message: 'The first line is a whole number of 1 or more.' });
      }
      if (lineProblem(end)) {
        problems.push({ field: 'endLine', message: 'The last line is a whole number of 1 or more.' });
      } else if (end !== null && start !== null && !lineProblem(start) && end < start) {
        problems.push({ field: 'endLine', message: 'The last line cannot come before the first.' });
      }
      if (problems.length > 0) return { ok: false, problems };
      return {
        ok: true,
        call: {
          name: 'read_file',
          arguments: {
            path,
            ...(start === null ? {} : { start_line: start }),
            ...(end === null ? {} : { end_line: end }),
          },
        },
      };
    }
  }
}

/** `null` for an empty field; NaN for text that is not a plain decimal number. */
function readNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The one line a chip shows for a call: the tool and what it acts on (a command's first line). */
export function describeToolCall(call: WrittenToolCall): string {
  const args = call.arguments;
  const text = (key: string) => (typeof args[key] === 'string' ? args[key] : '');
  switch (call.name) {
    case 'run_command': {
      const lines = text('command').trim().split('\n');
      return `${lines[0]}${lines.length > 1 ? ' …' : ''}`;
    }
    case 'edit_file': {
      const count = Array.isArray(args.edits) ? args.edits.length : 0;
      return `${text('path')} (${count} ${count === 1 ? 'block' : 'blocks'})`;
    }
    case 'write_file':
      return `${text('path')} (${[...text('content')].length} characters)`;
    case 'read_file': {
      const start = args.start_line;
      const end = args.end_line;
      if (start === undefined && end === undefined) return text('path');
      return `${text('path')}, lines ${String(start ?? 1)}–${end === undefined ? 'end' : String(end)}`;
    }
  }
}

/** The draft a call came from, so a chip can be opened again and changed. */
export function draftOf(call: WrittenToolCall): ToolCallDraft {
  const args = call.arguments;
  const text = (key: string) => (typeof args[key] === 'string' ? args[key] : '');
  const number = (key: string) => (typeof args[key] === 'number' ? String(args[key]) : '');
  switch (call.name) {
    case 'run_command':
      return { kind: 'command', command: text('command'), timeoutSeconds: number('timeout_seconds') };
    case 'edit_file': {
      const edits = Array.isArray(args.edits) ? (args.edits as { old_text: string; new_text: string }[]) : [];
      return {
        kind: 'edit',
        path: text('path'),
        blocks: edits.map((edit) => ({ oldText: edit.old_text, newText: edit.new_text })),
      };
    }
    case 'write_file':
      return { kind: 'write', path: text('path'), content: text('content') };
    case 'read_file':
      return {
        kind: 'read',
        path: text('path'),
        startLine: number('start_line'),
        endLine: number('end_line'),
      };
  }
}
