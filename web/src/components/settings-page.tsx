import { type FormEvent, useEffect, useRef } from 'react';
import { type SaveState, useSettingsForm } from '../state/use-settings-form.ts';
import { ProviderSettingsList } from './provider-settings-list.tsx';
import { SettingsAccounts } from './settings-accounts.tsx';
import { SettingsDefaults } from './settings-defaults.tsx';
import { SettingsEnvironment } from './settings-environment.tsx';

/**
 * Issue 3's Settings page: the config file's providers and defaults, saved as a whole with one PUT. Keys go
 * one way only: typed here, written to the file, never shown again.
 */
export function SettingsPage(props: {
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
  /** The rest of the UI holds its own provider list; a save changes it. */
  onSaved: () => void;
}) {
  const form = useSettingsForm(props.onSaved);
  const page = useRef<HTMLDivElement | null>(null);
  const { draft, settings, dirty, errors } = form;

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  // After a refused save, take the keyboard to the first field that says why (its editor opens first).
  useEffect(() => {
    if (errors.length === 0) return;
    const frame = requestAnimationFrame(() => {
      page.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [errors]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.save();
  };

  return (
    <div ref={page} className="workspace settings-page">
      <header className="top-bar">
        <button
          type="button"
          className="button button--ghost top-bar__menu"
          aria-label={props.sidebarOpen ? 'Hide conversations' : 'Show conversations'}
          aria-expanded={props.sidebarOpen}
          aria-controls="sidebar"
          onClick={props.onToggleSidebar}
        >
          ☰
        </button>
        <h1 id="settings-title" className="top-bar__title settings-page__title">
          Settings
        </h1>
        <a className="button button--ghost" href="#/">
          Back to conversations
        </a>
      </header>
      <main className="workspace__main" aria-labelledby="settings-title">
        {form.loadError !== null ? (
          <div className="placeholder">
            <p>The settings could not be read: {form.loadError}</p>
            <button type="button" className="button" onClick={form.reload}>
              Try again
            </button>
          </div>
        ) : draft === null || settings === null ? (
          <div className="placeholder muted">Loading…</div>
        ) : (
          <form className="settings-page__form" noValidate onSubmit={submit}>
            <div className="settings-page__body">
              <SettingsEnvironment settings={settings} />
              <ProviderSettingsList
                providers={draft.providers}
                statuses={form.providers}
                environmentKeys={settings.environmentKeys}
                errors={errors}
                onChange={(providers) => form.update((current) => ({ ...current, providers }))}
                onCheckAgain={form.checkProviders}
              />
              <SettingsDefaults
                defaults={draft.defaults}
                providers={draft.providers}
                statuses={form.providers}
                errors={errors}
                onChange={(defaults) => form.update((current) => ({ ...current, defaults }))}
              />
              <SettingsAccounts />
              {errors.some((error) => error.field === '') ? (
                <p className="settings-field__error">{errors.find((error) => error.field === '')?.message}</p>
              ) : null}
            </div>
            <div className="settings-page__save">
              <SaveStatus state={form.saveState} dirty={dirty} />
              {dirty ? (
                <button type="button" className="button" onClick={form.reload}>
                  Discard changes
                </button>
              ) : null}
              <button
                type="submit"
                className="button button--primary"
                disabled={form.saveState.kind === 'saving'}
              >
                {form.saveState.kind === 'saving' ? 'Saving…' : 'Save'}
              </button>
            </div>
          </form>
        )}
      </main>
    </div>
  );
}

function SaveStatus(props: { state: SaveState; dirty: boolean }) {
  const { state } = props;
  const text =
    state.kind === 'refused'
      ? state.message
      : state.kind === 'saved' && !props.dirty
        ? 'Saved. New turns use these settings.'
        : props.dirty
          ? 'Unsaved changes.'
          : '';
  return (
    <p className={`settings-page__status${state.kind === 'refused' ? ' is-refused' : ''}`} role="status">
      {text}
    </p>
  );
}
