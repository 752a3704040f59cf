/**
 * The account a stored action is done for (issue 10 item 3: "every stored action carries the account that did
 * it"), carried with the async work of a request instead of through every signature between the route and the
 * row. The server runs each route's handler inside `actingAs`; repositories read `currentAccountId()` when they
 * insert a row or record a decision. Work a request starts keeps its account after the answer is sent (a model
 * turn that streams on, a queued command, the loop's next turn): AsyncLocalStorage follows every promise and
 * timer created inside the handler.
 *
 * Long-lived things created during one request and reused by others (a conversation's shell, its output
 * callbacks) must not stamp rows from their own callbacks: what they report is written by the awaiting
 * request's code, whose context is the request's own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const acting = new AsyncLocalStorage<string | null>();

/**
 * Runs `action` as `accountId` (null: no account, as in single-token mode).
 *
 * @example
 * await actingAs(actor.kind === 'account' ? actor.account.id : null, () => workbench.appendMessage(id, input));
 */
export function actingAs<T>(accountId: string | null, action: () => T): T {
  return acting.run(accountId, action);
}

/** The account the current work is done for; null in single-token mode, at start-up and in tests. */
export function currentAccountId(): string | null {
  return acting.getStore() ?? null;
}

/**
 * Runs `action` outside any request's account: for something created now that outlives the request and
 * serves others later (a shell session, a background batch), so nothing it does is stamped with the account
 * that happened to create it.
 */
export function outsideAnyAccount<T>(action: () => T): T {
  return acting.exit(action);
}
