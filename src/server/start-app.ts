import { homedir, hostname } from 'node:os';
import { draftCommitMessage } from '../agent/commit-message.ts';
import { WorkspaceFileActions } from '../agent/file-actions.ts';
import { ModelTurns } from '../agent/model-turns.ts';
import { ProviderChoices } from '../agent/provider-choice.ts';
import { Review } from '../agent/review.ts';
import { ShellSessions } from '../agent/shell-sessions.ts';
import { Summaries } from '../agent/summaries.ts';
import { Terminal } from '../agent/terminal.ts';
import { Workbench } from '../agent/workbench.ts';
import { WorkspaceHistory } from '../agent/workspace-history.ts';
import { WorkspaceView } from '../agent/workspace-view.ts';
import type { AppConfig } from '../core/config.ts';
import { datasetCard } from '../core/datasets/dataset-card.ts';
import { AppError } from '../core/errors.ts';
import { EventBus } from '../core/event-bus.ts';
import { RUN_COMMAND_TOOL } from '../core/extract-proposals.ts';
import { FILE_ACTION_TOOLS } from '../core/file-edits/file-action-arguments.ts';
import { newServerProcess } from '../core/server-process.ts';
import { hiddenPathsWithin } from '../core/workspace-rules.ts';
import { loadProviderEnvironment } from '../providers/provider-environment.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import type { RetryPolicy } from '../providers/retry-policy.ts';
import { type BackendReport, detectBackends } from '../sandbox/detect-backends.ts';
import { removeOrphanContainers } from '../sandbox/docker-session.ts';
import { homeSecretPaths } from '../sandbox/sandbox-environment.ts';
import { datasetRecords } from '../store/dataset-source.ts';
import type { DatabaseChoice } from '../store/engines/database-url.ts';
import { ensurePrivateDir } from '../store/private-files.ts';
import { Store } from '../store/store.ts';
import { loadAppConfig } from './app-config.ts';
import { createServer, type RegisteredRoute, routesOf } from './create-server.ts';
import { loadOrCreateToken } from './instance-token.ts';
import { accountRoutes } from './routes/account-routes.ts';
import { exportRoutes } from './routes/export-routes.ts';
import { modelRoutes } from './routes/model-routes.ts';
import { promptRoutes } from './routes/prompt-routes.ts';
import { reviewRoutes } from './routes/review-routes.ts';
import { settingsRoutes } from './routes/settings-routes.ts';
import { summaryRoutes } from './routes/summary-routes.ts';
import { terminalRoutes } from './routes/terminal-routes.ts';
import { workspaceRoutes } from './routes/workspace-routes.ts';
import { planServing, prepareServing, type ServeOptions } from './serving.ts';
import { joinSharedDatabase, type SharedDatabase } from './shared-database.ts';
import { mintSignInCode } from './sign-in-code.ts';

export interface StartOptions {
  dataDir: string;
  /** Where config.json lives (`$XDG_CONFIG_HOME/modelprogrammer`). */
  configDir: string;
  port: number;
  /** How many following ports to try when `port` is taken. */
  portFallbacks: number;
  token: string | undefined;
  /** Where the store lives (`mp serve --database` / `MP_DATABASE_URL`); default: SQLite in the data dir. */
  database?: DatabaseChoice;
  webRoot: string;
  version: string;
  /** The environment providers read keys and hosts from (default: this process's). */
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** Tests shorten provider retry waits. */
  retry?: RetryPolicy;
  /** A conversation's shell unused this long is closed, and reopened where it was (default 15 min; 0 never). */
  shellIdleMs?: number;
  /** Where and how it is reached: --host, --team, TLS, --public-url (default: token mode on 127.0.0.1). */
  serve?: ServeOptions;
}

export interface RunningApp {
  /** `http://127.0.0.1:PORT/` (a team server: the address people open), with no secret in it. */
  url: string;
  /** The URL with a fresh single-use sign-in code in its fragment (`#code=…`, good for 60 s); team mode: `url`. */
  signInUrl(): string;
  /** What to print at start beside the URL (plain HTTP beyond loopback, no accounts yet). */
  warnings: readonly string[];
  /** Every route the server registered, with whether it is public (the security tests walk them). */
  routes: readonly RegisteredRoute[];
  port: number;
  store: Store;
  turns: ModelTurns;
  terminal: Terminal;
  close(): Promise<void>;
}

