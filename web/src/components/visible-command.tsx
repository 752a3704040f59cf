import { hiddenCharactersWarning, visibleText } from '../../../src/core/visible-text.ts';
import '../styles/visible-command.css';

/**
 * A command's text with every control, bidirectional and zero-width character replaced by a visible
 * `⟨U+202E⟩` mark (its name in the title). Only what is shown changes: the command that runs is the string
 * the card holds, untouched.
 */
export function VisibleCommandText(props: { text: string }) {
  const { parts } = visibleText(props.text);
  return (
    <>
      {parts.map((part, index) =>
        part.kind === 'text' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity beyond their place.
          <span key={index}>{part.text}</span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above.
          <mark key={index} className="hidden-character" title={`${part.codePoint} ${part.name}`}>
            {part.label}
          </mark>
        ),
      )}
    </>
  );
}

/** The warning line over a command with hidden characters; nothing for an ordinary command. */
export function HiddenCharactersWarning(props: { text: string }) {
  const warning = hiddenCharactersWarning(visibleText(props.text).hiddenCount);
  return warning === null ? null : (
    <p className="hidden-characters-warning" role="note">
      ⚠ {warning}
    </p>
  );
}

/**
 * Under an editable command: the warning and the command as it really reads, since a text box shows hidden
 * characters as nothing (and lets an override reorder what it shows).
 */
export function HiddenCharactersPreview(props: { text: string }) {
  if (visibleText(props.text).hiddenCount === 0) return null;
  return (
    <>
      <HiddenCharactersWarning text={props.text} />
      <pre className="hidden-characters-preview" dir="ltr">
        <VisibleCommandText text={props.text} />
      </pre>
    </>
  );
}
