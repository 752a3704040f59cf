import { useMemo } from 'react';
import { wordDiff } from '../lib/word-diff.ts';

/** `before` → `after` as one text with deletions struck through and insertions underlined. */
export function WordDiffView(props: { before: string; after: string }) {
  const parts = useMemo(() => wordDiff(props.before, props.after), [props.before, props.after]);
  if (parts === null) {
    return (
      <div className="word-diff">
        <p className="word-diff__note">These revisions differ too much to compare word by word.</p>
        <pre className="word-diff__text">{props.after}</pre>
      </div>
    );
  }
  return (
    <pre className="word-diff word-diff__text">
      {parts.map((part, index) => {
        const key = `${index}-${part.kind}`;
        if (part.kind === 'added') return <ins key={key}>{part.text}</ins>;
        if (part.kind === 'removed') return <del key={key}>{part.text}</del>;
        return <span key={key}>{part.text}</span>;
      })}
    </pre>
  );
}
