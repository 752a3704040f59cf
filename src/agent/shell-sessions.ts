import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConversationSettings } from '../core/domain.ts';
import { AppError } from '../core/errors.ts';
import { resolveResourceLimits } from '../core/resource-limits.ts';
import type { SandboxKind, ShellSession } from '../core/shell-session.ts';
import { createBwrapSession } from '../sandbox/bwrap-session.ts';
import type { BackendReport } from '../sandbox/detect-backends.ts';
import { createDockerSession } from '../sandbox/docker-session.ts';
import { createHostSession } from '../sandbox/host-session.ts';
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
}

interface OpenSession {
  session: ShellSession;
  /** The settings it was started with; a change means a new shell. */
  key: string;
}

/** One persistent shell per conversation, started on first use with the conversation's settings. */
export class ShellSessions {
  readonly #options: ShellSessionsOptions;
  readonly #sessions = new Map<string, OpenSession>();

  constructor(options: ShellSessionsOptions) {
    this.#options = options;
  }

  /** Which sandbox backends work here (found once, on first need). */
  backends(): Promise<BackendReport[]> {
    return this.#options.backends();
  }

  /**
   * The folder a conversation works in, symlinks resolved: the one the person chose, else its own under the
   * data dir. Throws WorkspaceRefusedError for a folder the workspace rules refuse (core/workspace-rules.ts).
   */
  workspaceFor(conversationId: string, settings: ConversationSettings): string {
    if (settings.workspace !== undefined) return this.checkWorkspace(settings.workspace);
    const path = join(this.#managedRoot(), conversationId);
    mkdirSync(path, { recursive: true });
    return this.checkWorkspace(path);
  }

  /**
   * The workspace resolved, or WorkspaceRefusedError. Refused: `/`, system trees, the home and what holds it,
   * our data and config dirs, what holds them and what is inside them, except the managed workspaces in
   * `<data dir>/workspaces/`, which hold nothing but their own files.
   */
  checkWorkspace(path: string): string {
    const home = this.#options.home ?? homedir();
    return resolveWorkspace(path, {
      home,
      protectedDirs: [
        { path: this.#options.dataDir, what: 'our data dir (it holds the database)' },
        { path: this.#options.configDir, what: 'our config dir (it holds API keys)' },
        ...homeSecretPaths(home).map((secret) => ({ path: secret, what: 'a credentials folder' })),
      ],
      workspaceRoots: [this.#managedRoot()],
    });
  }

  #managedRoot(): string {
    return join(this.#options.dataDir, 'workspaces');
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
  ): Promise<{ session: ShellSession; sandbox: SandboxKind; workspace: string }> {
    const sandbox = await this.sandboxFor(settings);
    const workspace = this.workspaceFor(conversationId, settings);
    const network = settings.network ?? false;
    const limits = resolveResourceLimits(settings.limits);
    const key = JSON.stringify([sandbox, workspace, network, startupScript, limits]);
    const open = this.#sessions.get(conversationId);
    if (open !== undefined && open.key === key) return { session: open.session, sandbox, workspace };
    if (open !== undefined) {
      this.#sessions.delete(conversationId);
      await open.session.close();
    }
    const options = {
      workspace,
      startupScript,
      network,
      hiddenPaths: [this.#options.dataDir, this.#options.configDir],
      limits,
    };
    const session =
      sandbox === 'bwrap'
        ? createBwrapSession(options)
        : sandbox === 'docker'
          ? createDockerSession(options)
          : createHostSession(options);
    this.#sessions.set(conversationId, { session, key });
    return { session, sandbox, workspace };
  }

  /** The running shell of a conversation, if any (for Interrupt). */
  current(conversationId: string): ShellSession | undefined {
    return this.#sessions.get(conversationId)?.session;
  }

  async closeAll(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((open) => open.session.close()));
  }
}
