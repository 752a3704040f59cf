/**
 * The `read_file`, `write_file` and `edit_file` tools as offered to models, and the reading of their calls'
 * arguments (issue 8, item 1). Snake_case on the wire, as the issue and open-weight agent datasets name
 * them, so recorded calls train those models directly. Model output is untrusted (STYLE.md habit 4): a bad
 * call becomes an error text the model can act on, never an exception. Written like RUN_COMMAND_TOOL and
 * parseRunCommandArguments (src/core/extract-proposals.ts).
 */
import { z } from 'zod';
import {
  EDIT_FILE_TOOL_NAME,
  type FileAction,
  type FileActionKind,
  isFileActionKind,
  READ_FILE_TOOL_NAME,
  WRITE_FILE_TOOL_NAME,
} from './file-action.ts';

const PATH_PROPERTY = {
  type: 'string',
  description: 'The file, relative to the workspace (your working folder), e.g. "src/index.ts".',
} as const;

/** The tools as offered to models (JSON Schema parameters); providers adapt them to their wire format. */
export const READ_FILE_TOOL = {
  name: READ_FILE_TOOL_NAME,
  description:
    'Read a text file of the workspace. Lines come back numbered ("    12\\t…"); the numbers are not part of ' +
    'the file. Read a file before you edit it: an edit is refused when the file changed since your last read.',
  parameters: {
    type: 'object',
    properties: {
      path: PATH_PROPERTY,
      start_line: { type: 'integer', minimum: 1, description: 'First line to return (1-based); default 1.' },
      end_line: {
        type: 'integer',
        minimum: 1,
        description: 'Last line to return, inclusive; default the end of the file.',
      },
    },
    required: ['path'],
    additionalProperties: false,
  },
} as const;

export const WRITE_FILE_TOOL = {
  name: WRITE_FILE_TOOL_NAME,
  description:
    'Propose to create a file, or to replace the whole content of one, in the workspace (missing folders are ' +
    'created). The user approves, edits or rejects it before it is written. To change part of an existing ' +
    'file use edit_file instead. An existing file keeps its line endings.',
  parameters: {
    type: 'object',
    properties: {
      path: PATH_PROPERTY,
      content: { type: 'string', description: 'The whole content of the file.' },
    },
    required: ['path', 'content'],
    additionalProperties: false,
  },
} as const;

export const EDIT_FILE_TOOL = {
  name: EDIT_FILE_TOOL_NAME,
  description:
    'Propose exact search/replace edits to one existing text file of the workspace. Each old_text must occur ' +
    'exactly once in the current file, character for character (indentation included; copy it from ' +
    "read_file's output without the line numbers); include surrounding lines to make it unique. Every " +
    'old_text is looked up in the file as it is now, not after the other edits; edits must not overlap. ' +
    'All edits apply or none does. The user approves, edits or rejects the change before it is written.',
  parameters: {
    type: 'object',
    properties: {
      path: PATH_PROPERTY,
      edits: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            old_text: { type: 'string', description: 'Text to find: exactly once in the file.' },
            new_text: { type: 'string', description: 'Text to put in its place (empty to delete it).' },
          },
          required: ['old_text', 'new_text'],
          additionalProperties: false,
        },
      },
    },
    required: ['path', 'edits'],
    additionalProperties: false,
  },
} as const;

/** All three, in the order offered after run_command. */
export const FILE_ACTION_TOOLS = [READ_FILE_TOOL, WRITE_FILE_TOOL, EDIT_FILE_TOOL] as const;

const PathSchema = z
  .string()
  .transform((path) => path.trim())
  .refine((path) => path !== '');
// Some models send numbers as strings ("12"); accepting them costs nothing and saves a round trip.
const LineSchema = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*\d+\s*$/)
      .transform(Number),
  ])
  .pipe(z.number().int().min(1));

const ReadFileArgumentsSchema = z
  .object({ path: PathSchema, start_line: LineSchema.optional(), end_line: LineSchema.optional() })
  .refine((value) => value.end_line === undefined || value.end_line >= (value.start_line ?? 1), {
    path: ['end_line'],
  });
const WriteFileArgumentsSchema = z.object({ path: PathSchema, content: z.string() });
const EditSchema = z.object({ old_text: z.string(), new_text: z.string() });
const EditFileArgumentsSchema = z.object({ path: PathSchema, edits: z.array(EditSchema).min(1) });

