/**
 * Tool-call arguments as an object, for wire formats that carry them as JSON objects (Anthropic, Ollama).
 * Arguments cut off mid-stream are not JSON; `ok: false` lets the caller say so instead of guessing.
 *
 * @example parseToolArguments('{"command":"ls"}') // { ok: true, value: { command: 'ls' } }
 */
export function parseToolArguments(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
    return { ok: false };
  } catch {
    return { ok: false };
  }
}
