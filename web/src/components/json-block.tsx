/** A JSON value as indented text (never HTML), in a scrolling block reachable by keyboard. */
export function JsonBlock(props: { value: unknown; label: string }) {
  const text = typeof props.value === 'string' ? props.value : JSON.stringify(props.value, null, 2);
  return (
    <section className="json-block" aria-label={props.label}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it. */}
      <pre className="json-block__text" tabIndex={0}>
        {text}
      </pre>
    </section>
  );
}
