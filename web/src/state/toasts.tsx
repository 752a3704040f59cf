import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import { ApiRequestError } from '../api/api-request-error.ts';

export interface ToastAction {
  label: string;
  run: () => void;
}

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
  action?: ToastAction;
}

interface ToastApi {
  show(toast: Omit<Toast, 'id'>): void;
  dismiss(id: number): void;
  reportError(error: unknown): void;
}

const ToastContext = createContext<ToastApi | null>(null);
const ToastListContext = createContext<Toast[]>([]);

/** Long enough to reach an Undo button with the keyboard; errors stay until read. */
const INFO_TOAST_MS = 10_000;
const MAX_TOASTS = 4;

export function ToastProvider(props: { children: ReactNode; onUnauthorized: () => void }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const onUnauthorized = useRef(props.onUnauthorized);
  onUnauthorized.current = props.onUnauthorized;

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = nextId.current++;
      setToasts((all) => [...all, { ...toast, id }].slice(-MAX_TOASTS));
      if (toast.tone === 'info') setTimeout(() => dismiss(id), INFO_TOAST_MS);
    },
    [dismiss],
  );
  const reportError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiRequestError && error.isUnauthorized) {
        onUnauthorized.current();
        return;
      }
      const text = error instanceof Error ? error.message : String(error);
      console.error(error);
      show({ text, tone: 'error' });
    },
    [show],
  );
  const api = useMemo(() => ({ show, dismiss, reportError }), [show, dismiss, reportError]);
  return (
    <ToastContext value={api}>
      <ToastListContext value={toasts}>{props.children}</ToastListContext>
    </ToastContext>
  );
}

export function useToasts(): ToastApi {
  const api = useContext(ToastContext);
  if (api === null) throw new Error('useToasts needs a ToastProvider above it');
  return api;
}

export function useToastList(): Toast[] {
  return useContext(ToastListContext);
}
