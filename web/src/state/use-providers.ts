import { useCallback, useEffect, useState } from 'react';
import { modelApi, type ProviderList } from '../api/model-api.ts';
import { useToasts } from './toasts.tsx';

export interface Providers {
  list: ProviderList | null;
  reload: () => void;
}

/** GET /api/providers once (the server asks each provider, which can take a moment), again on request. */
export function useProviders(): Providers {
  const { reportError } = useToasts();
  const [list, setList] = useState<ProviderList | null>(null);
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the reload trigger.
  useEffect(() => {
    let current = true;
    modelApi.providers().then(
      (answer) => {
        if (current) setList(answer);
      },
      (error: unknown) => {
        if (current) reportError(error);
      },
    );
    return () => {
      current = false;
    };
  }, [version, reportError]);
  const reload = useCallback(() => setVersion((value) => value + 1), []);
  return { list, reload };
}