export class PortInUseError extends AppError {
  constructor(port: number) {
    super('port_in_use', `port ${port} is in use; pass --port 0 for any free port, or stop what holds it`);
    this.name = 'PortInUseError';
  }
}

/** Reads config, opens the store, wires providers and the server, and listens on 127.0.0.1. */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const config = loadAppConfig(options.configDir);
  // Before the token is read or written there: in a folder others can write to, a planted token file would
  // be a token its planter knows.
  ensurePrivateDir(options.dataDir);
  const token = loadOrCreateToken(options.dataDir, options.token);
  // Refused (--host without --team, half of a TLS pair…) before the store opens or anything listens.
  const plan = planServing(options.serve);
  // A store that cannot be opened (a stopped server, wrong credentials, a newer schema) stops the start with
  // its typed error before anything else is set up, so nothing is left running.
  const serverProcess = newServerProcess(hostname(), process.pid);
  const store = await Store.open(options.database ?? { engine: 'sqlite' }, {
    dataDir: options.dataDir,
    serverProcess: serverProcess.id,
  });
  const serving = prepareServing(plan, options.serve ?? {}, store);
  const events = new EventBus();
  // On PostgreSQL other server processes may share the database (issue 10 item 4): this one's connection says
  // it is alive (before recovery, which asks that of the others), relays live events and claims shells.
  let shared: SharedDatabase | undefined;
  if (options.database?.engine === 'postgres') {
    try {
      shared = await joinSharedDatabase({ location: options.database, events, process: serverProcess });
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const closeStore = async () => {
    await shared?.close();
    await store.close();
  };
  const env = options.env ?? process.env;
  const environment = loadProviderEnvironment({ env, homeDir: options.homeDir ?? homedir() });
  const buildRegistry = (appConfig: AppConfig) =>
    new ProviderRegistry({
      config: appConfig,
      environment,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
  const choices = new ProviderChoices(buildRegistry(config), config);
  let backends: Promise<BackendReport[]> | undefined;
  const sessions = new ShellSessions({
    dataDir: options.dataDir,
    configDir: options.configDir,
    home: options.homeDir ?? homedir(),
    ...(options.shellIdleMs === undefined ? {} : { idleMs: options.shellIdleMs }),
    lastCwd: (conversationId) => store.executions.lastCwd(conversationId),
    backends: () => {
      backends ??= detectBackends();
      return backends;
    },
    ...(shared === undefined ? {} : { claims: shared.claims }),
  });
  // Claims lost while the connection was down may be another process's now: never two shells on a workspace.
  shared?.onShellsLost((conversationIds) => {
    for (const conversationId of conversationIds) reportFailure(sessions.closeShell(conversationId));
  });
  const workspaceOf = async (conversationId: string) => {
    const conversation = await store.conversations.get(conversationId);
    return sessions.workspaceFor(conversation.id, conversation.settings, conversation.ownerAccountId);
  };
  const keptFromSandboxes = [
    options.dataDir,
    options.configDir,
    ...homeSecretPaths(options.homeDir ?? homedir()),
  ];
  const hiddenPaths = (workspace: string) => hiddenPathsWithin(workspace, keptFromSandboxes);
  const history = new WorkspaceHistory({ store, events, dataDir: options.dataDir, workspaceOf });
  const workspaceView = new WorkspaceView({ workspaceOf, hiddenPaths });
  // The terminal and the model turns call each other (the loop), so each reaches the other lazily.
  const terminal: Terminal = new Terminal({
    store,
    events,
    sessions,
    files: new WorkspaceFileActions({ hiddenPaths }),
    history,
    continueConversation: (conversationId) => turns.start(conversationId),
  });
  const turns: ModelTurns = new ModelTurns({
    store,
    events,
    providers: choices,
    tools: () => [RUN_COMMAND_TOOL, ...FILE_ACTION_TOOLS],
    compact: async (conversationId, path, tokensToFree) =>
      (await summaries.compact(conversationId, path, tokensToFree)) !== null,
    // A turn the person stopped (or that failed) still shows its proposals, but does not go on by itself.
    onTurnEnded: (message) =>
      reportFailure(terminal.proposeFrom(message, { send: message.status === 'complete' })),
  });
  const summaries = new Summaries({ store, events, providers: choices });
  const review = new Review(store, events);
  const workbench = new Workbench(store, events, {
    messageAdded: (message) => reportFailure(terminal.proposeFrom(message, { send: false })),
    checkWorkspace: (path, confinedTo) => void sessions.checkWorkspace(path, confinedTo),
  });
  try {
    await turns.recoverAfterCrash();
    await terminal.recoverAfterCrash();
  } catch (error) {
    await closeStore();
    throw error;
  }
  // Containers a crashed server left behind would otherwise run on; finding the backends early also
  // spares the first command that wait.
  reportFailure(
    sessions
      .backends()
      .then((reports) =>
        reports.some((report) => report.sandbox === 'docker' && report.available)
          ? removeOrphanContainers()
          : 0,
      ),
  );
  void choices.defaultSelection();

  let lastError: unknown;
  for (let attempt = 0; attempt <= options.portFallbacks; attempt++) {
    const wanted = options.port === 0 ? 0 : options.port + attempt;
    // The Host and Origin checks need the real port, known only after listen() when 0 was asked for.
    const listening = { port: wanted };
    const app = await createServer({
      workbench,
      events,
      token,
      get port() {
        return listening.port;
      },
      webRoot: options.webRoot,
      version: options.version,
      turns,
      ...serving.server,
      extraRoutes: [
        ...modelRoutes({ store, turns, choices }),
        ...terminalRoutes({ store, terminal }),
        ...workspaceRoutes({
          store,
          history,
          view: workspaceView,
          draftCommitMessage: (conversationId) =>
            draftCommitMessage({ store, providers: choices, view: workspaceView, conversationId }),
        }),
        ...accountRoutes({ store }),
        ...promptRoutes({ store }),
        ...exportRoutes({
          records: (filters, viewer) => datasetRecords(store.database, filters, { visibleTo: viewer }),
          card: datasetCard,
        }),
        ...summaryRoutes({ summaries }),
        ...reviewRoutes({ review }),
        ...settingsRoutes({
          configDir: options.configDir,
          choices,
          apply: (next) => choices.reload(buildRegistry(next), next),
          env,
        }),
      ],
    });
    try {
      await app.listen({ host: plan.host, port: wanted });
    } catch (error) {
      await app.close();
      lastError = error;
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      await closeStore();
      throw error;
    }
    const address = app.server.address();
    listening.port = typeof address === 'object' && address !== null ? address.port : wanted;
    reportFailure(shared?.listening(listening.port) ?? Promise.resolve());
    const noAdmin = serving.server.team !== undefined && (await store.accounts.countLive('admin')) === 0;
    return {
      url: serving.url(listening.port),
      signInUrl: () =>
        serving.server.team === undefined
          ? `${serving.url(listening.port)}#code=${mintSignInCode(token)}`
          : serving.url(listening.port),
      warnings: [
        ...plan.warnings,
        ...(noAdmin ? ['no admin account yet: add one with `mp user add NAME --role admin`'] : []),
      ],
      routes: routesOf(app),
      port: listening.port,
      store,
      turns,
      terminal,
      close: async () => {
        await turns.close();
        await terminal.stop();
        await sessions.closeAll();
        await terminal.whenIdle();
        await app.close();
        await closeStore();
      },
    };
  }
  await closeStore();
  if ((lastError as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE')
    throw new PortInUseError(options.port);
  throw lastError;
}

/** Work started by an event, not a request: its failure has nobody to answer, so it goes to the log. */
function reportFailure(work: Promise<unknown>): void {
  work.catch((error: unknown) => console.error(error));
}
