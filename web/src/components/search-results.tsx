import type { MessageHit, SearchResult } from '../api/client.ts';
import { authorName, conversationTitle, roleName } from '../lib/format.ts';
import { parseSnippet } from '../lib/search-snippet.ts';

function Snippet(props: { text: string }) {
  return (
    <span className="search-hit__snippet">
      {parseSnippet(props.text).map((part, index) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one snippet never reorder.
        part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </span>
  );
}

export function SearchResults(props: {
  result: SearchResult | null;
  searching: boolean;
  onOpenConversation: (id: string) => void;
  onOpenMessage: (hit: MessageHit) => void;
}) {
  const { result } = props;
  if (result === null) return <p className="sidebar__note">{props.searching ? 'Searching…' : ''}</p>;
  if (result.conversations.length === 0 && result.messages.length === 0) {
    return <p className="sidebar__note">Nothing matches.</p>;
  }
  return (
    <div className="search-results" aria-busy={props.searching}>
      {result.conversations.length > 0 ? (
        <section aria-label="Matching conversations">
          <h2 className="sidebar__heading">Conversations</h2>
          <ul className="sidebar__list">
            {result.conversations.map((summary) => (
              <li key={summary.id}>
                <button
                  type="button"
                  className="search-hit"
                  onClick={() => props.onOpenConversation(summary.id)}
                >
                  <span className="search-hit__title">{conversationTitle(summary.title)}</span>
                  {summary.description ? (
                    <span className="search-hit__detail">{summary.description}</span>
                  ) : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {result.messages.length > 0 ? (
        <section aria-label="Matching messages">
          <h2 className="sidebar__heading">Messages</h2>
          <ul className="sidebar__list">
            {result.messages.map((hit) => (
              <li key={hit.id}>
                <button type="button" className="search-hit" onClick={() => props.onOpenMessage(hit)}>
                  <span className="search-hit__detail">
                    {roleName(hit.role)} · {authorName(hit.author)} in{' '}
                    {conversationTitle(hit.conversationTitle)}
                  </span>
                  <Snippet text={hit.snippet} />
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
