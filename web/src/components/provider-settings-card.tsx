import { useRef } from 'react';
import type { ProviderStatus } from '../api/settings-api.ts';
import {
  type EditableField,
  type FieldError,
  keyVariable,
  type ProviderDraft,
} from '../lib/settings-draft.ts';
import { ProviderSettingsEditor } from './provider-settings-editor.tsx';

/** How many model names the summary lists before “and N more”. */
const MODELS_SHOWN = 3;

/** One configured provider: what it is, whether it answers, its key status; Edit opens its fields in place. */
export function ProviderSettingsCard(props: {
  provider: ProviderDraft;
  status: ProviderStatus | undefined;
  checking: boolean;
  environmentKeys: Record<string, boolean>;
  errors: FieldError[];
  editing: boolean;
  onEdit: () => void;
  onDone: () => void;
  onChange: (next: ProviderDraft) => void;
  onRemove: () => void;
}) {
  const { provider } = props;
  const editButton = useRef<HTMLButtonElement | null>(null);
  const prefix = `providers.${provider.key}`;
  const fieldErrors: Partial<Record<EditableField | 'id', string>> = {};
  const cardErrors: string[] = [];
  for (const error of props.errors) {
    if (error.field === prefix) cardErrors.push(error.message);
    else fieldErrors[error.field.slice(prefix.length + 1) as EditableField] = error.message;
  }
  const { editing } = props;
  const title = provider.id.trim() === '' ? 'New provider' : provider.id;
  const where = provider.type === 'ollama' ? provider.host : provider.baseUrl;

  return (
    <li className={`provider-card${editing ? ' is-editing' : ''}`} aria-label={`Provider ${title}`}>
      <div className="provider-card__head">
        <h3 className="provider-card__id">{title}</h3>
        <span className="badge badge--muted">
          {provider.type}
          {provider.preset === '' ? '' : ` · ${provider.preset}`}
        </span>
        <ProviderAnswer provider={provider} status={props.status} checking={props.checking} />
        <span className="provider-card__actions">
          {editing ? null : (
            <button ref={editButton} type="button" className="button button--small" onClick={props.onEdit}>
              Edit<span className="visually-hidden"> {title}</span>
            </button>
          )}
          <button type="button" className="button button--small button--danger" onClick={props.onRemove}>
            Remove<span className="visually-hidden"> {title}</span>
          </button>
        </span>
      </div>
      {/* While editing, the fields below say the same thing; the summary would only repeat them. */}
      <dl className="provider-card__facts" hidden={editing}>
        {provider.type === 'human' || provider.type === 'llama-cpp' ? null : (
          <div>
            <dt>{provider.type === 'ollama' ? 'Host' : 'Base URL'}</dt>
            <dd>
              {where !== '' ? (
                <code>{where}</code>
              ) : props.status?.baseUrl ? (
                <span>
                  default (<code>{props.status.baseUrl}</code>)
                </span>
              ) : (
                'default'
              )}
            </dd>
          </div>
        )}
        {provider.type === 'human' ? null : (
          <div>
            <dt>Default model</dt>
            <dd>{provider.defaultModel === '' ? 'none' : <code>{provider.defaultModel}</code>}</dd>
          </div>
        )}
        {['openai', 'anthropic', 'openai-compatible'].includes(provider.type) ? (
          <div>
            <dt>Key</dt>
            <dd>
              <KeyStatus provider={provider} environmentKeys={props.environmentKeys} />
            </dd>
          </div>
        ) : null}
      </dl>
      {cardErrors.map((message) => (
        <p key={message} className="settings-field__error">
          {message}
        </p>
      ))}
      {editing ? (
        <ProviderSettingsEditor
          provider={provider}
          status={props.status}
          errors={fieldErrors}
          onChange={props.onChange}
          onDone={() => {
            props.onDone();
            // The Edit button comes back after this render; give it the keyboard then.
            requestAnimationFrame(() => editButton.current?.focus());
          }}
        />
      ) : null}
    </li>
  );
}

function ProviderAnswer(props: {
  provider: ProviderDraft;
  status: ProviderStatus | undefined;
  checking: boolean;
}) {
  if (props.provider.savedId === null) return <span className="provider-card__answer">not saved yet</span>;
  if (props.checking) return <span className="provider-card__answer">checking…</span>;
  const { status } = props;
  if (status === undefined) return null;
  if (!status.available) {
    return (
      <span className="provider-card__answer is-down" title={status.error}>
        <span aria-hidden="true">✗ </span>does not answer{status.error ? `: ${status.error}` : ''}
      </span>
    );
  }
  const names = status.models.slice(0, MODELS_SHOWN).map((model) => model.id);
  const more = status.models.length - names.length;
  return (
    <span className="provider-card__answer is-up">
      <span aria-hidden="true">✓ </span>answers
      {names.length > 0
        ? ` · ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
        : ' · no models listed'}
    </span>
  );
}

function KeyStatus(props: { provider: ProviderDraft; environmentKeys: Record<string, boolean> }) {
  const { provider } = props;
  if (provider.apiKey !== '') return <>new key, written on Save</>;
  if (provider.hasApiKey && provider.removeKey) return <>saved key removed on Save</>;
  if (provider.hasApiKey) return <>key set in the config file</>;
  const variable = keyVariable(provider);
  if (variable === null) return <>none</>;
  const set = props.environmentKeys[variable];
  return (
    <>
      from <code>{variable}</code>
      {set === undefined ? '' : set ? ' (set)' : ' (not set)'}
    </>
  );
}
