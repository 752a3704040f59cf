import { formatCount } from '../lib/format.ts';

export function SelectionBar(props: {
  count: number;
  onDelete: () => void;
  onCopy: () => void;
  onClear: () => void;
}) {
  return (
    <section className="selection-bar" aria-label="Selected messages">
      <span className="selection-bar__count">{formatCount(props.count)} selected</span>
      <button type="button" className="button" onClick={props.onCopy}>
        Copy to…
      </button>
      <button type="button" className="button button--danger" onClick={props.onDelete}>
        Delete
      </button>
      <button
        type="button"
        className="button button--ghost"
        aria-label="Clear selection"
        onClick={props.onClear}
      >
        Clear<span className="wide-only"> selection</span> <span className="shortcut">Esc</span>
      </button>
    </section>
  );
}
