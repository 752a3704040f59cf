/**
 * One server process's own connection to a shared PostgreSQL database (issue 10 item 4), beside the store's
 * pool: it LISTENs for the other processes' live events and sends this one's (NOTIFY), and it holds this
 * process's session advisory locks: that it is alive (start-up recovery in another process leaves alone the
 * work of a process whose lock is held) and which conversations' shells run here.
 *
 * A dedicated connection, not the pool's: LISTEN and session locks belong to one session, which the pool
 * would hand to other queries and could close when idle. Its `application_name` names this process (host,
 * pid, port), so another process refused a conversation's shell can say which server holds it.
 *
 * When the connection drops (a server restart, pg_terminate_backend, a network cut) PostgreSQL has released
 * its locks and forgotten its LISTEN: it reconnects with backoff, listens again, takes its locks again, and
 * says which of them another session took meanwhile (`onReconnected`), since notifications sent while it was
 * down are lost and the caller must make its clients refetch.
 */
import pg from 'pg';
import { AppError } from '../../core/errors.ts';
import type { PostgresLocation } from './database-url.ts';
import { sslOptions } from './postgres-engine.ts';
import { classifyConnectError, serverName } from './postgres-errors.ts';

/** The link is down between a drop and its reconnection: what needs it waits a moment and tries again. */
export class ProcessLinkDownError extends AppError {
  readonly isRetryable = true;
  constructor(location: PostgresLocation) {
    super(
      'database_unavailable',
      `the connection to PostgreSQL at ${serverName(location)} dropped and is being reopened; try again in a moment`,
    );
    this.name = 'ProcessLinkDownError';
  }
}

export interface ProcessLinkOptions {
  location: PostgresLocation;
  /** This process as other sessions see it (`pg_stat_activity.application_name`, at most 63 bytes). */
  applicationName: string;
  /** The channel live events travel on (LISTENed to and notified on). */
  channel: string;
  onNotification(payload: string): void;
  /** Back after a drop, listening again; `lostLocks` are the locks it held that another session took since. */
  onReconnected(lostLocks: string[]): void;
  /** A drop or a failed reconnection attempt (for the log). */
  onError?(error: Error): void;
  /** Waits between reconnection attempts: the first, doubled up to the last (default 100 ms to 5 s). */
  reconnectMs?: { first: number; max: number };
}

