import { type ReactNode, useId } from 'react';

/** What a control inside a field needs so its label, hint and error are read with it. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

/**
 * One labelled control of the Settings page, with an optional hint under it and the server's or the page's
 * complaint about it right beside it.
 */
export function SettingsField(props: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** The config path (`providers.<key>.baseUrl`), so a refused save can move the keyboard here. */
  field: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint === undefined ? undefined : `${id}-hint`;
  const errorId = props.error === undefined ? undefined : `${id}-error`;
  const describedBy = [errorId, hintId].filter((part) => part !== undefined).join(' ') || undefined;
  return (
    <div
      className={`settings-field${props.error === undefined ? '' : ' has-error'}`}
      data-field={props.field}
    >
      <label className="settings-field__label" htmlFor={`${id}-control`}>
        {props.label}
      </label>
      {props.children({
        id: `${id}-control`,
        'aria-invalid': props.error === undefined ? undefined : true,
        'aria-describedby': describedBy,
      })}
      {props.error === undefined ? null : (
        <p className="settings-field__error" id={errorId}>
          {props.error}
        </p>
      )}
      {props.hint === undefined ? null : (
        <p className="settings-field__hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}
