import { useEffect, useRef } from 'react';
import {
  OPENAI_COMPATIBLE_PRESETS,
  type OpenAICompatiblePreset,
  PROVIDER_TYPES,
  type ProviderType,
} from '../../../src/core/config.ts';
import type { ProviderStatus } from '../api/settings-api.ts';
import {
  type EditableField,
  FIELDS_BY_TYPE,
  keyEnvMoved,
  keyVariable,
  type ProviderDraft,
  savedKeyMoved,
} from '../lib/settings-draft.ts';
import { SettingsField } from './settings-field.tsx';

const BASE_URL_PLACEHOLDER: Partial<Record<ProviderType, string>> = {
  openai: 'https://api.openai.com/v1 (or OPENAI_BASE_URL)',
  anthropic: 'https://api.anthropic.com (or ANTHROPIC_BASE_URL)',
  'openai-compatible': 'http://127.0.0.1:8000/v1',
};

const MODEL_PLACEHOLDER: Partial<Record<ProviderType, string>> = {
  openai: 'gpt-4.1',
  anthropic: 'claude-sonnet-4-6',
  ollama: 'qwen3:8b',
  'openai-compatible': 'the name the server lists',
  'llama-cpp': '/models/model.gguf',
};

/** The fields of one provider; which appear depends on its type, as the config schema allows. */
export function ProviderSettingsEditor(props: {
  provider: ProviderDraft;
  status: ProviderStatus | undefined;
  /** Errors by field name within this provider (`baseUrl`, `id`, …). */
  errors: Partial<Record<EditableField | 'id', string>>;
  onChange: (next: ProviderDraft) => void;
  onDone: () => void;
}) {
  const { provider, errors } = props;
  const box = useRef<HTMLFieldSetElement | null>(null);
  // Opening the editor moves the keyboard to its first field, as a person who pressed Edit expects.
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, []);
  const fields = FIELDS_BY_TYPE[provider.type];
  const isNew = provider.savedId === null;
  const set = (change: Partial<ProviderDraft>) => props.onChange({ ...provider, ...change });
  const path = (name: string) => `providers.${provider.key}.${name}`;
  const variable = keyVariable(provider);
  const models = props.status?.models ?? [];

  return (
    <fieldset ref={box} className="provider-editor">
      <legend className="visually-hidden">Edit provider {provider.id}</legend>
      {isNew ? (
        <>
          <SettingsField
            label="Id"
            field={path('id')}
            error={errors.id}
            hint="Conversations name the provider by it. Lowercase letters, digits, “.”, “_”, “-”."
          >
            {(control) => (
              <input
                {...control}
                value={provider.id}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ id: event.target.value })}
              />
            )}
          </SettingsField>
          <SettingsField label="Type" field={path('type')}>
            {(control) => (
              <select
                {...control}
                value={provider.type}
                onChange={(event) => set({ type: event.target.value as ProviderType })}
              >
                {PROVIDER_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
            )}
          </SettingsField>
        </>
      ) : null}
      {fields.includes('preset') ? (
        <SettingsField
          label="Preset"
          field={path('preset')}
          error={errors.preset}
          hint="Fills in the server's usual address and key variable; a base URL below overrides it."
        >
          {(control) => (
            <select
              {...control}
              value={provider.preset}
              onChange={(event) => set({ preset: event.target.value as OpenAICompatiblePreset | '' })}
            >
              <option value="">none (give a base URL)</option>
              {OPENAI_COMPATIBLE_PRESETS.map((preset) => (
                <option key={preset} value={preset}>
                  {preset}
                </option>
              ))}
            </select>
          )}
        </SettingsField>
      ) : null}
      {fields.includes('baseUrl') ? (
        <SettingsField
          label="Base URL"
          field={path('baseUrl')}
          error={errors.baseUrl}
          hint={provider.type === 'openai-compatible' ? 'Up to and including /v1.' : 'Empty: the default.'}
        >
          {(control) => (
            <input
              {...control}
              type="url"
              value={provider.baseUrl}
              placeholder={
                provider.type === 'openai-compatible' && provider.preset !== ''
                  ? `the ${provider.preset} default`
                  : BASE_URL_PLACEHOLDER[provider.type]
              }
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => set({ baseUrl: event.target.value })}
            />
          )}
        </SettingsField>
      ) : null}
      {fields.includes('host') ? (
        <SettingsField
          label="Host"
          field={path('host')}
          error={errors.host}
          hint="Empty: OLLAMA_HOST, else the default."
        >
          {(control) => (
            <input
              {...control}
              type="url"
              value={provider.host}
              placeholder="http://127.0.0.1:11434"
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => set({ host: event.target.value })}
            />
          )}
        </SettingsField>
      ) : null}
      {fields.includes('defaultModel') ? (
        <SettingsField
          label="Default model"
          field={path('defaultModel')}
          error={errors.defaultModel}
          hint={
            models.length > 0
              ? `${models.length} offered by the server; any name can be typed.`
              : 'Used when a conversation names no model.'
          }
        >
          {(control) => (
            <>
              <input
                {...control}
                list={`${control.id}-models`}
                value={provider.defaultModel}
                placeholder={MODEL_PLACEHOLDER[provider.type]}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ defaultModel: event.target.value })}
              />
              <datalist id={`${control.id}-models`}>
                {models.map((model) => (
                  <option key={model.id} value={model.id} />
                ))}
              </datalist>
            </>
          )}
        </SettingsField>
      ) : null}
      {fields.includes('apiKey') ? (
        <SettingsField
          label="API key"
          field={path('apiKey')}
          error={errors.apiKey}
          hint={
            savedKeyMoved(provider)
              ? `The base URL changed, and the saved key was given for ${provider.keyBaseUrl || 'the old one'}: type the key again for the new address, or remove it.`
              : provider.hasApiKey
                ? `The config file holds a key${provider.keyBaseUrl === '' ? '' : ` for ${provider.keyBaseUrl}`}, sent nowhere else. Leave this empty to keep it.`
                : variable === null
                  ? 'Optional: most local servers need none.'
                  : `Optional: without one, ${variable} from the environment is used.`
          }
        >
          {(control) => (
            <input
              {...control}
              type="password"
              value={provider.apiKey}
              placeholder={
                savedKeyMoved(provider)
                  ? 'type the key for the new address'
                  : provider.hasApiKey
                    ? 'key set — type to replace'
                    : 'paste a key'
              }
              autoComplete="new-password"
              spellCheck={false}
              onChange={(event) => set({ apiKey: event.target.value })}
            />
          )}
        </SettingsField>
      ) : null}
      {fields.includes('apiKey') && provider.hasApiKey && provider.apiKey === '' ? (
        <label className="settings-check">
          <input
            type="checkbox"
            checked={provider.removeKey}
            onChange={(event) => set({ removeKey: event.target.checked })}
          />{' '}
          Remove the saved key on Save
          {variable === null ? '' : ` (then ${variable} from the environment is used)`}
        </label>
      ) : null}
      {fields.includes('apiKeyEnv') ? (
        <SettingsField
          label="Key variable"
          field={path('apiKeyEnv')}
          error={errors.apiKeyEnv}
          hint="The environment variable to read the key from, when the file holds none."
        >
          {(control) => (
            <input
              {...control}
              value={provider.apiKeyEnv}
              placeholder={variable ?? 'e.g. WORK_OPENAI_KEY'}
              autoComplete="off"
              spellCheck={false}
              onChange={(event) => set({ apiKeyEnv: event.target.value })}
            />
          )}
        </SettingsField>
      ) : null}
      {fields.includes('apiKeyEnv') && keyEnvMoved(provider) ? (
        <label className="settings-check">
          <input
            type="checkbox"
            checked={provider.rebindKeyEnv}
            onChange={(event) => set({ rebindKeyEnv: event.target.checked })}
          />{' '}
          Send {provider.apiKeyEnv.trim()} to the new base URL (it was named for{' '}
          {provider.keyBaseUrl || 'the old one'})
        </label>
      ) : null}
      {fields.length === 0 && !isNew ? (
        <p className="settings-field__hint">Nothing to set: you write the assistant's turns yourself.</p>
      ) : null}
      <div className="provider-editor__buttons">
        <span className="settings-field__hint">Written to the file when you press Save.</span>
        <button type="button" className="button button--small" onClick={props.onDone}>
          Done
        </button>
      </div>
    </fieldset>
  );
}
