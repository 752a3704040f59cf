import type { ProviderList, ProviderStatus } from '../api/settings-api.ts';
import type { DefaultsDraft, FieldError, ProviderDraft } from '../lib/settings-draft.ts';
import { SettingsField } from './settings-field.tsx';

interface ProviderOption {
  id: string;
  text: string;
  status: ProviderStatus | undefined;
}

/**
 * The provider, model and sampling a conversation gets when it names none. The picker lists what
 * `/api/providers` reports (with whether each answers) and the providers added here but not saved yet.
 */
export function SettingsDefaults(props: {
  defaults: DefaultsDraft;
  providers: ProviderDraft[];
  statuses: ProviderList | null;
  errors: FieldError[];
  onChange: (defaults: DefaultsDraft) => void;
}) {
  const { defaults, statuses } = props;
  const set = (change: Partial<DefaultsDraft>) => props.onChange({ ...defaults, ...change });
  const errorFor = (field: keyof DefaultsDraft) =>
    props.errors.find((error) => error.field === `defaults.${field}`)?.message;
  const options = providerOptions(props.providers, statuses, defaults.provider);
  const chosen = options.find((option) => option.id === defaults.provider);
  const models = chosen?.status?.models ?? [];

  return (
    <section className="settings-section" aria-labelledby="settings-defaults-title">
      <h2 id="settings-defaults-title" className="settings-section__title">
        Defaults for new turns
      </h2>
      <p className="settings-section__text">
        Used when a conversation has not chosen its own provider, model or sampling.
      </p>
      {statuses?.banner ? <p className="settings-banner">{statuses.banner}</p> : null}
      <div className="settings-grid">
        <SettingsField
          label="Provider"
          field="defaults.provider"
          error={errorFor('provider')}
          hint={<ChosenStatus option={chosen} checking={statuses === null} automatic={statuses?.defaults} />}
        >
          {(control) => (
            <select
              {...control}
              value={defaults.provider}
              onChange={(event) => set({ provider: event.target.value })}
            >
              <option value="">Automatic (first-run choice)</option>
              {options.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.text}
                </option>
              ))}
            </select>
          )}
        </SettingsField>
        <SettingsField
          label="Model"
          field="defaults.model"
          error={errorFor('model')}
          hint={
            models.length > 0
              ? `${models.length} offered by ${chosen?.id}; any name can be typed.`
              : 'Empty: the provider’s default model.'
          }
        >
          {(control) => (
            <>
              <input
                {...control}
                list={`${control.id}-models`}
                value={defaults.model}
                placeholder="the provider’s default"
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => set({ model: event.target.value })}
              />
              <datalist id={`${control.id}-models`}>
                {models.map((model) => (
                  <option key={model.id} value={model.id} />
                ))}
              </datalist>
            </>
          )}
        </SettingsField>
        <SettingsField
          label="Temperature"
          field="defaults.temperature"
          error={errorFor('temperature')}
          hint="0 to 2; empty: the provider’s default."
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="decimal"
              min={0}
              max={2}
              step={0.1}
              value={defaults.temperature}
              placeholder="provider default"
              onChange={(event) => set({ temperature: event.target.value })}
            />
          )}
        </SettingsField>
        <SettingsField
          label="Max output tokens"
          field="defaults.maxOutputTokens"
          error={errorFor('maxOutputTokens')}
          hint="Empty: the model’s own limit."
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              step={1}
              value={defaults.maxOutputTokens}
              placeholder="model limit"
              onChange={(event) => set({ maxOutputTokens: event.target.value })}
            />
          )}
        </SettingsField>
      </div>
    </section>
  );
}

function providerOptions(
  drafts: ProviderDraft[],
  statuses: ProviderList | null,
  current: string,
): ProviderOption[] {
  const options: ProviderOption[] = (statuses?.providers ?? []).map((status) => ({
    id: status.id,
    text: `${status.id} — ${optionState(status)}`,
    status,
  }));
  const listed = new Set(options.map((option) => option.id));
  for (const draft of drafts) {
    const id = draft.id.trim();
    if (id === '' || listed.has(id)) continue;
    listed.add(id);
    options.push({ id, text: `${id} — not saved yet`, status: undefined });
  }
  // A default naming a provider that no longer exists stays visible, so it can be seen and changed.
  if (current !== '' && !listed.has(current))
    options.push({ id: current, text: `${current} — not configured`, status: undefined });
  return options;
}

function optionState(status: ProviderStatus): string {
  if (status.type === 'human') return 'you write the turns';
  if (!status.available) return 'does not answer';
  const count = status.models.length;
  return count === 0 ? 'answers' : `answers, ${count} model${count === 1 ? '' : 's'}`;
}

function ChosenStatus(props: {
  option: ProviderOption | undefined;
  checking: boolean;
  automatic: ProviderList['defaults'] | undefined;
}) {
  if (props.checking) return <>Asking each provider whether it answers…</>;
  if (props.option === undefined) {
    const now = props.automatic;
    return now === undefined ? null : (
      <>
        Now: {now.provider}
        {now.model === null ? '' : `, ${now.model}`}.
      </>
    );
  }
  const { status } = props.option;
  if (status === undefined) return <>Save to check whether it answers.</>;
  if (status.type === 'human') return <>{status.label}.</>;
  if (!status.available)
    return (
      <>
        {status.label}: ✗ does not answer{status.error ? `: ${status.error}` : ''}
      </>
    );
  const names = status.models.map((model) => model.id);
  return (
    <>
      {status.label}: ✓ answers
      {names.length > 0 ? ` · ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}` : ''}
    </>
  );
}
