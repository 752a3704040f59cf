import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConversationSettings } from '../core/domain.ts';
import { AppError } from '../core/errors.ts';
import { resolveResourceLimits } from '../core/resource-limits.ts';
import type { ShellClaims } from '../core/shell-claims.ts';
import type { SandboxKind, ShellSession } from '../core/shell-session.ts';
import { createBwrapSession } from '../sandbox/bwrap-session.ts';
import type { BackendReport } from '../sandbox/detect-backends.ts';
import { createDockerSession } from '../sandbox/docker-session.ts';
import { createHostSession } from '../sandbox/host-session.ts';
import { isWithin } from '../sandbox/path-within.ts';
import { homeSecretPaths } from '../sandbox/sandbox-environment.ts';
import { resolveWorkspace } from '../sandbox/workspace-resolve.ts';

/** No sandbox works here and the person has not chosen to run on the host. */
export class NoSandboxError extends AppError {
  constructor(details: string) {
    super(
      'no_sandbox',
      `No sandbox works on this machine (${details}). Install bubblewrap (\`apt-get install bubblewrap\`) or start ` +
        'Docker, or choose “host” for this conversation to run commands without isolation.',
    );
    this.name = 'NoSandboxError';
  }
}

export interface ShellSessionsOptions {
  dataDir: string;
  configDir: string;
  /** Which backends work here, found once at start. */
  backends: () => Promise<BackendReport[]>;
  /** The person's home, which no workspace may be or hold; os.homedir() by default. */
  home?: string;
  /** A shell unused this long is closed (its processes and container freed); 0 never closes one. */
  idleMs?: number;
  /** Where the conversation's last command left its shell (stored with each execution), for a reopened shell. */
  lastCwd?: (conversationId: string) => Promise<string | null> | string | null;
  /** The clock idleness is measured with (tests move it instead of waiting). */
  now?: () => number;
  /**
   * Several server processes on one database: a conversation's shell runs in the one process holding its
   * claim (core/shell-claims.ts). Absent (SQLite): this process is the only one.
   */
  claims?: ShellClaims;
}

/** A shell nobody has used for a quarter of an hour holds memory, processes or a container for nothing. */
export const DEFAULT_SHELL_IDLE_MS = 15 * 60_000;

interface OpenSession {
  /** The session as handed out: the shell, with its use tracked. */
  session: ShellSession;
  /** The settings it was started with; a change means a new shell. */
  key: string;
  lastUsed: number;
  /** Commands started and not yet ended: a shell running something is never idle. */
  running: number;
}

/**
 * One persistent shell per conversation, started on first use with the conversation's settings, closed
 * after `idleMs` without use and reopened on the next command where the last one was (issue 7 item 9).
 */
export class ShellSessions {
  readonly #options: ShellSessionsOptions;
  readonly #sessions = new Map<string, OpenSession>();
  /** Where each conversation's shell was when it was closed for idleness. */
  readonly #closedAt = new Map<string, string>();
  /** Commands reserved per conversation (queued or running): its claim is kept while any is, or its shell is open. */
  readonly #reservations = new Map<string, number>();
  readonly #sweep: ReturnType<typeof setInterval> | undefined;

  constructor(options: ShellSessionsOptions) {
    this.#options = options;
    const idleMs = options.idleMs ?? DEFAULT_SHELL_IDLE_MS;
    if (idleMs > 0) {
      this.#sweep = setInterval(() => void this.closeIdle(), Math.min(idleMs, 60_000));
      this.#sweep.unref();
    }
  }

  /**
   * Before a command joins the conversation's queue: claims its shell for this process (kept until the
   * command ends and the shell closes). Throws ShellElsewhereError, having kept nothing, when another server
   * process runs this conversation's shell. Each reserve is ended by one `unreserve`.
   */
  async reserve(conversationId: string): Promise<void> {
    // Counted first, so a shell closing meanwhile does not give up the claim this command is taking.
    this.#reservations.set(conversationId, (this.#reservations.get(conversationId) ?? 0) + 1);
    try {
      await this.#options.claims?.claim(conversationId);
    } catch (error) {
      // Not claimed, so nothing to give up: only the count is undone.
      this.#uncount(conversationId);
      throw error;
    }
  }

  /** The reserved command ended (or never joined the queue). */
  unreserve(conversationId: string): void {
    this.#uncount(conversationId);
    this.#releaseIfUnused(conversationId);
  }

