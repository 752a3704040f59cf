import type { ExportPreview } from '../../../src/core/api/dataset-schemas.ts';
import { formatCount } from '../lib/format.ts';
import { JsonBlock } from './json-block.tsx';

/** What the export would write: its counts by kind, its first few lines (collapsed), and the first problems. */
export function ExportPreviewView(props: { preview: ExportPreview }) {
  const { counts, examples } = props.preview;
  const dropped = nonZero(counts.dropped);
  const redactions = nonZero(counts.redactions);
  const sources = nonZero(counts.sources);
  return (
    <section className="export-preview" aria-label="Preview">
      <dl className="export-preview__counts">
        <dt>Examples</dt>
        <dd data-count="written">{formatCount(counts.written)}</dd>
        <dt>Tokens</dt>
        <dd>{formatCount(counts.tokens)}</dd>
        <dt>Dropped</dt>
        <dd>{describeCounts(dropped, 'none')}</dd>
        <dt>Secrets redacted</dt>
        <dd>{describeCounts(redactions, 'none')}</dd>
        <dt>Sources</dt>
        <dd>{describeCounts(sources, '—')}</dd>
      </dl>
      <p className="export-preview__limit">
        Examples over {formatCount(props.preview.maxTokens)} tokens are dropped.
      </p>
      {counts.invalid.length > 0 ? (
        <details className="export-preview__invalid">
          <summary>Why examples were invalid (first {counts.invalid.length})</summary>
          <ul>
            {counts.invalid.map((problem, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, shown once and never reordered.
              <li key={index}>
                {problem.source}: {problem.problem}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {examples.length === 0 ? (
        <p className="export-preview__none">No example would be written.</p>
      ) : (
        <ol className="export-preview__examples" aria-label="First examples">
          {examples.map((example, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the lines in the order the export writes them.
            <li key={index}>
              <details>
                <summary>
                  Line {index + 1} <span className="export-preview__source">({example.source})</span>
                </summary>
                <JsonBlock value={example.line} label={`Line ${index + 1} as JSON`} />
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function nonZero(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b));
}

function describeCounts(entries: [string, number][], empty: string): string {
  if (entries.length === 0) return empty;
  return entries.map(([name, count]) => `${formatCount(count)} ${name}`).join(', ');
}
