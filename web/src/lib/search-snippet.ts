/** A piece of a search snippet; `match` pieces were wrapped in «…» by the server. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/**
 * Splits the server's snippet at its «…» marks so the page can show matches as <mark> elements without ever
 * treating message text as HTML. An unclosed « leaves the rest as plain text.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = snippet;
  while (rest.length > 0) {
    const open = rest.indexOf('«');
    const close = open < 0 ? -1 : rest.indexOf('»', open + 1);
    if (open < 0 || close < 0) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    if (close > open + 1) parts.push({ text: rest.slice(open + 1, close), match: true });
    rest = rest.slice(close + 1);
  }
  return parts;
}
