import { useEffect, useRef, useState } from 'react';
import type { ConversationSummary, MessageHit } from '../api/client.ts';
import { hasFilters, type SidebarFilters as SidebarFiltersValue } from '../api/review-api.ts';
import { ariaKeyShortcuts } from '../lib/keyboard-shortcuts.ts';
import { useFilteredConversations } from '../state/use-filtered-conversations.ts';
import { useRoute } from '../state/use-route.ts';
import { useSearch } from '../state/use-search.ts';
import { AccountMenu } from './account-menu.tsx';
import { ConversationListItem } from './conversation-list-item.tsx';
import { ExportDialog } from './export-dialog.tsx';
import { SearchResults } from './search-results.tsx';
import { SidebarFilters } from './sidebar-filters.tsx';

export function Sidebar(props: {
  open: boolean;
  /** As a drawer over the page, opening it moves the keyboard into it. */
  focusOnOpen: boolean;
  /** Counts the `/` presses: each puts the cursor in the search box, once the list is open (issue 11). */
  searchRequests: number;
  conversations: ConversationSummary[] | null;
  currentId: string | null;
  onOpenConversation: (id: string) => void;
  onOpenMessage: (hit: MessageHit) => void;
  onCreate: () => void;
  onUpdate: (id: string, patch: { title?: string; description?: string }) => Promise<boolean>;
  onDelete: (id: string) => void;
}) {
  const [query, setQuery] = useState('');
  const { result, searching } = useSearch(query);
  const searchingNow = query.trim() !== '';
  const searchBox = useRef<HTMLInputElement | null>(null);
  const [route] = useRoute();
  const [exporting, setExporting] = useState(false);
  const [filters, setFilters] = useState<SidebarFiltersValue>({});
  const filtered = useFilteredConversations(filters);
  const filtering = hasFilters(filters);
  const conversations = filtering ? filtered : props.conversations;
  useEffect(() => {
    if (props.open && props.focusOnOpen) searchBox.current?.focus();
  }, [props.open, props.focusOnOpen]);
  useEffect(() => {
    if (props.searchRequests > 0) searchBox.current?.focus();
  }, [props.searchRequests]);

  return (
    <nav
      id="sidebar"
      className={`sidebar${props.open ? ' is-open' : ''}`}
      aria-label="Conversations"
      inert={!props.open}
    >
      <div className="sidebar__top">
        <span className="sidebar__brand">ModelProgrammer</span>
        <button type="button" className="button button--primary sidebar__new" onClick={props.onCreate}>
          + New conversation
        </button>
        <input
          ref={searchBox}
          className="sidebar__search"
          type="search"
          aria-label="Search conversations and messages"
          aria-keyshortcuts={ariaKeyShortcuts('search')}
          placeholder="Search… (/)"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && query !== '') {
              event.stopPropagation();
              setQuery('');
            }
          }}
        />
      </div>
      <SidebarFilters filters={filters} onChange={setFilters} />
      <div className="sidebar__body">
        {searchingNow ? (
          <SearchResults
            result={result}
            searching={searching}
            onOpenConversation={props.onOpenConversation}
            onOpenMessage={props.onOpenMessage}
          />
        ) : conversations === null ? (
          <p className="sidebar__note">Loading…</p>
        ) : conversations.length === 0 ? (
          <p className="sidebar__note">
            {filtering ? 'No conversation matches the filters.' : 'No conversations yet.'}
          </p>
        ) : (
          <ul
            className="sidebar__list"
            aria-label={
              filtering
                ? 'Conversations matching the filters, newest first'
                : 'All conversations, newest first'
            }
          >
            {conversations.map((summary) => (
              <ConversationListItem
                key={summary.id}
                summary={summary}
                current={summary.id === props.currentId}
                onOpen={() => props.onOpenConversation(summary.id)}
                onUpdate={(patch) => props.onUpdate(summary.id, patch)}
                onDelete={() => props.onDelete(summary.id)}
              />
            ))}
          </ul>
        )}
      </div>
      <div className="sidebar__footer">
        <button type="button" className="sidebar__export" onClick={() => setExporting(true)}>
          <span aria-hidden="true">⇩ </span>Export dataset…
        </button>
        {exporting ? (
          <ExportDialog
            currentConversationId={props.currentId}
            shownConversationIds={filtering ? (conversations ?? []).map((summary) => summary.id) : null}
            onClose={() => setExporting(false)}
          />
        ) : null}
        <a className="sidebar__settings" href="#/settings" aria-current={route.settings ? 'page' : undefined}>
          <span aria-hidden="true">⚙ </span>Settings
        </a>
        <AccountMenu />
      </div>
    </nav>
  );
}
