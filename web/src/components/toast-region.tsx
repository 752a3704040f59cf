import { useToastList, useToasts } from '../state/toasts.tsx';

/** Notices with an optional action (Undo). A polite live region, so a screen reader hears them too. */
export function ToastRegion() {
  const toasts = useToastList();
  const { dismiss } = useToasts();
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast--${toast.tone}`}
          role={toast.tone === 'error' ? 'alert' : 'status'}
        >
          <span className="toast__text">{toast.text}</span>
          {toast.action ? (
            <button
              type="button"
              className="button button--small toast__action"
              onClick={() => {
                dismiss(toast.id);
                toast.action?.run();
              }}
            >
              {toast.action.label}
            </button>
          ) : null}
          <button
            type="button"
            className="toast__close"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
