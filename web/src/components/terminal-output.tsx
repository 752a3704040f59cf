import { useLayoutEffect, useMemo, useRef } from 'react';
import { ansiSegments, CONCEALED_TITLE } from '../lib/ansi-segments.ts';

/**
 * Output as a terminal shows it, colours included. Segments become React text with a `style` prop (CSSOM,
 * allowed by the CSP), never HTML. While output streams in, the block follows its end unless the person
 * scrolled up to read.
 */
export function TerminalOutput(props: { text: string; live: boolean; label: string }) {
  const segments = useMemo(() => ansiSegments(props.text), [props.text]);
  const element = useRef<HTMLPreElement | null>(null);
  const following = useRef(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new text is what moves the end.
  useLayoutEffect(() => {
    const pre = element.current;
    if (pre !== null && props.live && following.current) pre.scrollTop = pre.scrollHeight;
  }, [props.text, props.live]);

  return (
    <pre
      ref={element}
      className="terminal-output"
      role="log"
      aria-label={props.label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it.
      tabIndex={0}
      onScroll={(event) => {
        const pre = event.currentTarget;
        following.current = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
      }}
    >
      {segments.length === 0 ? (
        <span className="terminal-output__empty">{props.live ? 'waiting for output…' : '(no output)'}</span>
      ) : (
        segments.map((segment, index) =>
          segment.style === null ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond their place.
            <span key={index}>{segment.text}</span>
          ) : (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: as above.
              key={index}
              style={segment.style}
              {...(segment.concealed ? { className: 'ansi-concealed', title: CONCEALED_TITLE } : {})}
            >
              {segment.text}
            </span>
          ),
        )
      )}
    </pre>
  );
}
