import { newId } from '../core/ids.ts';
import type { AssembledToolCall, TurnEvent } from '../core/provider.ts';

interface OpenCall {
  id: string;
  name: string;
  arguments: string;
  ended: boolean;
  complete: boolean;
}

/**
 * Assembles tool calls from deltas keyed by index, as every streaming wire format sends them. Later deltas
 * that repeat an empty id or name (Qwen, vLLM) never overwrite what the first one said.
 */
export class ToolCallAccumulator {
  readonly #calls = new Map<number, OpenCall>();

  begin(index: number, id: string | null | undefined, name: string | null | undefined): TurnEvent[] {
    const existing = this.#calls.get(index);
    if (existing !== undefined) {
      if (existing.name === '' && name) existing.name = name;
      return [];
    }
    const call: OpenCall = {
      id: id || `call_${newId()}`,
      name: name ?? '',
      arguments: '',
      ended: false,
      complete: false,
    };
    this.#calls.set(index, call);
    return [{ type: 'tool-call-start', index, id: call.id, name: call.name }];
  }

  append(index: number, delta: string): TurnEvent[] {
    const events = this.#calls.has(index) ? [] : this.begin(index, null, null);
    const call = this.#calls.get(index) as OpenCall;
    if (delta === '') return events;
    call.arguments += delta;
    events.push({ type: 'tool-call-delta', index, id: call.id, argumentsDelta: delta });
    return events;
  }

  /** Ends one call; `finished` says the wire format marked it done (otherwise it was cut). */
  end(index: number, finished: boolean): TurnEvent[] {
    const call = this.#calls.get(index);
    if (call === undefined || call.ended) return [];
    call.ended = true;
    if (finished && call.arguments.trim() === '') call.arguments = '{}';
    call.complete = finished && isJsonObject(call.arguments);
    return [{ type: 'tool-call-end', index, toolCall: toToolCall(call) }];
  }

  endAll(finished: boolean): TurnEvent[] {
    return [...this.#calls.keys()].flatMap((index) => this.end(index, finished));
  }

  openIndexes(): number[] {
    return [...this.#calls.entries()].filter(([, call]) => !call.ended).map(([index]) => index);
  }

  has(index: number): boolean {
    return this.#calls.has(index);
  }

  list(): AssembledToolCall[] {
    return [...this.#calls.values()].map(toToolCall);
  }
}

function toToolCall(call: OpenCall): AssembledToolCall {
  return { id: call.id, name: call.name, arguments: call.arguments, complete: call.complete };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
