import { formatCount } from '../lib/format.ts';

export function SelectionBar(props: {
  count: number;
  onDelete: () => void;
  onCopy: () => void;
  onClear: () => void;
  /** Summarize the range from the first to the last selected message (issue 8 item 7). */
  onSummarize?: () => void;
  /** The same range, summarized in the person's own words. */
  onWriteSummary?: () => void;
  /** Show in the sidebar the conversations that contain the selected messages or copies of them (issue 9). */
  onFindConversations?: () => void;
}) {
  return (
    <section className="selection-bar" aria-label="Selected messages">
      <span className="selection-bar__count">{formatCount(props.count)} selected</span>
      {props.onSummarize ? (
        <button
          type="button"
          className="button"
          title="The model summarizes the checked messages from the first selected to the last into one message; they are kept, unchecked"
          onClick={props.onSummarize}
        >
          Summarize
        </button>
      ) : null}
      {props.onWriteSummary ? (
        <button
          type="button"
          className="button"
          title="Write the summary of the selected range yourself; the messages are kept, unchecked"
          onClick={props.onWriteSummary}
        >
          Write summary…
        </button>
      ) : null}
      <button type="button" className="button" onClick={props.onCopy}>
        Copy to…
      </button>
      {props.onFindConversations ? (
        <button
          type="button"
          className="button"
          title="Filter the conversation list to those that contain these messages or copies of them"
          onClick={props.onFindConversations}
        >
          Find conversations
        </button>
      ) : null}
      <button type="button" className="button button--danger" onClick={props.onDelete}>
        Delete
      </button>
      {/* Named by its text (with its shortcut), which an aria-label without "Esc" contradicted. */}
      <button type="button" className="button button--ghost" onClick={props.onClear}>
        Clear<span className="wide-only"> selection</span> <span className="shortcut">Esc</span>
      </button>
    </section>
  );
}
