/**
 * The sidebar's filters (issue 9 item 1): by tag, rating, outcome, model and date, and "conversations that
 * contain the selected messages" (set from the selection bar). The server filters; the list below shows its
 * answer while any filter is set.
 */
import { useEffect, useId, useState } from 'react';
import { OUTCOMES, RATINGS } from '../../../src/core/api/review-schemas.ts';
import { type SidebarFilters as Filters, hasFilters } from '../api/review-api.ts';
import { useContainingRequest } from '../state/sidebar-filter-request.ts';
import '../styles/review.css';

export function SidebarFilters(props: { filters: Filters; onChange: (filters: Filters) => void }) {
  const { filters, onChange } = props;
  const containing = useContainingRequest();
  const [open, setOpen] = useState(false);
  const id = useId();
  // A request from the selection bar opens the filters with it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new request should apply.
  useEffect(() => {
    if (containing.length === 0) return;
    setOpen(true);
    onChange({ ...filters, containing });
  }, [containing]);
  const set = (change: Partial<Filters>) => onChange({ ...filters, ...change });
  const active = hasFilters(filters);

  return (
    <div className="sidebar-filters">
      <button
        type="button"
        className={`sidebar-filters__toggle${active ? ' is-active' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        Filters{active ? ' (on)' : ''} {open ? '▴' : '▾'}
      </button>
      {active ? (
        <button type="button" className="button button--small button--ghost" onClick={() => onChange({})}>
          Clear filters
        </button>
      ) : null}
      {open ? (
        <div id={id} className="sidebar-filters__fields">
          <label>
            Tag
            <input
              type="text"
              value={filters.tag ?? ''}
              placeholder="any"
              onChange={(event) => set({ tag: event.target.value })}
            />
          </label>
          <label>
            Rating
            <select
              value={filters.rating ?? ''}
              onChange={(event) => set({ rating: event.target.value as Filters['rating'] })}
            >
              <option value="">any</option>
              {RATINGS.map((rating) => (
                <option key={rating} value={rating}>
                  {rating}
                </option>
              ))}
            </select>
          </label>
          <label>
            Outcome
            <select
              value={filters.outcome ?? ''}
              onChange={(event) => set({ outcome: event.target.value as Filters['outcome'] })}
            >
              <option value="">any</option>
              {OUTCOMES.map((outcome) => (
                <option key={outcome} value={outcome}>
                  {outcome}
                </option>
              ))}
            </select>
          </label>
          <label>
            Model
            <input
              type="text"
              value={filters.model ?? ''}
              placeholder="any"
              onChange={(event) => set({ model: event.target.value })}
            />
          </label>
          <label>
            Changed since
            <input
              type="date"
              value={filters.since ?? ''}
              onChange={(event) => set({ since: event.target.value })}
            />
          </label>
          {filters.containing?.length ? (
            <p className="sidebar-filters__containing">
              Containing {filters.containing.length} selected{' '}
              {filters.containing.length === 1 ? 'message' : 'messages'}{' '}
              <button
                type="button"
                className="button button--small button--ghost"
                onClick={() => set({ containing: [] })}
              >
                Remove
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
