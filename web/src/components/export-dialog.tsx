import { useEffect, useId, useRef, useState } from 'react';
import {
  type ExportPreview,
  EXPORT_OUTCOMES as OUTCOMES,
  EXPORT_RATINGS as RATINGS,
} from '../../../src/core/api/dataset-schemas.ts';
import { TRAINING_FORMATS } from '../../../src/core/datasets/dataset-format.ts';
import { ApiRequestError } from '../api/api-request-error.ts';
import { downloadExport, previewExport, saveText } from '../api/export-api.ts';
import {
  type ExportContext,
  type ExportDraft,
  emptyExportDraft,
  exportRequest,
  FORMAT_DESCRIPTIONS,
  toggled,
} from '../lib/export-draft.ts';
import { formatCount } from '../lib/format.ts';
import { formatBytes } from '../lib/format-bytes.ts';
import { ExportPreviewView } from './export-preview-view.tsx';

type Work =
  | { kind: 'idle' }
  | { kind: 'previewing' }
  | { kind: 'downloading' }
  | { kind: 'downloaded'; fileName: string; bytes: number }
  | { kind: 'failed'; message: string };

/**
 * Export a dataset (issue 9 item 4): a format, the filters and the hygiene options; Preview shows the true
 * counts and the first lines; Download saves the JSON Lines file, and the dataset card beside it once a
 * preview counted it. A change to the form sets the preview aside, so what it shows always matches the form.
 */