  #uncount(conversationId: string): void {
    const count = (this.#reservations.get(conversationId) ?? 0) - 1;
    if (count > 0) this.#reservations.set(conversationId, count);
    else this.#reservations.delete(conversationId);
  }

  /** Gives the claim up once nothing of the conversation needs its shell here. */
  #releaseIfUnused(conversationId: string): void {
    const { claims } = this.#options;
    if (claims === undefined) return;
    if (this.#reservations.has(conversationId) || this.#sessions.has(conversationId)) return;
    claims.release(conversationId).catch((error: unknown) => console.error(error));
  }

  /**
   * Closes a conversation's shell now (its claim was lost: another process may start one on the workspace).
   * Commands running in it end as the shell goes.
   */
  async closeShell(conversationId: string): Promise<void> {
    const open = this.#sessions.get(conversationId);
    this.#sessions.delete(conversationId);
    await open?.session.close();
    this.#releaseIfUnused(conversationId);
  }

  /** Which sandbox backends work here (found once, on first need). */
  backends(): Promise<BackendReport[]> {
    return this.#options.backends();
  }

  /**
   * The folder a conversation works in, symlinks resolved: the one the person chose, else its own under the
   * data dir (on a team server, inside its owner's folder: `workspaces/accounts/<owner>/<conversation>`).
   * Throws WorkspaceRefusedError for a folder the workspace rules refuse (core/workspace-rules.ts).
   */
  workspaceFor(
    conversationId: string,
    settings: ConversationSettings,
    ownerAccountId: string | null = null,
  ): string {
    if (settings.workspace !== undefined) return this.checkWorkspace(settings.workspace);
    const path = join(
      ownerAccountId === null ? this.#managedRoot() : this.#accountFolder(ownerAccountId),
      conversationId,
    );
    mkdirSync(path, { recursive: true });
    return this.checkWorkspace(path);
  }

