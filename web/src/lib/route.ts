/**
 * Where the page is, kept in the URL hash (`#/c/<conversation>`, `#/c/<conversation>/m/<message>` or
 * `#/settings`) so a reload or a shared link lands on the same place. The hash, not the path, because the
 * server serves the app at `/` only and the auth redirect lands there.
 */
export interface Route {
  conversationId: string | null;
  messageId: string | null;
  /** The Settings page; present only when true, so every other route keeps its two fields. */
  settings?: true;
}

const SETTINGS_HASH = '#/settings';

export function parseRoute(hash: string): Route {
  if (hash === SETTINGS_HASH) return { conversationId: null, messageId: null, settings: true };
  const match = /^#\/c\/([^/]+)(?:\/m\/([^/]+))?$/.exec(hash);
  if (match === null) return { conversationId: null, messageId: null };
  return {
    conversationId: decodeURIComponent(match[1]!),
    messageId: match[2] ? decodeURIComponent(match[2]) : null,
  };
}

export function routeHash(route: Route): string {
  if (route.settings) return SETTINGS_HASH;
  if (route.conversationId === null) return '#/';
  const base = `#/c/${encodeURIComponent(route.conversationId)}`;
  return route.messageId === null ? base : `${base}/m/${encodeURIComponent(route.messageId)}`;
}
