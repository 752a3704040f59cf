import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiRequestError } from '../api/api-request-error.ts';
import { type ProviderList, type Settings, settingsApi } from '../api/settings-api.ts';
import {
  checkDraft,
  configFromDraft,
  draftFromSettings,
  type FieldError,
  placeServerError,
  type SettingsDraft,
} from '../lib/settings-draft.ts';
import { useToasts } from './toasts.tsx';

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'refused'; message: string };

export interface SettingsForm {
  settings: Settings | null;
  loadError: string | null;
  draft: SettingsDraft | null;
  update: (change: (draft: SettingsDraft) => SettingsDraft) => void;
  dirty: boolean;
  errors: FieldError[];
  save: () => Promise<void>;
  saveState: SaveState;
  /** `null` while the server asks each provider (up to a few seconds for one that does not answer). */
  providers: ProviderList | null;
  checkProviders: () => void;
  reload: () => void;
}

/**
 * The Settings page's state: the saved settings, the person's draft of them, the provider list, and Save.
 * Save PUTs the whole draft; a refusal names one field, which is placed next to that field.
 */
export function useSettingsForm(onSaved: () => void): SettingsForm {
  const { reportError } = useToasts();
  const savedListener = useRef(onSaved);
  savedListener.current = onSaved;
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [providers, setProviders] = useState<ProviderList | null>(null);
  const [loadVersion, setLoadVersion] = useState(0);
  const providersRequest = useRef(0);

  const checkProviders = useCallback(() => {
    const request = ++providersRequest.current;
    setProviders(null);
    settingsApi.providers().then(
      (list) => {
        if (request === providersRequest.current) setProviders(list);
      },
      (error: unknown) => {
        if (request === providersRequest.current) reportError(error);
      },
    );
  }, [reportError]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `loadVersion` is the reload trigger.
  useEffect(() => {
    let current = true;
    setLoadError(null);
    settingsApi.get().then(
      (loaded) => {
        if (!current) return;
        setSettings(loaded);
        setDraft(draftFromSettings(loaded));
        setErrors([]);
        setSaveState({ kind: 'idle' });
      },
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ApiRequestError && error.isUnauthorized) reportError(error);
        else setLoadError(error instanceof Error ? error.message : String(error));
      },
    );
    checkProviders();
    return () => {
      current = false;
    };
  }, [loadVersion, checkProviders, reportError]);

  const savedConfig = useMemo(
    () => (settings === null ? '' : JSON.stringify(configFromDraft(draftFromSettings(settings)))),
    [settings],
  );
  const dirty = draft !== null && JSON.stringify(configFromDraft(draft)) !== savedConfig;

  const update = useCallback((change: (draft: SettingsDraft) => SettingsDraft) => {
    setDraft((current) => (current === null ? current : change(current)));
    setSaveState((state) => (state.kind === 'saved' ? { kind: 'idle' } : state));
  }, []);

  const save = useCallback(async () => {
    if (draft === null) return;
    const problems = checkDraft(draft);
    setErrors(problems);
    if (problems.length > 0) {
      setSaveState({ kind: 'refused', message: 'Not saved: fix the marked fields.' });
      return;
    }
    setSaveState({ kind: 'saving' });
    try {
      const saved = await settingsApi.save(configFromDraft(draft));
      setSettings(saved);
      setDraft(draftFromSettings(saved));
      setSaveState({ kind: 'saved' });
      checkProviders();
      savedListener.current();
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 400) {
        const placed = placeServerError(draft, { field: error.field ?? '', message: error.message });
        setErrors([placed]);
        setSaveState({ kind: 'refused', message: `Not saved: ${error.message}` });
      } else {
        setSaveState({ kind: 'idle' });
        reportError(error);
      }
    }
  }, [draft, checkProviders, reportError]);

  const reload = useCallback(() => setLoadVersion((value) => value + 1), []);

  return {
    settings,
    loadError,
    draft,
    update,
    dirty,
    errors,
    save,
    saveState,
    providers,
    checkProviders,
    reload,
  };
}