  /**
   * The workspace resolved, or WorkspaceRefusedError. Refused: `/`, system trees, the home and what holds it,
   * our data and config dirs, what holds them and what is inside them, except the managed workspaces in
   * `<data dir>/workspaces/`, which hold nothing but their own files. With `confinedTo` (a team server's
   * member or reviewer), only inside that account's own folder (judgeAccountWorkspace, issue 10 item 5).
   */
  checkWorkspace(path: string, confinedTo: string | null = null): string {
    const home = this.#options.home ?? homedir();
    if (confinedTo !== null) mkdirSync(this.#accountFolder(confinedTo), { recursive: true });
    return resolveWorkspace(path, {
      home,
      protectedDirs: [
        { path: this.#options.dataDir, what: 'our data dir (it holds the database)' },
        { path: this.#options.configDir, what: 'our config dir (it holds API keys)' },
        ...homeSecretPaths(home).map((secret) => ({ path: secret, what: 'a credentials folder' })),
      ],
      workspaceRoots: [this.#managedRoot()],
      ...(confinedTo === null
        ? {}
        : { account: { accountsRoot: this.#accountsRoot(), own: this.#accountFolder(confinedTo) } }),
    });
  }

  #managedRoot(): string {
    return join(this.#options.dataDir, 'workspaces');
  }

  /** Where every account's workspaces lie on a team server: one folder per account id. */
  #accountsRoot(): string {
    return join(this.#managedRoot(), 'accounts');
  }

  #accountFolder(accountId: string): string {
    // Ids are generated (UUIDv7), never typed by a person; refuse anything that could leave the folder.
    if (!/^[\w-]+$/.test(accountId)) throw new Error(`not an account id: ${accountId}`);
    return join(this.#accountsRoot(), accountId);
  }

  /** bwrap where it works, else Docker where an engine answers; the host only when chosen. */
  async sandboxFor(settings: ConversationSettings): Promise<SandboxKind> {
    if (settings.sandbox !== undefined) return settings.sandbox;
    const reports = await this.#options.backends();
    const usable = reports.find((report) => report.sandbox !== 'host' && report.available);
    if (usable === undefined) {
      throw new NoSandboxError(
        reports
          .filter((report) => report.sandbox !== 'host')
          .map((report) => `${report.sandbox}: ${report.detail}`)
          .join('; '),
      );
    }
    return usable.sandbox;
  }

  async get(
    conversationId: string,
    settings: ConversationSettings,
    startupScript: string,
    ownerAccountId: string | null = null,
  ): Promise<{ session: ShellSession; sandbox: SandboxKind; workspace: string }> {
    const sandbox = await this.sandboxFor(settings);
    const workspace = this.workspaceFor(conversationId, settings, ownerAccountId);
    const network = settings.network ?? false;
    const limits = resolveResourceLimits(settings.limits);
    const key = JSON.stringify([sandbox, workspace, network, startupScript, limits]);
    const open = this.#sessions.get(conversationId);
    if (open !== undefined && open.key === key) {
      // Handed out to run a command: not idle, even before the command starts.
      open.lastUsed = this.#now();
      return { session: open.session, sandbox, workspace };
    }
    if (open !== undefined) {
      this.#sessions.delete(conversationId);
      await open.session.close();
    }
    const initialCwd = await this.#resumeCwd(conversationId, workspace);
    // Another call opened a shell for it while the stored folder was read: one shell per conversation.
    if (this.#sessions.has(conversationId)) return this.get(conversationId, settings, startupScript);
    const options = {
      workspace,
      startupScript,
      network,
      hiddenPaths: [this.#options.dataDir, this.#options.configDir],
      limits,
      ...(initialCwd === undefined ? {} : { initialCwd }),
    };
    const shell =
      sandbox === 'bwrap'
        ? createBwrapSession(options)
        : sandbox === 'docker'
          ? createDockerSession(options)
          : createHostSession(options);
    const opened: OpenSession = { session: shell, key, lastUsed: this.#now(), running: 0 };
    opened.session = this.#tracked(conversationId, shell, opened);
    this.#sessions.set(conversationId, opened);
    return { session: opened.session, sandbox, workspace };
  }

  /**
   * Closes the shells unused for `idleMs` and not running anything; the next command of each conversation
   * opens a new one in the folder this one was in. Returns the conversations whose shell closed.
   */
  async closeIdle(): Promise<string[]> {
    const idleMs = this.#options.idleMs ?? DEFAULT_SHELL_IDLE_MS;
    if (idleMs <= 0) return [];
    const now = this.#now();
    const idle = [...this.#sessions].filter(
      ([, open]) => open.running === 0 && now - open.lastUsed >= idleMs,
    );
    for (const [conversationId] of idle) this.#sessions.delete(conversationId);
    await Promise.all(idle.map(([, open]) => open.session.close()));
    for (const [conversationId] of idle) this.#releaseIfUnused(conversationId);
    return idle.map(([conversationId]) => conversationId);
  }

  /** The session with its use recorded: when it was last used, whether a command runs, where it ended. */
  #tracked(conversationId: string, shell: ShellSession, open: OpenSession): ShellSession {
    const use = async <T extends { cwd: string }>(command: () => Promise<T>): Promise<T> => {
      open.running += 1;
      open.lastUsed = this.#now();
      try {
        const result = await command();
        this.#closedAt.set(conversationId, result.cwd);
        return result;
      } finally {
        open.running -= 1;
        open.lastUsed = this.#now();
      }
    };
    return {
      sandbox: shell.sandbox,
      workspace: shell.workspace,
      start: () => shell.start(),
      run: (command, options) => use(() => shell.run(command, options)),
      runIsolated: (command, options) => use(() => shell.runIsolated(command, options)),
      interrupt: () => shell.interrupt(),
      close: () => shell.close(),
    };
  }

  /**
   * Where a new shell of this conversation starts: where its last shell was (in this process, else as the
   * last execution recorded it, so also after a restart), if that folder still exists inside the workspace.
   */
  async #resumeCwd(conversationId: string, workspace: string): Promise<string | undefined> {
    const cwd = this.#closedAt.get(conversationId) ?? (await this.#options.lastCwd?.(conversationId)) ?? null;
    if (cwd === null || cwd === workspace || !isWithin(cwd, workspace)) return undefined;
    return existsSync(cwd) && statSync(cwd).isDirectory() ? cwd : undefined;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /** The running shell of a conversation, if any (for Interrupt). */
  current(conversationId: string): ShellSession | undefined {
    return this.#sessions.get(conversationId)?.session;
  }

  async closeAll(): Promise<void> {
    if (this.#sweep !== undefined) clearInterval(this.#sweep);
    const sessions = [...this.#sessions];
    this.#sessions.clear();
    await Promise.all(sessions.map(([, open]) => open.session.close()));
    for (const [conversationId] of sessions) this.#releaseIfUnused(conversationId);
  }
}