const EXAMPLES: Record<FileActionKind, string> = {
  read_file: '{"path": "src/index.ts", "start_line": 1, "end_line": 80}',
  write_file: '{"path": "notes/todo.md", "content": "# To do\\n"}',
  edit_file:
    '{"path": "src/index.ts", "edits": [{"old_text": "const port = 80;", "new_text": "const port = 8080;"}]}',
};

export type FileActionParse = { ok: true; action: FileAction } | { ok: false; error: string };

/**
 * Reads a file tool call's argument text. On failure `error` is written for the model: what was wrong and
 * what a good call looks like.
 *
 * @example
 * parseFileActionArguments('edit_file', '{"path":"a.ts","edits":[{"old_text":"x","new_text":"y"}]}')
 * // { ok: true, action: { kind: 'edit_file', path: 'a.ts', edits: [{ oldText: 'x', newText: 'y' }] } }
 */
export function parseFileActionArguments(toolName: string, argumentsText: string): FileActionParse {
  if (!isFileActionKind(toolName)) {
    return {
      ok: false,
      error: `unknown tool ${toolName}; the file tools are read_file, write_file and edit_file`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(argumentsText === '' ? '{}' : argumentsText);
    // Some models encode the arguments object twice, as a JSON string holding JSON.
    if (typeof value === 'string' && value.trim().startsWith('{')) value = JSON.parse(value);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: `${toolName} arguments are not valid JSON (${detail}). Send one JSON object, for example ${EXAMPLES[toolName]}.`,
    };
  }
  const parsed = parseValue(toolName, value);
  if (parsed.ok) return parsed;
  return {
    ok: false,
    error: `${toolName} arguments were not usable: ${parsed.problems.join('; ')}. For example ${EXAMPLES[toolName]}.`,
  };
}

type ValueParse = { ok: true; action: FileAction } | { ok: false; problems: string[] };

function parseValue(toolName: FileActionKind, value: unknown): ValueParse {
  switch (toolName) {
    case 'read_file': {
      const parsed = ReadFileArgumentsSchema.safeParse(value);
      if (!parsed.success) return failed(parsed.error);
      const { path, start_line: startLine, end_line: endLine } = parsed.data;
      return {
        ok: true,
        action: { kind: 'read_file', path, startLine: startLine ?? null, endLine: endLine ?? null },
      };
    }
    case 'write_file': {
      const parsed = WriteFileArgumentsSchema.safeParse(value);
      if (!parsed.success) return failed(parsed.error);
      return { ok: true, action: { kind: 'write_file', ...parsed.data } };
    }
    case 'edit_file': {
      const parsed = EditFileArgumentsSchema.safeParse(editArgumentsAsSent(value));
      if (!parsed.success) return failed(parsed.error);
      const edits = parsed.data.edits.map((edit) => ({ oldText: edit.old_text, newText: edit.new_text }));
      return { ok: true, action: { kind: 'edit_file', path: parsed.data.path, edits } };
    }
  }
}

/**
 * Two slips models make often, read the way they meant them: one edit given at the top level instead of in
 * `edits`, and `edits` sent as a JSON string.
 */
function editArgumentsAsSent(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (record.edits === undefined && 'old_text' in record && 'new_text' in record) {
    const { old_text: oldText, new_text: newText, ...rest } = record;
    return { ...rest, edits: [{ old_text: oldText, new_text: newText }] };
  }
  if (typeof record.edits === 'string') {
    try {
      return { ...record, edits: JSON.parse(record.edits) };
    } catch {
      return value;
    }
  }
  return value;
}

function failed(error: z.ZodError): ValueParse {
  return { ok: false, problems: [...new Set(error.issues.map((issue) => describeIssue(issue.path)))] };
}

function describeIssue(path: readonly PropertyKey[]): string {
  const [field, index, inner] = path;
  switch (field) {
    case undefined:
      return 'the arguments must be a JSON object';
    case 'path':
      return '"path" must be a non-empty string naming a file in the workspace';
    case 'start_line':
      return '"start_line" must be a whole number of 1 or more';
    case 'end_line':
      return '"end_line" must be a whole number of 1 or more, not below start_line';
    case 'content':
      return '"content" must be a string holding the whole file';
    case 'edits':
      if (index === undefined) return '"edits" must be a non-empty array of {"old_text", "new_text"} objects';
      if (inner === undefined)
        return `edits[${String(index)}] must be an object with "old_text" and "new_text"`;
      return `edits[${String(index)}].${String(inner)} must be a string`;
    default:
      return `"${String(field)}" is not an argument of this tool`;
  }
}