export class PostgresProcessLink {
  readonly #options: ProcessLinkOptions;
  /** Advisory locks held (by name); taken again after a reconnection. */
  readonly #locks = new Set<string>();
  /** Clients whose connection dropped, maybe before they were handed out. */
  readonly #dead = new WeakSet<pg.Client>();
  #client: pg.Client | null = null;
  #applicationName: string;
  #closed = false;
  #retryMs: number;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(options: ProcessLinkOptions) {
    this.#options = options;
    this.#applicationName = options.applicationName;
    this.#retryMs = options.reconnectMs?.first ?? 100;
  }

  /** Connects and listens; a database that cannot be reached fails here with postgres-errors.ts's error. */
  static async open(options: ProcessLinkOptions): Promise<PostgresProcessLink> {
    const link = new PostgresProcessLink(options);
    try {
      link.#client = await link.#connect();
    } catch (error) {
      throw classifyConnectError(error, options.location);
    }
    return link;
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  /** The backend process serving this link (tests end it to cut the connection), or null while down. */
  async backendPid(): Promise<number | null> {
    const result = await this.#query<{ pid: number }>('SELECT pg_backend_pid() AS pid', []);
    return result.rows[0]?.pid ?? null;
  }

  /** Sends `payload` on the channel; delivered to every listener once the statement ends (it commits alone). */
  async notify(payload: string): Promise<void> {
    await this.#query('SELECT pg_notify($1, $2)', [this.#options.channel, payload]);
  }

  /** Takes the session lock named `name` if no other session holds it; true when this link holds it now. */
  async tryLock(name: string): Promise<boolean> {
    if (this.#locks.has(name)) return true;
    const result = await this.#query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [name],
    );
    const locked = result.rows[0]?.locked === true;
    if (locked) this.#locks.add(name);
    return locked;
  }

  /** Releases the lock (a no-op when not held, or when the link is down: the drop released it already). */
  async unlock(name: string): Promise<void> {
    if (!this.#locks.delete(name) || this.#client === null) return;
    await this.#query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]).catch(() => {});
  }

  /**
   * The `application_name` of the session holding the lock, '' when that session has none or is not visible
   * to this user, null when nobody holds it.
   */
  async holder(name: string): Promise<string | null> {
    const result = await this.#query<{ application_name: string | null }>(
      `WITH wanted AS (SELECT hashtextextended($1, 0) AS key)
       SELECT activity.application_name
         FROM pg_locks AS lock
         JOIN wanted ON TRUE
         LEFT JOIN pg_stat_activity AS activity ON activity.pid = lock.pid
        WHERE lock.locktype = 'advisory' AND lock.granted AND lock.objsubid = 1
          AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND lock.classid::bigint = ((wanted.key >> 32) & 4294967295)
          AND lock.objid::bigint = (wanted.key & 4294967295)
        LIMIT 1`,
      [name],
    );
    const row = result.rows[0];
    return row === undefined ? null : (row.application_name ?? '');
  }

  /** Names this process anew (once its HTTP port is known); kept for reconnections. */
  async setApplicationName(name: string): Promise<void> {
    this.#applicationName = name;
    await this.#query('SELECT set_config($1, $2, false)', ['application_name', name]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = null;
    this.#locks.clear();
    await client?.end().catch(() => {});
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    const client = this.#client;
    if (client === null) throw new ProcessLinkDownError(this.#options.location);
    return client.query<R>(text, values);
  }

  async #connect(): Promise<pg.Client> {
    const { location } = this.#options;
    const client = new pg.Client({
      host: location.host,
      port: location.port,
      user: location.user,
      password: location.password,
      database: location.database,
      ssl: sslOptions(location),
      application_name: this.#applicationName,
      connectionTimeoutMillis: 10_000,
      // A peer gone without a word (a cut network) is noticed by the kernel's probes, not only at the next write.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    let dropped = false;
    const drop = (error: Error) => {
      if (dropped) return;
      dropped = true;
      this.#dead.add(client);
      this.#dropped(client, error);
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('the connection ended')));
    client.on('notification', (message) => {
      if (message.channel === this.#options.channel && message.payload !== undefined)
        this.#options.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.#options.channel)}`);
    } catch (error) {
      dropped = true;
      await client.end().catch(() => {});
      throw error;
    }
    return client;
  }

  #dropped(client: pg.Client, error: Error): void {
    if (this.#client !== client) return;
    this.#client = null;
    if (this.#closed) return;
    this.#options.onError?.(error);
    client.end().catch(() => {});
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#retryTimer = setTimeout(() => void this.#reconnect(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, this.#options.reconnectMs?.max ?? 5_000);
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) return;
    let client: pg.Client;
    try {
      client = await this.#connect();
    } catch (error) {
      this.#options.onError?.(error as Error);
      this.#scheduleReconnect();
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    const lost: string[] = [];
    try {
      for (const name of this.#locks) {
        const result = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [name],
        );
        if (result.rows[0]?.locked !== true) lost.push(name);
      }
    } catch (error) {
      // Dropped again while its locks were taken back: the next attempt starts over.
      this.#options.onError?.(error as Error);
      await client.end().catch(() => {});
      this.#scheduleReconnect();
      return;
    }
    if (this.#dead.has(client)) {
      this.#scheduleReconnect();
      return;
    }
    for (const name of lost) this.#locks.delete(name);
    this.#client = client;
    this.#retryMs = this.#options.reconnectMs?.first ?? 100;
    this.#options.onReconnected(lost);
  }
}
