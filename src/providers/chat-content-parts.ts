/**
 * `content` of a Chat Completions message or delta, in every shape the providers' own SDKs accept:
 *
 * - a string (OpenAI, and most servers), or null / absent;
 * - a list of typed parts, as Mistral's reasoning models (Magistral) stream it:
 *   `[{"type":"thinking","thinking":[{"type":"text","text":"…"}]},{"type":"text","text":"…"}]`
 *   (`@mistralai/mistralai`'s `DeltaMessage.content` is `string | ContentChunk[] | null`);
 * - parts other gateways use for the same things: `reasoning` (`text` or `reasoning`), `thinking` whose
 *   `thinking` is a plain string (Anthropic's shape, passed through by LiteLLM-style proxies),
 *   `refusal`, `output_text`;
 * - a single part object where a list was expected.
 *
 * Parts that carry no text the conversation can hold (`image_url`, `document_url`, `reference`,
 * `tool_reference`, `redacted_thinking`, types not invented yet) are skipped on purpose: the model call's
 * record keeps the raw bytes, so nothing is lost, and an unknown part never ends a turn.
 */

/** One piece of a message, in the order it arrived. */
export interface ContentPiece {
  kind: 'text' | 'reasoning';
  text: string;
}

/** What a part list held, or why it cannot be read (a known part type with a field of the wrong type). */
export type ContentPartsResult = { ok: true; pieces: ContentPiece[] } | { ok: false; problem: string };

/**
 * Reads a `content` value into text and reasoning pieces.
 *
 * @example
 * contentPieces([{ type: 'thinking', thinking: [{ type: 'text', text: 'hmm' }] }, { type: 'text', text: 'Hi' }])
 * // { ok: true, pieces: [{ kind: 'reasoning', text: 'hmm' }, { kind: 'text', text: 'Hi' }] }
 */
export function contentPieces(content: unknown): ContentPartsResult {
  const pieces: ContentPiece[] = [];
  const problem = collect(content, 'text', pieces, 'content');
  return problem === null ? { ok: true, pieces } : { ok: false, problem };
}

function collect(
  value: unknown,
  kind: ContentPiece['kind'],
  into: ContentPiece[],
  path: string,
): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (value !== '') into.push({ kind, text: value });
    return null;
  }
  if (Array.isArray(value)) {
    for (const [index, part] of value.entries()) {
      const problem = collect(part, kind, into, `${path}.${index}`);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (typeof value !== 'object') return `${path} is a ${typeof value}, not text or a list of parts`;
  return collectPart(value as Record<string, unknown>, kind, into, path);
}

function collectPart(
  part: Record<string, unknown>,
  kind: ContentPiece['kind'],
  into: ContentPiece[],
  path: string,
): string | null {
  const field = (name: string, as: ContentPiece['kind']): string | null => {
    const value = part[name];
    if (value === undefined || value === null) return null;
    // A thinking part nests its own list of parts (Mistral); everything else holds a string.
    if (typeof value !== 'string' && !(name === 'thinking' && Array.isArray(value))) {
      return `${path}.${name} is a ${Array.isArray(value) ? 'list' : typeof value}, not text`;
    }
    return collect(value, as, into, `${path}.${name}`);
  };
  switch (part.type) {
    case 'text':
    case 'output_text':
      // Text inside a thinking part is reasoning, wherever it sits.
      return field('text', kind);
    case 'refusal':
      // Shown as the answer, as `delta.refusal` is: the person must see why nothing else came.
      return field('refusal', kind);
    case 'thinking':
      return field('thinking', 'reasoning');
    case 'reasoning':
      return typeof part.text === 'string' ? field('text', 'reasoning') : field('reasoning', 'reasoning');
    default:
      return null;
  }
}
