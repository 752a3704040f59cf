/**
 * Live events between server processes that share one PostgreSQL database (issue 10 item 4): each process
 * sends the events it publishes as NOTIFY payloads and re-publishes the other processes' to its own streams.
 * This file is the pure part: packing events into payloads and reading them back.
 *
 * A payload is `{"o": ORIGIN, "e": [event, …]}`: the origin (one id per server process) lets a process skip
 * its own payloads, which it hears too since it listens on the channel it notifies; events sent close
 * together share a payload. PostgreSQL refuses a payload of 8000 bytes or more, so:
 * - a `command-output-delta` or the text of a `message-delta` too large for one payload is split into several
 *   events of the same kind, in order (nothing is lost: a client appends them);
 * - a `message-delta` whose tool calls alone are too large goes without them (they are the arguments
 *   assembled so far; the message's final `message-updated` carries them);
 * - any other event too large (a message, proposal or execution with a long text) becomes
 *   `{type: 'resync', conversationId}`, on which a client refetches that conversation, as after a reconnect.
 * Payloads are ASCII (`\u` escapes), so their byte count is their length whatever the database's encoding.
 */
import { type LiveEvent, LiveEventSchema } from './api/events.ts';

/** PostgreSQL's limit: a NOTIFY payload must be shorter than 8000 bytes. */
export const NOTIFY_PAYLOAD_LIMIT = 7999;

export interface UnpackedPayload {
  origin: string;
  /** The events this build knows, in order; one of a newer server's unknown kinds is left out. */
  events: LiveEvent[];
}

/**
 * The events as payloads of at most `limit` bytes, in order.
 *
 * @example
 * packEvents('proc-1', [{ type: 'conversation-created', conversationId: 'c1' }])
 * // ['{"o":"proc-1","e":[{"type":"conversation-created","conversationId":"c1"}]}']
 */
export function packEvents(
  origin: string,
  events: readonly LiveEvent[],
  limit = NOTIFY_PAYLOAD_LIMIT,
): string[] {
  const head = `{"o":${asciiJson(origin)},"e":[`;
  const tail = ']}';
  const room = limit - head.length - tail.length;
  if (room < 200) throw new RangeError(`a payload limit of ${limit} bytes leaves no room for events`);
  const payloads: string[] = [];
  let batch: string[] = [];
  let used = 0;
  const flush = () => {
    if (batch.length > 0) payloads.push(`${head}${batch.join(',')}${tail}`);
    batch = [];
    used = 0;
  };
  for (const event of events) {
    for (const fitted of fitEvent(event, room)) {
      let text = asciiJson(fitted);
      if (text.length > room) text = asciiJson({ type: 'resync', conversationId: null });
      if (used + text.length + (batch.length > 0 ? 1 : 0) > room) flush();
      used += text.length + (batch.length > 0 ? 1 : 0);
      batch.push(text);
    }
  }
  flush();
  return payloads;
}

/** A payload read back, or null when it is not one of ours (another program notifying on the channel). */
export function unpackEvents(payload: string): UnpackedPayload | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { o: origin, e: events } = parsed as { o?: unknown; e?: unknown };
  if (typeof origin !== 'string' || !Array.isArray(events)) return null;
  const known: LiveEvent[] = [];
  for (const event of events) {
    const result = LiveEventSchema.safeParse(event);
    if (result.success) known.push(result.data);
  }
  return { origin, events: known };
}

/** The event as one or more events of at most `room` bytes each (see the header for how). */
export function fitEvent(event: LiveEvent, room: number): LiveEvent[] {
  if (asciiJson(event).length <= room) return [event];
  switch (event.type) {
    case 'command-output-delta':
      return splitText(event.text, (text) => ({ ...event, text }), room);
    case 'message-delta': {
      const { text, reasoning, toolCalls, ...rest } = event;
      const parts: LiveEvent[] = [];
      if (toolCalls !== undefined && asciiJson({ ...rest, toolCalls }).length <= room)
        parts.push({ ...rest, toolCalls });
      if (reasoning !== undefined && reasoning !== '')
        parts.push(...splitText(reasoning, (piece) => ({ ...rest, reasoning: piece }), room));
      if (text !== undefined && text !== '')
        parts.push(...splitText(text, (piece) => ({ ...rest, text: piece }), room));
      return parts;
    }
    default:
      return [{ type: 'resync', conversationId: event.conversationId }];
  }
}

/** `text` in consecutive pieces whose events fit `room`, halving until each does. */
function splitText(text: string, build: (text: string) => LiveEvent, room: number): LiveEvent[] {
  const event = build(text);
  if (asciiJson(event).length <= room) return [event];
  let middle = Math.floor(text.length / 2);
  // Never between the two halves of a surrogate pair: each piece must be valid text on its own.
  if (isHighSurrogate(text.charCodeAt(middle - 1))) middle -= 1;
  if (middle <= 0) return [];
  return [...splitText(text.slice(0, middle), build, room), ...splitText(text.slice(middle), build, room)];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** JSON with every character outside printable ASCII escaped, so its length is its size in bytes. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
