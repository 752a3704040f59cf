import {
  LIMIT_FIELDS,
  type LimitErrors,
  type LimitKey,
  type LimitsDraft,
  limitPlaceholder,
} from '../lib/limits-draft.ts';

/** The id of a limit's input, so the form can take the keyboard to the first one it refuses. */
export function limitInputId(idPrefix: string, key: LimitKey): string {
  return `${idPrefix}-limit-${key}`;
}

/**
 * What this conversation's sandbox may take of the machine (issue 7 item 6): one number per limit with its unit,
 * empty for the default the placeholder names, and the page's or the server's complaint right beside it.
 */
export function LimitsFields(props: {
  idPrefix: string;
  draft: LimitsDraft;
  errors: LimitErrors;
  onChange: (key: LimitKey, text: string) => void;
}) {
  return (
    <fieldset className="limits-fields">
      <legend>Sandbox limits</legend>
      <p className="limits-fields__intro">
        Enforced for bwrap and Docker, not on the host: by the kernel, and the disk by the server watching it.
        Leave a field empty for the default.
      </p>
      <div className="limits-fields__grid">
        {LIMIT_FIELDS.map((field) => {
          const id = limitInputId(props.idPrefix, field.key);
          const error = props.errors[field.key];
          return (
            <div key={field.key} className={`limits-field${error === undefined ? '' : ' has-error'}`}>
              <label htmlFor={id}>
                {field.label} <span className="visually-hidden">in {field.unit}</span>
              </label>
              <span className="limits-field__control">
                {/* step "any" and no min/max: the schema, not the browser's bubble, says what is wrong, beside the field. */}
                <input
                  id={id}
                  type="number"
                  step="any"
                  inputMode={field.step === 1 ? 'numeric' : 'decimal'}
                  value={props.draft[field.key]}
                  placeholder={limitPlaceholder(field.key)}
                  aria-invalid={error === undefined ? undefined : true}
                  aria-describedby={`${error === undefined ? '' : `${id}-error `}${id}-hint`}
                  onChange={(event) => props.onChange(field.key, event.target.value)}
                />
                <span className="limits-field__unit" aria-hidden="true">
                  {field.unit}
                </span>
              </span>
              {error === undefined ? null : (
                <p className="limits-field__error" id={`${id}-error`}>
                  {error}
                </p>
              )}
              <p className="limits-field__hint" id={`${id}-hint`}>
                {field.hint}
              </p>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
