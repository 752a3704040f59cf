import { describe, expect, it } from 'vitest';
import type { LiveEvent } from './api/events.ts';
import {
  asciiJson,
  fitEvent,
  NOTIFY_PAYLOAD_LIMIT,
  packEvents,
  unpackEvents,
} from './live-event-envelope.ts';

const ORIGIN = 'host:1:0192f000-0000-7000-8000-000000000000';

function roundTrip(events: LiveEvent[], limit = NOTIFY_PAYLOAD_LIMIT): LiveEvent[] {
  const payloads = packEvents(ORIGIN, events, limit);
  for (const payload of payloads) {
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(limit);
    expect(payload).toMatch(/^[\x20-\x7e]*$/);
  }
  return payloads.flatMap((payload) => unpackEvents(payload)?.events ?? []);
}

describe('live events as NOTIFY payloads', () => {
  it('packs small events together, in order, and reads them back with their origin', () => {
    const events: LiveEvent[] = Array.from({ length: 300 }, (_, index) => ({
      type: 'conversation-updated',
      conversationId: `c${index}`,
    }));
    const payloads = packEvents(ORIGIN, events);
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.length).toBeLessThan(5);
    expect(unpackEvents(payloads[0]!)?.origin).toBe(ORIGIN);
    expect(roundTrip(events)).toEqual(events);
  });

  it('splits long command output into deltas that add up to it, whatever its characters', () => {
    // Escapes (ESC is 6 bytes in JSON), CJK (3 bytes in UTF-8, 6 as \u escapes) and a surrogate pair at every cut.
    const text = '\u001b[31mred\u001b[0m 漢字 😀 '.repeat(2000);
    const event: LiveEvent = { type: 'command-output-delta', conversationId: 'c', executionId: 'e', text };
    const back = roundTrip([event]);
    expect(back.length).toBeGreaterThan(10);
    expect(back.every((part) => part.type === 'command-output-delta' && part.executionId === 'e')).toBe(true);
    expect(back.map((part) => (part.type === 'command-output-delta' ? part.text : '')).join('')).toBe(text);
    for (const part of back) {
      // No piece starts or ends inside a surrogate pair.
      if (part.type === 'command-output-delta')
        expect(part.text).not.toMatch(
          /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        );
    }
  });

  it('splits a long model delta, and leaves out tool calls too large to carry', () => {
    const text = 'word '.repeat(4000);
    const reasoning = 'think '.repeat(3000);
    const toolCalls = [{ id: 't1', name: 'run_command', arguments: `{"command":"${'x'.repeat(9000)}"}` }];
    const event: LiveEvent = {
      type: 'message-delta',
      conversationId: 'c',
      messageId: 'm',
      text,
      reasoning,
      toolCalls,
    };
    const back = roundTrip([event]);
    const joined = (key: 'text' | 'reasoning') =>
      back.map((part) => (part.type === 'message-delta' ? (part[key] ?? '') : '')).join('');
    expect(joined('text')).toBe(text);
    expect(joined('reasoning')).toBe(reasoning);
    expect(back.some((part) => part.type === 'message-delta' && part.toolCalls !== undefined)).toBe(false);

    const small = [{ id: 't1', name: 'run_command', arguments: '{"command":"ls"}' }];
    const withSmallCalls = roundTrip([{ ...event, toolCalls: small }]);
    expect(withSmallCalls.filter((part) => part.type === 'message-delta' && part.toolCalls)).toEqual([
      { type: 'message-delta', conversationId: 'c', messageId: 'm', toolCalls: small },
    ]);
  });

  it('turns any other event too large into a resync of its conversation', () => {
    // Even its resync too large (no id is that long): every client refetches everything.
    const big: LiveEvent = { type: 'conversation-updated', conversationId: 'c'.repeat(9000) };
    expect(roundTrip([big])).toEqual([{ type: 'resync', conversationId: null }]);
    const message = {
      type: 'message-created',
      conversationId: 'c1',
      message: { content: 'x'.repeat(10_000) },
    } as unknown as LiveEvent;
    expect(fitEvent(message, 7900)).toEqual([{ type: 'resync', conversationId: 'c1' }]);
  });

  it('skips what it does not know: a foreign payload, and event kinds of a newer server', () => {
    expect(unpackEvents('not json')).toBeNull();
    expect(unpackEvents('{"hello":1}')).toBeNull();
    expect(
      unpackEvents(
        `{"o":"x","e":[{"type":"from-the-future"},{"type":"conversation-created","conversationId":"c"}]}`,
      ),
    ).toEqual({ origin: 'x', events: [{ type: 'conversation-created', conversationId: 'c' }] });
  });

  it('writes ASCII JSON that reads back as the same value', () => {
    const value = { text: 'café 漢 😀 \u0000 \u007f' };
    expect(asciiJson(value)).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(asciiJson(value))).toEqual(value);
  });
});
