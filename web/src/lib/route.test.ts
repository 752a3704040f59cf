import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash } from './route.ts';

describe('route', () => {
  it('round-trips a conversation and a message', () => {
    const route = { conversationId: '0197-a', messageId: '0197-b' };
    expect(parseRoute(routeHash(route))).toEqual(route);
    expect(parseRoute(routeHash({ conversationId: 'x', messageId: null }))).toEqual({
      conversationId: 'x',
      messageId: null,
    });
  });

  it('round-trips the Settings page', () => {
    const route = { conversationId: null, messageId: null, settings: true as const };
    expect(routeHash(route)).toBe('#/settings');
    expect(parseRoute('#/settings')).toEqual(route);
    expect(parseRoute('#/c/x').settings).toBeUndefined();
  });

  it('reads anything else as no conversation', () => {
    expect(parseRoute('')).toEqual({ conversationId: null, messageId: null });
    expect(parseRoute('#/other')).toEqual({ conversationId: null, messageId: null });
  });
});
