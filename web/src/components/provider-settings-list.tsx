import { useEffect, useRef, useState } from 'react';
import type { ProviderList } from '../api/settings-api.ts';
import { type FieldError, newProviderDraft, type ProviderDraft } from '../lib/settings-draft.ts';
import { ProviderSettingsCard } from './provider-settings-card.tsx';

/** The config file's providers, each editable in place; nothing is written until the page's Save. */
export function ProviderSettingsList(props: {
  providers: ProviderDraft[];
  statuses: ProviderList | null;
  environmentKeys: Record<string, boolean>;
  errors: FieldError[];
  onChange: (providers: ProviderDraft[]) => void;
  onCheckAgain: () => void;
}) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const addButton = useRef<HTMLButtonElement | null>(null);
  const { errors } = props;

  // A refused save must not hide its reason inside a closed card.
  useEffect(() => {
    const keys = errors
      .map((error) => /^providers\.([^.]+)/.exec(error.field)?.[1])
      .filter((key) => key !== undefined);
    if (keys.length > 0) setOpen((current) => new Set([...current, ...keys]));
  }, [errors]);

  const toggle = (key: string, value: boolean) =>
    setOpen((current) => {
      const next = new Set(current);
      if (value) next.add(key);
      else next.delete(key);
      return next;
    });
  const add = () => {
    const draft = newProviderDraft(
      'openai-compatible',
      props.providers.map((provider) => provider.id.trim()),
    );
    props.onChange([...props.providers, draft]);
    toggle(draft.key, true);
  };
  const remove = (key: string) => {
    props.onChange(props.providers.filter((provider) => provider.key !== key));
    addButton.current?.focus();
  };

  return (
    <section className="settings-section" aria-labelledby="settings-providers-title">
      <div className="settings-section__head">
        <h2 id="settings-providers-title" className="settings-section__title">
          Providers
        </h2>
        <button
          type="button"
          className="button button--small"
          onClick={props.onCheckAgain}
          disabled={props.statuses === null}
        >
          Check again
        </button>
      </div>
      <p className="settings-section__text">
        The built-in providers (<code>openai</code>, <code>anthropic</code>, <code>ollama</code>,{' '}
        <code>llama-cpp</code>, <code>human</code>) work without an entry; add one under the same id to tune
        it, or an OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio, OpenRouter) under an id of
        your own.
      </p>
      {props.providers.length === 0 ? (
        <p className="settings-section__empty">No providers in the config file yet.</p>
      ) : (
        <ul className="provider-cards" aria-label="Configured providers">
          {props.providers.map((provider) => (
            <ProviderSettingsCard
              key={provider.key}
              provider={provider}
              status={props.statuses?.providers.find((status) => status.id === provider.savedId)}
              checking={props.statuses === null}
              environmentKeys={props.environmentKeys}
              errors={errors.filter(
                (error) =>
                  error.field === `providers.${provider.key}` ||
                  error.field.startsWith(`providers.${provider.key}.`),
              )}
              editing={open.has(provider.key)}
              onEdit={() => toggle(provider.key, true)}
              onDone={() => toggle(provider.key, false)}
              onChange={(next) =>
                props.onChange(
                  props.providers.map((candidate) => (candidate.key === provider.key ? next : candidate)),
                )
              }
              onRemove={() => remove(provider.key)}
            />
          ))}
        </ul>
      )}
      <button ref={addButton} type="button" className="button" onClick={add}>
        + Add provider
      </button>
    </section>
  );
}
