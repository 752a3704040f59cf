const NOUNS: Record<string, string> = { rev: 'revision', branch: 'branch' };

/** ‹ rev 2/3 ›: steps through numbered alternatives, 1-based. */
export function Stepper(props: {
  label: 'rev' | 'branch';
  position: number;
  total: number;
  onStep: (position: number) => void;
}) {
  const noun = NOUNS[props.label];
  return (
    <span className={`stepper stepper--${props.label}`}>
      <button
        type="button"
        className="stepper__button"
        aria-label={`Previous ${noun}`}
        disabled={props.position <= 1}
        onClick={() => props.onStep(props.position - 1)}
      >
        ‹
      </button>
      <span className="stepper__position" title={`${noun} ${props.position} of ${props.total}`}>
        {props.label === 'rev' ? 'rev ' : ''}
        {props.position}/{props.total}
      </span>
      <button
        type="button"
        className="stepper__button"
        aria-label={`Next ${noun}`}
        disabled={props.position >= props.total}
        onClick={() => props.onStep(props.position + 1)}
      >
        ›
      </button>
    </span>
  );
}
