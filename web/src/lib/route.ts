/**
 * Where the page is, kept in the URL hash (`#/c/<conversation>` or `#/c/<conversation>/m/<message>`) so a
 * reload or a shared link lands on the same conversation. The hash, not the path, because the server serves
 * the app at `/` only and the auth redirect lands there.
 */
export interface Route {
  conversationId: string | null;
  messageId: string | null;
}

export function parseRoute(hash: string): Route {
  const match = /^#\/c\/([^/]+)(?:\/m\/([^/]+))?$/.exec(hash);
  if (match === null) return { conversationId: null, messageId: null };
  return {
    conversationId: decodeURIComponent(match[1]!),
    messageId: match[2] ? decodeURIComponent(match[2]) : null,
  };
}

export function routeHash(route: Route): string {
  if (route.conversationId === null) return '#/';
  const base = `#/c/${encodeURIComponent(route.conversationId)}`;
  return route.messageId === null ? base : `${base}/m/${encodeURIComponent(route.messageId)}`;
}
