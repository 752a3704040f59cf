import { type FormEvent, useId, useState } from 'react';
import { ApiRequestError } from '../api/api-request-error.ts';
import type { ConversationSettings } from '../api/client.ts';
import type { ConversationSettingsPatch } from '../api/conversation-settings.ts';
import type { ProviderList } from '../api/model-api.ts';
import {
  LIMIT_FIELDS,
  type LimitErrors,
  limitErrorFromServer,
  limitsDraft,
  parseLimitsDraft,
  sameLimits,
} from '../lib/limits-draft.ts';
import { baseUrlField, type ModelChoice, providerOptions } from '../lib/model-choice.ts';
import { LimitsFields, limitInputId } from './limits-fields.tsx';

/**
 * The conversation's model, workspace, startup script and sandbox limits, saved with one PATCH. A field left as
 * it was is not sent, so the server keeps choosing (first-run default, config defaults) for what the person never
 * set.
 */
export function ModelSettingsForm(props: {
  settings: ConversationSettings;
  startupScript: string;
  choice: ModelChoice;
  providers: ProviderList | null;
  /** `onRefused` answers true when the form shows the server's refusal beside a field (no toast then). */
  onSave: (patch: ConversationSettingsPatch, onRefused?: (error: unknown) => boolean) => Promise<boolean>;
  onCancel: () => void;
  onReloadProviders: () => void;
}) {
  const ids = useId();
  const { settings, choice } = props;
  const initialProvider = settings.provider ?? choice.provider;
  const [provider, setProvider] = useState(initialProvider);
  const [model, setModel] = useState(settings.model ?? choice.model ?? '');
  const [baseUrl, setBaseUrl] = useState(settings.baseUrl ?? '');
  const [temperature, setTemperature] = useState(settings.temperature?.toString() ?? '');
  const [maxOutputTokens, setMaxOutputTokens] = useState(settings.maxOutputTokens?.toString() ?? '');
  const [workspace, setWorkspace] = useState(settings.workspace ?? '');
  const [startupScript, setStartupScript] = useState(props.startupScript);
  const [testCommand, setTestCommand] = useState(settings.testCommand ?? '');
  const [autoCommit, setAutoCommit] = useState(settings.autoCommit ?? false);
  const [limits, setLimits] = useState(() => limitsDraft(settings.limits));
  const [limitErrors, setLimitErrors] = useState<LimitErrors>({});
  const [busy, setBusy] = useState(false);

  const options = providerOptions(props.providers, settings.provider);
  const option = options.find((candidate) => candidate.id === provider);
  const urlField = baseUrlField(option);
  const models = option?.status?.models ?? [];
  const human = option?.type === 'human';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsedLimits = parseLimitsDraft(limits);
    if (!parsedLimits.ok) {
      refuseLimits(parsedLimits.errors);
      return;
    }
    const patch: ConversationSettingsPatch = {};
    if (provider !== initialProvider) patch.provider = provider;
    if (!human && model.trim() !== '' && model.trim() !== settings.model) patch.model = model.trim();
    if (urlField !== 'none' && baseUrl.trim() !== '' && baseUrl.trim() !== settings.baseUrl)
      patch.baseUrl = baseUrl.trim();
    const parsedTemperature = Number.parseFloat(temperature);
    if (temperature.trim() !== '' && parsedTemperature !== settings.temperature)
      patch.temperature = parsedTemperature;
    const parsedMax = Number.parseInt(maxOutputTokens, 10);
    if (maxOutputTokens.trim() !== '' && parsedMax !== settings.maxOutputTokens)
      patch.maxOutputTokens = parsedMax;
    if (workspace.trim() !== '' && workspace.trim() !== settings.workspace)
      patch.workspace = workspace.trim();
    if (startupScript !== props.startupScript) patch.startupScript = startupScript;
    if (testCommand.trim() !== (settings.testCommand ?? '')) patch.testCommand = testCommand.trim();
    if (autoCommit !== (settings.autoCommit ?? false)) patch.autoCommit = autoCommit;
    // The setting replaces the limits as a whole, so it goes whole, and `{}` puts every limit back to its default.
    if (!sameLimits(parsedLimits.limits, settings.limits)) patch.limits = parsedLimits.limits;
    if (Object.keys(patch).length === 0) {
      props.onCancel();
      return;
    }
    setBusy(true);
    const saved = await props.onSave(patch, (error) => {
      const placed =
        error instanceof ApiRequestError ? limitErrorFromServer(error.field, error.message) : null;
      if (placed === null) return false;
      refuseLimits({ [placed.key]: placed.message });
      return true;
    });
    setBusy(false);
    if (saved) props.onCancel();
  };

  const refuseLimits = (errors: LimitErrors) => {
    setLimitErrors(errors);
    const first = LIMIT_FIELDS.find((field) => errors[field.key] !== undefined)?.key;
    // After React has shown the error, so the field is read with it.
    if (first !== undefined)
      requestAnimationFrame(() => document.getElementById(limitInputId(ids, first))?.focus());
  };

  return (
    <form
      className="settings-form"
      aria-label="Model and workspace settings"
      onSubmit={(event) => void submit(event)}
    >
      <div className="settings-form__grid">
        <label htmlFor={`${ids}-provider`}>Provider</label>
        <div className="settings-form__row">
          <select
            id={`${ids}-provider`}
            value={provider}
            onChange={(event) => setProvider(event.target.value)}
          >
            {options.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.label}
              </option>
            ))}
          </select>
          <button type="button" className="button button--small" onClick={props.onReloadProviders}>
            Check again
          </button>
        </div>
        {option?.status?.error ? (
          <p className="settings-form__hint settings-form__hint--error">{option.status.error}</p>
        ) : null}

        {human ? null : (
          <>
            <label htmlFor={`${ids}-model`}>Model</label>
            <div>
              <input
                id={`${ids}-model`}
                list={`${ids}-models`}
                value={model}
                placeholder={option?.type === 'llama-cpp' ? '/path/to/model.gguf' : 'model name'}
                onChange={(event) => setModel(event.target.value)}
                required={settings.model === undefined && models.length === 0 && option?.type !== 'ollama'}
              />
              <datalist id={`${ids}-models`}>
                {models.map((candidate) => (
                  <option key={candidate.id} value={candidate.id} />
                ))}
              </datalist>
              {models.length > 0 ? (
                <p className="settings-form__hint">
                  {models.length} offered by the server; any name can be typed.
                </p>
              ) : null}
            </div>
          </>
        )}

        {urlField === 'none' ? null : (
          <>
            <label htmlFor={`${ids}-base-url`}>Base URL</label>
            <input
              id={`${ids}-base-url`}
              type="url"
              value={baseUrl}
              placeholder={option?.status?.baseUrl ?? 'http://127.0.0.1:8080/v1'}
              required={urlField === 'required' && settings.baseUrl === undefined}
              onChange={(event) => setBaseUrl(event.target.value)}
            />
          </>
        )}

        {human ? null : (
          <>
            <label htmlFor={`${ids}-temperature`}>Temperature</label>
            <input
              id={`${ids}-temperature`}
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              placeholder="provider default"
              onChange={(event) => setTemperature(event.target.value)}
            />
            <label htmlFor={`${ids}-max-output`}>Max output tokens</label>
            <input
              id={`${ids}-max-output`}
              type="number"
              min={1}
              step={1}
              value={maxOutputTokens}
              placeholder="what the window leaves"
              onChange={(event) => setMaxOutputTokens(event.target.value)}
            />
          </>
        )}

        <label htmlFor={`${ids}-workspace`}>Workspace</label>
        <div>
          <input
            id={`${ids}-workspace`}
            value={workspace}
            placeholder="its own folder in the data dir"
            onChange={(event) => setWorkspace(event.target.value)}
          />
          <p className="settings-form__hint">
            An existing folder on this machine, e.g. your repository. Commands run there.
          </p>
        </div>

        <label htmlFor={`${ids}-startup`}>Startup script</label>
        <div>
          <textarea
            id={`${ids}-startup`}
            className="settings-form__script"
            value={startupScript}
            rows={3}
            spellCheck={false}
            placeholder="e.g. cd src && source .venv/bin/activate"
            onChange={(event) => setStartupScript(event.target.value)}
          />
          <p className="settings-form__hint">
            Runs in the shell whenever it starts, so a reopened conversation finds its terminal where it was.
          </p>
        </div>

        <label htmlFor={`${ids}-test-command`}>Test command</label>
        <div>
          <input
            id={`${ids}-test-command`}
            className="settings-form__command"
            value={testCommand}
            spellCheck={false}
            placeholder="e.g. npm test, pytest -q, cargo test"
            onChange={(event) => setTestCommand(event.target.value)}
          />
          <p className="settings-form__hint">
            Every run of this command, by the model or by you, is recorded as a test run: passed or failed,
            with its counts.
          </p>
        </div>

        <span aria-hidden="true" />
        <div>
          <label className="settings-form__check">
            <input
              type="checkbox"
              checked={autoCommit}
              onChange={(event) => setAutoCommit(event.target.checked)}
            />
            Auto-commit each step
          </label>
          <p className="settings-form__hint">
            When the workspace is a git repository: commit to it after each command or file edit.
          </p>
        </div>
      </div>
      <LimitsFields
        idPrefix={ids}
        draft={limits}
        errors={limitErrors}
        onChange={(key, text) => {
          setLimits((draft) => ({ ...draft, [key]: text }));
          setLimitErrors(({ [key]: _changed, ...rest }) => rest);
        }}
      />
      <div className="settings-form__buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          Save
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
