import type { Message } from '../api/client.ts';

type ToolCall = Message['toolCalls'][number];

/** `run_command`'s arguments are JSON with a command: shown as the command; anything else as sent. */
function readableArguments(call: ToolCall): string {
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'command' in parsed &&
      typeof parsed.command === 'string'
    )
      return parsed.command;
  } catch {
    // Still arriving (a stream shows half a JSON object), or not JSON at all: show it as it is.
  }
  return call.arguments;
}

/** The tool calls of a model answer, assembling while they stream. */
export function ToolCallList(props: { toolCalls: ToolCall[]; streaming: boolean }) {
  if (props.toolCalls.length === 0) return null;
  return (
    <ul className="tool-calls" aria-label="Tool calls">
      {props.toolCalls.map((call, index) => (
        <li key={call.id || index} className="tool-call">
          <span className="tool-call__name">{call.name || '…'}</span>
          <pre className="tool-call__arguments">
            {readableArguments(call)}
            {props.streaming ? <span className="stream-caret" aria-hidden="true" /> : null}
          </pre>
        </li>
      ))}
    </ul>
  );
}
