/**
 * Runs a load at most once at a time. A request for another load while one is in flight marks it stale, and
 * one more load follows; so a burst of live events costs two requests, and the last answer reflects every
 * change that was announced before it started.
 */
export interface CoalescedLoader {
  /** Load now, dropping whatever an earlier load would answer (the target changed). */
  restart(): void;
  /** Load again soon: now, or right after the load in flight. */
  request(): void;
  /** A local change happened: the answer of a load in flight may predate it. */
  invalidate(): void;
  dispose(): void;
}

export function createCoalescedLoader<T>(options: {
  load: () => Promise<T>;
  onLoaded: (value: T) => void;
  onError: (error: unknown) => void;
}): CoalescedLoader {
  let generation = 0;
  let inFlight = false;
  let stale = false;
  let disposed = false;

  const run = () => {
    const mine = ++generation;
    inFlight = true;
    stale = false;
    options
      .load()
      .then(
        (value) => {
          if (mine === generation && !disposed && !stale) options.onLoaded(value);
        },
        (error: unknown) => {
          if (mine === generation && !disposed) options.onError(error);
        },
      )
      .finally(() => {
        if (mine !== generation || disposed) return;
        inFlight = false;
        if (stale) run();
      });
  };

  return {
    restart: run,
    request() {
      if (inFlight) stale = true;
      else run();
    },
    invalidate() {
      if (inFlight) stale = true;
    },
    dispose() {
      disposed = true;
    },
  };
}
