import { useCallback, useRef, useState } from 'react';

export interface Selection {
  selectedIds: ReadonlySet<string>;
  /** Toggles one id; with `range`, selects everything from the last toggled id to this one. */
  toggle(id: string, options: { range: boolean }): void;
  remove(ids: Iterable<string>): void;
  clear(): void;
}

/** Multi-select over an ordered list of ids (the cards of the current path). */
export function useSelection(orderedIds: readonly string[]): Selection {
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());
  const anchor = useRef<string | null>(null);
  const order = useRef(orderedIds);
  order.current = orderedIds;

  const toggle = useCallback((id: string, options: { range: boolean }) => {
    const from = anchor.current === null ? -1 : order.current.indexOf(anchor.current);
    const to = order.current.indexOf(id);
    if (options.range && from >= 0 && to >= 0) {
      const [start, end] = from < to ? [from, to] : [to, from];
      setSelectedIds((previous) => new Set([...previous, ...order.current.slice(start, end + 1)]));
    } else {
      setSelectedIds((previous) => {
        const next = new Set(previous);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    }
    anchor.current = id;
  }, []);
  const remove = useCallback((ids: Iterable<string>) => {
    const gone = new Set(ids);
    setSelectedIds((previous) => new Set([...previous].filter((id) => !gone.has(id))));
  }, []);
  const clear = useCallback(() => {
    anchor.current = null;
    setSelectedIds((previous) => (previous.size === 0 ? previous : new Set()));
  }, []);
  return { selectedIds, toggle, remove, clear };
}
