import { memo, type ReactNode, useMemo } from 'react';
import { type CodeNode, highlightCode } from '../lib/highlight-code.ts';

/** A file's text, highlighted by its name's language, with line numbers beside it (not part of the text). */
export const HighlightedCode = memo(function HighlightedCode(props: { path: string; text: string }) {
  const nodes = useMemo(() => highlightCode(props.path, props.text), [props.path, props.text]);
  const lineCount = useMemo(() => {
    const count = props.text.split('\n').length;
    return props.text.endsWith('\n') ? count - 1 : count;
  }, [props.text]);
  const numbers = useMemo(
    () => Array.from({ length: Math.max(lineCount, 1) }, (_, index) => index + 1).join('\n'),
    [lineCount],
  );
  return (
    <div className="highlighted-code">
      <pre className="highlighted-code__numbers" aria-hidden="true">
        {numbers}
      </pre>
      {/* biome-ignore lint/a11y/useSemanticElements: a <fieldset> is a form's set of fields. */}
      <pre
        className="highlighted-code__text"
        role="group"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide file scrolls sideways, so the keyboard must reach it.
        tabIndex={0}
        aria-label={`Content of ${props.path}`}
      >
        <code className="hljs">{render(nodes)}</code>
      </pre>
    </div>
  );
});

function render(nodes: CodeNode[]): ReactNode[] {
  return nodes.map((node, index) =>
    typeof node === 'string' ? (
      node
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: highlighted spans have no identity but their place.
      <span key={index} className={node.className}>
        {render(node.children)}
      </span>
    ),
  );
}
