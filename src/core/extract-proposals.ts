/**
 * Commands a model puts forward: fenced shell blocks in plain text (models without tools, or a person
 * writing the assistant's turn), and `run_command` tool calls. Model output is untrusted, so a bad tool
 * call becomes an error message the model can act on, never an exception.
 */
import { z } from 'zod';

export const SHELL_FENCE_LANGUAGES = ['bash', 'sh', 'shell', 'console'] as const;

export interface FencedCommand {
  command: string;
  /** The fence's language, lower-cased. */
  language: string;
  /** Where its opening fence starts in the text (orders it among a message's file-action blocks). */
  start: number;
}

const OPENING_FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;

/**
 * Every fenced `bash`/`sh`/`shell`/`console` block of `text`, in order. A fence left open at the end is
 * skipped: a stream cut mid-block would otherwise propose half a command.
 *
 * @example
 * extractFencedCommands('Try:\n```bash\nls -la\n```\n')  // [{ command: 'ls -la', language: 'bash', start: 5 }]
 */
export function extractFencedCommands(text: string): FencedCommand[] {
  const lines = text.split(/\r?\n/);
  // Where each line starts in the text (a line break is one or two characters).
  const lineStarts: number[] = [];
  for (let at = 0, line = 0; line < lines.length; line += 1) {
    lineStarts.push(at);
    at += lines[line]!.length;
    at += text[at] === '\r' ? 2 : 1;
  }
  const commands: FencedCommand[] = [];
  let index = 0;
  while (index < lines.length) {
    const start = lineStarts[index]!;
    const opening = OPENING_FENCE.exec(lines[index]!);
    index += 1;
    if (opening === null) continue;
    const [, indent = '', fence = '', info = ''] = opening;
    const closing = new RegExp(`^[ \\t]*${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
    const body: string[] = [];
    let closed = false;
    while (index < lines.length) {
      const line = lines[index]!;
      index += 1;
      if (closing.test(line)) {
        closed = true;
        break;
      }
      body.push(removeIndent(line, indent.length));
    }
    const language = info.toLowerCase();
    if (!closed || !(SHELL_FENCE_LANGUAGES as readonly string[]).includes(language)) continue;
    const command = (language === 'console' ? consoleCommands(body) : body.join('\n')).trim();
    if (command !== '') commands.push({ command, language, start });
  }
  return commands;
}

function removeIndent(line: string, width: number): string {
  let removed = 0;
  while (removed < width && (line[removed] === ' ' || line[removed] === '\t')) removed += 1;
  return line.slice(removed);
}

/**
 * A console transcript: lines after a `$ ` prompt are commands (with their `\` or `> ` continuation
 * lines); everything else is output and dropped. A block with no prompt at all is taken as commands,
 * since models often label plain commands `console`.
 */
function consoleCommands(lines: string[]): string {
  const prompt = /^\s*\$(?: |$)/;
  if (!lines.some((line) => prompt.test(line))) return lines.join('\n');
  const commands: string[] = [];
  let continuing = false;
  for (const line of lines) {
    if (prompt.test(line)) {
      const command = line.replace(prompt, '');
      commands.push(command);
      continuing = command.endsWith('\\');
      continue;
    }
    if (continuing || (commands.length > 0 && /^\s*> /.test(line) && isOpenQuoteOrPipe(commands.at(-1)!))) {
      const continuation = continuing ? line : line.replace(/^\s*> /, '');
      commands[commands.length - 1] += `\n${continuation}`;
      continuing = continuation.endsWith('\\');
    }
  }
  return commands.filter((command) => command.trim() !== '').join('\n');
}

/** Whether bash would show its `> ` continuation prompt after this text. */
function isOpenQuoteOrPipe(command: string): boolean {
  const singleQuotes = (command.match(/'/g) ?? []).length;
  const doubleQuotes = (command.match(/(?<!\\)"/g) ?? []).length;
  return singleQuotes % 2 === 1 || doubleQuotes % 2 === 1 || /(\||&&|\|\|)\s*$/.test(command);
}

export const RUN_COMMAND_TOOL_NAME = 'run_command';
export const MAX_TOOL_TIMEOUT_SECONDS = 3600;

/** The tool as offered to models (JSON Schema parameters); providers adapt it to their wire format. */
export const RUN_COMMAND_TOOL = {
  name: RUN_COMMAND_TOOL_NAME,
  description:
    'Propose one shell command to run in the workspace in a persistent bash (cd and exported variables carry ' +
    'over). The user approves, edits or rejects it before it runs; you get its output and exit code back.',
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'string', description: 'The bash command line(s) to run.' },
      timeout_seconds: {
        type: 'number',
        description: `Stop the command after this many seconds (default 60, at most ${MAX_TOOL_TIMEOUT_SECONDS}).`,
      },
    },
    required: ['command'],
    additionalProperties: false,
  },
} as const;

const RunCommandArgumentsSchema = z.object({
  command: z.string().refine((command) => command.trim() !== ''),
  timeout_seconds: z.number().positive().max(MAX_TOOL_TIMEOUT_SECONDS).optional(),
  // Models often shorten the name; accepting it costs nothing and saves a round trip.
  timeout: z.number().positive().max(MAX_TOOL_TIMEOUT_SECONDS).optional(),
});

export type RunCommandParse =
  | { ok: true; command: string; timeoutSeconds: number | null }
  | { ok: false; error: string };

const EXAMPLE = `{"command": "ls -la", "timeout_seconds": 30}`;

/**
 * Reads a `run_command` call's argument text. On failure `error` is written for the model: what was
 * wrong and what a good call looks like.
 *
 * @example
 * parseRunCommandArguments('{"command":"npm test","timeout_seconds":120}')
 * // { ok: true, command: 'npm test', timeoutSeconds: 120 }
 */
export function parseRunCommandArguments(argumentsText: string): RunCommandParse {
  let value: unknown;
  try {
    value = JSON.parse(argumentsText === '' ? '{}' : argumentsText);
    // Some models encode the arguments object twice, as a JSON string holding JSON.
    if (typeof value === 'string' && value.trim().startsWith('{')) value = JSON.parse(value);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: `${RUN_COMMAND_TOOL_NAME} arguments are not valid JSON (${detail}). Send one JSON object, for example ${EXAMPLE}.`,
    };
  }
  const parsed = RunCommandArgumentsSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeIssue(issue.path));
    return {
      ok: false,
      error: `${RUN_COMMAND_TOOL_NAME} arguments were not usable: ${[...new Set(problems)].join('; ')}. For example ${EXAMPLE}.`,
    };
  }
  const { command, timeout_seconds: timeoutSeconds, timeout } = parsed.data;
  return { ok: true, command, timeoutSeconds: timeoutSeconds ?? timeout ?? null };
}

function describeIssue(path: readonly PropertyKey[]): string {
  const field = path[0];
  if (field === undefined) return 'the arguments must be a JSON object';
  if (field === 'command') return '"command" must be a non-empty string holding the shell command';
  return `"${String(field)}" must be a number of seconds above 0 and at most ${MAX_TOOL_TIMEOUT_SECONDS}`;
}
