import { describe, expect, it } from 'vitest';
import { createCoalescedLoader } from './coalesced-loader.ts';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('createCoalescedLoader', () => {
  it('turns requests during a load into exactly one more load, and drops the stale answer', async () => {
    const pending: Array<ReturnType<typeof deferred<number>>> = [];
    const loaded: number[] = [];
    const loader = createCoalescedLoader({
      load: () => {
        const next = deferred<number>();
        pending.push(next);
        return next.promise;
      },
      onLoaded: (value) => loaded.push(value),
      onError: () => {},
    });
    loader.request();
    loader.request();
    loader.request();
    expect(pending).toHaveLength(1);
    pending[0]!.resolve(1);
    await expect.poll(() => pending.length).toBe(2);
    pending[1]!.resolve(2);
    await expect.poll(() => loaded).toEqual([2]);
  });

  it('lets restart supersede a load in flight', async () => {
    const pending: Array<ReturnType<typeof deferred<string>>> = [];
    const loaded: string[] = [];
    const loader = createCoalescedLoader({
      load: () => {
        const next = deferred<string>();
        pending.push(next);
        return next.promise;
      },
      onLoaded: (value) => loaded.push(value),
      onError: () => {},
    });
    loader.restart();
    loader.restart();
    pending[1]!.resolve('new');
    pending[0]!.resolve('old');
    await expect.poll(() => loaded).toEqual(['new']);
    await Promise.resolve();
    expect(loaded).toEqual(['new']);
  });
});