export function ExportDialog(props: {
  currentConversationId: string | null;
  /** The conversations the sidebar's filters show; null when it shows them all. */
  shownConversationIds: readonly string[] | null;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement | null>(null);
  const ids = useId();
  const context: ExportContext = {
    currentConversationId: props.currentConversationId,
    shownConversationIds: props.shownConversationIds,
  };
  const [draft, setDraft] = useState<ExportDraft>(() => emptyExportDraft(context));
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [work, setWork] = useState<Work>({ kind: 'idle' });
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);
  const pending = useRef<AbortController | null>(null);
  const previewArea = useRef<HTMLDivElement | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => pending.current?.abort();
  }, []);

  const change = (patch: Partial<ExportDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setPreview(null);
    setProblem(null);
    if (work.kind !== 'previewing' && work.kind !== 'downloading') setWork({ kind: 'idle' });
  };

  const requestOrProblem = () => {
    const result = exportRequest(draft, context);
    if (result.ok) return result.request;
    setProblem({ field: result.field, text: result.problem });
    return null;
  };

  const runPreview = async () => {
    const request = requestOrProblem();
    if (request === null) return;
    setWork({ kind: 'previewing' });
    try {
      setPreview(await previewExport(request));
      setWork({ kind: 'idle' });
      // The form fills the dialog: bring the counts into sight, keyboard focus stays on Preview.
      requestAnimationFrame(() => previewArea.current?.scrollIntoView({ block: 'nearest' }));
    } catch (error) {
      setWork({ kind: 'failed', message: messageOf(error) });
    }
  };

  const runDownload = async () => {
    const request = requestOrProblem();
    if (request === null) return;
    const controller = new AbortController();
    pending.current = controller;
    setWork({ kind: 'downloading' });
    try {
      const saved = await downloadExport(request, controller.signal);
      setWork({ kind: 'downloaded', ...saved });
    } catch (error) {
      if (!controller.signal.aborted) setWork({ kind: 'failed', message: messageOf(error) });
    }
  };

  const busy = work.kind === 'previewing' || work.kind === 'downloading';
  const describedBy = (field: string) => (problem?.field === field ? `${ids}-problem` : undefined);

  return (
    <dialog
      ref={dialog}
      className="dialog export-dialog"
      aria-labelledby={`${ids}-title`}
      aria-busy={busy}
      onClose={props.onClose}
    >
      <h2 id={`${ids}-title`} className="dialog__title">
        Export a dataset
      </h2>
      <form
        className="export-dialog__form"
        onSubmit={(event) => {
          event.preventDefault();
          void runPreview();
        }}
      >
        <fieldset className="export-dialog__formats">
          <legend>Format</legend>
          {TRAINING_FORMATS.map((format) => (
            <label key={format} className="export-dialog__format">
              <input
                type="radio"
                name={`${ids}-format`}
                value={format}
                checked={draft.format === format}
                aria-describedby={`${ids}-${format}`}
                onChange={() => change({ format })}
              />
              <span className="export-dialog__format-name">{format}</span>
              <span id={`${ids}-${format}`} className="export-dialog__hint">
                {FORMAT_DESCRIPTIONS[format]}
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset className="export-dialog__filters">
          <legend>Conversations</legend>
          <div className="export-dialog__row" role="radiogroup" aria-label="Which conversations">
            <label>
              <input
                type="radio"
                name={`${ids}-scope`}
                checked={draft.scope === 'this'}
                disabled={props.currentConversationId === null}
                aria-describedby={describedBy('scope')}
                onChange={() => change({ scope: 'this' })}
              />
              This conversation
            </label>
            {props.shownConversationIds === null ? null : (
              <label>
                <input
                  type="radio"
                  name={`${ids}-scope`}
                  checked={draft.scope === 'shown'}
                  aria-describedby={describedBy('scope')}
                  onChange={() => change({ scope: 'shown' })}
                />
                The {formatCount(props.shownConversationIds.length)} the sidebar’s filters show
              </label>
            )}
            <label>
              <input
                type="radio"
                name={`${ids}-scope`}
                checked={draft.scope === 'all'}
                onChange={() => change({ scope: 'all' })}
              />
              All conversations
            </label>
          </div>
          <label className="export-dialog__field">
            <span>Tags</span>
            <input
              type="text"
              value={draft.tags}
              placeholder="any; e.g. fix, refactor"
              aria-describedby={`${ids}-lists`}
              onChange={(event) => change({ tags: event.target.value })}
            />
          </label>
          <label className="export-dialog__field">
            <span>Models</span>
            <input
              type="text"
              value={draft.models}
              placeholder="any; e.g. gpt-5, qwen3-coder"
              aria-describedby={`${ids}-lists`}
              onChange={(event) => change({ models: event.target.value })}
            />
          </label>
          <p id={`${ids}-lists`} className="export-dialog__hint">
            Separate several with commas; a conversation with any of them is taken.
          </p>
          <label className="export-dialog__field">
            <span>Updated since</span>
            <input
              type="date"
              value={draft.since}
              onChange={(event) => change({ since: event.target.value })}
            />
          </label>
          <fieldset className="export-dialog__row export-dialog__inline">
            <legend className="export-dialog__group-name">Rated</legend>
            {RATINGS.map((rating) => (
              <label key={rating}>
                <input
                  type="checkbox"
                  checked={draft.ratings.includes(rating)}
                  onChange={(event) =>
                    change({ ratings: toggled(draft.ratings, rating, event.target.checked) })
                  }
                />
                {rating}
              </label>
            ))}
          </fieldset>
          <fieldset className="export-dialog__row export-dialog__inline">
            <legend className="export-dialog__group-name">Outcome</legend>
            {OUTCOMES.map((outcome) => (
              <label key={outcome}>
                <input
                  type="checkbox"
                  checked={draft.outcomes.includes(outcome)}
                  onChange={(event) =>
                    change({ outcomes: toggled(draft.outcomes, outcome, event.target.checked) })
                  }
                />
                {outcome}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <fieldset className="export-dialog__options">
          <legend>Hygiene</legend>
          <label>
            <input
              type="checkbox"
              checked={draft.includeUnchecked}
              onChange={(event) => change({ includeUnchecked: event.target.checked })}
            />
            Include unchecked messages
          </label>
          <label className="export-dialog__field">
            <span>Max tokens per example</span>
            <input
              type="text"
              inputMode="numeric"
              value={draft.maxTokens}
              placeholder={preview === null ? "the format's default" : String(preview.maxTokens)}
              aria-invalid={problem?.field === 'maxTokens'}
              aria-describedby={describedBy('maxTokens')}
              onChange={(event) => change({ maxTokens: event.target.value })}
            />
          </label>
        </fieldset>
        {problem === null ? null : (
          <p id={`${ids}-problem`} className="export-dialog__problem" role="alert">
            {problem.text}
          </p>
        )}
        <div className="dialog__buttons export-dialog__buttons">
          <button type="submit" className="button" disabled={busy}>
            {work.kind === 'previewing' ? 'Counting…' : 'Preview'}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void runDownload()}
          >
            {work.kind === 'downloading' ? 'Exporting…' : 'Download .jsonl'}
          </button>
          {preview === null ? null : (
            <button
              type="button"
              className="button"
              title="The dataset card for these counts, to save beside the file"
              onClick={() => saveText(preview.card, 'README.md', 'text/markdown')}
            >
              Download README.md
            </button>
          )}
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </form>
      <div className="export-dialog__status" role="status">
        {work.kind === 'previewing'
          ? 'Running the export to count it…'
          : work.kind === 'downloading'
            ? 'Exporting…'
            : work.kind === 'downloaded'
              ? `Saved ${work.fileName} (${formatBytes(work.bytes)}).`
              : work.kind === 'failed'
                ? work.message
                : preview === null
                  ? ''
                  : `Preview: ${examplesText(preview.counts.written)}.`}
      </div>
      <div ref={previewArea}>{preview === null ? null : <ExportPreviewView preview={preview} />}</div>
    </dialog>
  );
}

function examplesText(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'example' : 'examples'}`;
}

function messageOf(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
