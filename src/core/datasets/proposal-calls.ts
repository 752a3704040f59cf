/**
 * Tool calls rebuilt from what really ran (issue 9): an execution's command or applied file action, written
 * back as the `run_command` / file tool call a model would have to make to do the same. The arguments use the
 * tools' own snake_case names (src/core/file-edits/file-action-arguments.ts), so a preferred answer reads
 * like any other call the model was trained on.
 */
import type { ExecutionDto, FileAction } from '../api/terminal-schemas.ts';
import type { ToolCall } from '../domain.ts';
import { RUN_COMMAND_TOOL_NAME } from '../extract-proposals.ts';

/** A file tool's arguments from the API's camelCase action. */
export function fileActionArguments(action: FileAction): Record<string, unknown> {
  switch (action.tool) {
    case 'read_file': {
      const result: Record<string, unknown> = { path: action.path };
      if (action.startLine !== undefined) result.start_line = action.startLine;
      if (action.endLine !== undefined) result.end_line = action.endLine;
      return result;
    }
    case 'write_file':
      return { path: action.path, content: action.content };
    case 'edit_file':
      return {
        path: action.path,
        edits: action.edits.map((edit) => ({ old_text: edit.oldText, new_text: edit.newText })),
      };
  }
}

/**
 * The call that does what `execution` did, under the id `callId`.
 *
 * @example ranCall('call_1', execution) // { id: 'call_1', name: 'run_command', arguments: '{"command":"npm test"}' }
 */
export function ranCall(callId: string, execution: ExecutionDto): ToolCall {
  if (execution.actionRun !== null) {
    return {
      id: callId,
      name: execution.actionRun.tool,
      arguments: JSON.stringify(fileActionArguments(execution.actionRun)),
    };
  }
  return {
    id: callId,
    name: RUN_COMMAND_TOOL_NAME,
    arguments: JSON.stringify({ command: execution.commandRun }),
  };
}
