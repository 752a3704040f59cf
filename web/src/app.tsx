import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { ApiRequestError } from './api/api-request-error.ts';
import { api, type MessageHit } from './api/client.ts';
import type { ConversationSettingsPatch } from './api/conversation-settings.ts';
import { forgetToken, type SignInProblem, shareTokenWithNewTabs } from './api/session-token.ts';
import { forgetTeamSession, isTeamServer, onTeamSessionChange, signedInAccount } from './api/team-session.ts';
import { AuthRequired } from './components/auth-required.tsx';
import { ConversationBar } from './components/conversation-bar.tsx';
import { ConversationView } from './components/conversation-view.tsx';
import { Inspector, type InspectorSubject } from './components/inspector.tsx';
import { LiveAnnouncer } from './components/live-announcer.tsx';
import { SettingsPage } from './components/settings-page.tsx';
import { ShortcutHelp } from './components/shortcut-help.tsx';
import { Sidebar } from './components/sidebar.tsx';
import { TeamSignIn } from './components/team-sign-in.tsx';
import { TestRunTimeline } from './components/test-run-timeline.tsx';
import { ToastRegion } from './components/toast-region.tsx';
import { TopBar } from './components/top-bar.tsx';
import { conversationTitle } from './lib/format.ts';
import { modelChoice } from './lib/model-choice.ts';
import { parseRoute } from './lib/route.ts';
import { LiveEventsProvider, useConnectionState } from './state/live-events-context.tsx';
import { ModelStreamProvider } from './state/model-stream-context.tsx';
import { ReviewProvider } from './state/review-context.tsx';
import { TerminalProvider } from './state/terminal-context.tsx';
import { ToastProvider, useToasts } from './state/toasts.tsx';
import { useConversation } from './state/use-conversation.ts';
import { useConversationList } from './state/use-conversation-list.ts';
import { useGlobalShortcuts, useKeyboardShortcuts } from './state/use-keyboard-shortcuts.ts';
import { useMediaQuery } from './state/use-media-query.ts';
import { latestPreview, usePreview } from './state/use-preview.ts';
import { useProviders } from './state/use-providers.ts';
import { useRoute } from './state/use-route.ts';
import { WorkspaceProvider } from './state/workspace-context.tsx';

const NARROW = '(max-width: 760px)';
const SIDEBAR_KEY = 'mp.sidebar-open';

/** `signIn` (web/src/api/session-token.ts) ran before the first render; `initialProblem` is its answer. */
export function App(props: { initialProblem: SignInProblem | null }) {
  const [problem, setProblem] = useState<SignInProblem | null>(props.initialProblem);
  // On a team server the sign-in is an account's session (team-session.ts); signing out empties it.
  const teamAccount = useSyncExternalStore(onTeamSessionChange, signedInAccount);
  const onUnauthorized = useCallback(() => {
    if (isTeamServer()) {
      forgetTeamSession();
      setProblem('session-ended');
      return;
    }
    forgetToken();
    setProblem('token-refused');
  }, []);
  useEffect(() => (problem === null ? shareTokenWithNewTabs() : undefined), [problem]);
  // The stream was refused: find out whether the token is the reason before trying again.
  const onGiveUp = useCallback(async () => {
    try {
      await api.listConversations();
      return true;
    } catch (error) {
      if (error instanceof ApiRequestError && error.isUnauthorized) {
        onUnauthorized();
        return false;
      }
      return true;
    }
  }, [onUnauthorized]);
  if (isTeamServer() && (problem !== null || teamAccount === null)) {
    return <TeamSignIn sessionEnded={problem === 'session-ended'} onSignedIn={() => setProblem(null)} />;
  }
  if (problem !== null) return <AuthRequired problem={problem} onSignedIn={() => setProblem(null)} />;
  return (
    <ToastProvider onUnauthorized={onUnauthorized}>
      <LiveEventsProvider onGiveUp={onGiveUp}>
        <ModelStreamProvider>
          <Workbench />
        </ModelStreamProvider>
      </LiveEventsProvider>
      <ToastRegion />
    </ToastProvider>
  );
}

function Workbench() {
  const [route, navigate] = useRoute();
  const toasts = useToasts();
  const list = useConversationList();
  const connection = useConnectionState();
  const narrow = useMediaQuery(NARROW);
  const [wideSidebarOpen, setWideSidebarOpen] = useState(() => localStorage.getItem(SIDEBAR_KEY) !== 'false');
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [showDeleted, setShowDeleted] = useState(false);
  const [searchRequests, setSearchRequests] = useState(0);
  const [inspected, setInspected] = useState<InspectorSubject | null>(null);
  const open = useConversation(route.conversationId, showDeleted);
  const sidebarOpen = narrow ? drawerOpen : wideSidebarOpen;
  const conversation = open.state.status === 'ready' ? open.state.conversation : null;
  const providers = useProviders();
  const preview = usePreview(conversation);
  const showRevisions = useCallback(
    (messageId: string) => setInspected({ kind: 'revisions', messageId }),
    [],
  );
  const inspectCall = useCallback((messageId: string) => setInspected({ kind: 'call', messageId }), []);
  const openPreview = useCallback(() => setInspected({ kind: 'preview' }), []);
  const showStepDiff = useCallback(
    (checkpoint: { id: string }, step: string) =>
      setInspected({ kind: 'checkpoint', checkpointId: checkpoint.id, step }),
    [],
  );
  const toggleWorkspacePanel = () =>
    setInspected((current) => (current?.kind === 'workspace' ? null : { kind: 'workspace' }));

  const toggleSidebar = () => {
    if (narrow) {
      setDrawerOpen((value) => !value);
    } else {
      setWideSidebarOpen((value) => {
        localStorage.setItem(SIDEBAR_KEY, String(!value));
        return !value;
      });
    }
  };

  useKeyboardShortcuts();
  // `/` goes to the search box, opening the conversation list first when it is closed (issue 11 item 2).
  useGlobalShortcuts({
    search: () => {
      if (narrow) setDrawerOpen(true);
      else if (!wideSidebarOpen) toggleSidebar();
      setSearchRequests((count) => count + 1);
    },
  });

  const openConversation = useCallback(
    (id: string) => {
      navigate({ conversationId: id, messageId: null });
      setDrawerOpen(false);
      setInspected(null);
    },
    [navigate],
  );
  const openMessage = (hit: MessageHit) => {
    navigate({ conversationId: hit.conversationId, messageId: hit.id });
    setDrawerOpen(false);
  };
  const onHighlightHandled = useCallback(() => {
    if (route.conversationId !== null)
      navigate({ conversationId: route.conversationId, messageId: null }, { replace: true });
  }, [navigate, route.conversationId]);

  // With no conversation named in the address, open the most recent one. The address is read again here: a
  // link followed while the list loaded may have named one since this render, and it must not be replaced.
  const newestId = list.conversations?.[0]?.id ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the route is the trigger; the address is the truth.
  useEffect(() => {
    const current = parseRoute(window.location.hash);
    if (current.conversationId === null && !current.settings && newestId !== null) {
      navigate({ conversationId: newestId, messageId: null }, { replace: true });
    }
  }, [route.conversationId, route.settings, newestId, navigate]);

  // The Settings link sits in the drawer: the page it opens must not stay covered by the drawer or an inspector.
  useEffect(() => {
    if (!route.settings) return;
    setDrawerOpen(false);
    setInspected(null);
  }, [route.settings]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if ((event.target as Element | null)?.closest('input, textarea, select, dialog')) return;
      setInspected(null);
      setDrawerOpen(false);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const createConversation = async () => {
    try {
      const created = await api.createConversation({});
      list.reload();
      openConversation(created.id);
    } catch (error) {
      toasts.reportError(error);
    }
  };
  const updateConversation = async (
    id: string,
    patch: { title?: string; description?: string } & ConversationSettingsPatch,
    onRefused?: (error: unknown) => boolean,
  ) => {
    try {
      const updated = await api.updateConversation(id, patch);
      const { title, description } = patch;
      list.patch(id, {
        ...(title === undefined ? {} : { title }),
        ...(description === undefined ? {} : { description }),
      });
      open.replace(updated);
      return true;
    } catch (error) {
      if (onRefused?.(error)) return false;
      toasts.reportError(error);
      return false;
    }
  };
  const restoreConversation = (id: string) => {
    api.restoreConversation(id).then((restored) => {
      list.reload();
      open.replace(restored);
      openConversation(id);
    }, toasts.reportError);
  };
  const deleteConversation = async (id: string) => {
    const title = conversationTitle(list.conversations?.find((summary) => summary.id === id)?.title ?? '');
    try {
      await api.deleteConversation(id);
      list.remove(id);
      if (route.conversationId === id) navigate({ conversationId: null, messageId: null }, { replace: true });
      toasts.show({
        text: `Deleted “${title}”.`,
        tone: 'info',
        action: { label: 'Undo', run: () => restoreConversation(id) },
      });
    } catch (error) {
      toasts.reportError(error);
    }
  };

  const missing = open.state.status === 'missing' ? open.state : null;
  const inspectedMessageId = inspected !== null && 'messageId' in inspected ? inspected.messageId : null;
  const inspectedMessage =
    conversation?.messages.find((message) => message.id === inspectedMessageId) ?? null;
  const classes = ['app', narrow ? 'is-narrow' : 'is-wide', sidebarOpen ? 'sidebar-open' : 'sidebar-closed'];
  if (inspected !== null) classes.push('inspector-open');
  const choice =
    conversation === null ? null : modelChoice(conversation.settings, providers.list, latestPreview(preview));

  return (
    <TerminalProvider conversationId={conversation?.id ?? null}>
      <WorkspaceProvider conversationId={conversation?.id ?? null} onShowDiff={showStepDiff}>
        <div className={classes.join(' ')}>
          <LiveAnnouncer conversationId={conversation?.id ?? null} />
          <Sidebar
            open={sidebarOpen}
            focusOnOpen={narrow}
            searchRequests={searchRequests}
            conversations={list.conversations}
            currentId={route.conversationId}
            onOpenConversation={openConversation}
            onOpenMessage={openMessage}
            onCreate={() => void createConversation()}
            onUpdate={updateConversation}
            onDelete={(id) => void deleteConversation(id)}
          />
          {narrow && drawerOpen ? (
            <button
              type="button"
              className="drawer-backdrop"
              aria-label="Close the conversation list"
              onClick={() => setDrawerOpen(false)}
            />
          ) : null}
          {/* Under the drawer or the inspector (narrow screens) the page is out of reach: Tab must not land there. */}
          <div
            className="workspace"
            hidden={route.settings}
            inert={narrow && (drawerOpen || inspected !== null)}
          >
            <TopBar
              conversation={conversation}
              sidebarOpen={sidebarOpen}
              onToggleSidebar={toggleSidebar}
              onRename={(title) =>
                conversation ? updateConversation(conversation.id, { title }) : Promise.resolve(false)
              }
              showDeleted={showDeleted}
              onShowDeleted={setShowDeleted}
              connection={connection}
              workspaceOpen={inspected?.kind === 'workspace'}
              onToggleWorkspace={toggleWorkspacePanel}
            />
            <ReviewProvider conversationId={conversation?.id ?? null}>
              <main className="workspace__main">
                {conversation !== null && choice !== null ? (
                  <ConversationBar
                    key={`bar:${conversation.id}`}
                    conversation={conversation}
                    providers={providers.list}
                    choice={choice}
                    onPatch={(patch, onRefused) => updateConversation(conversation.id, patch, onRefused)}
                    onReloadProviders={providers.reload}
                  />
                ) : null}
                {conversation !== null ? <TestRunTimeline /> : null}
                {conversation !== null ? (
                  <ConversationView
                    key={conversation.id}
                    open={open}
                    conversation={conversation}
                    conversations={list.conversations}
                    // Until the named conversation has loaded, the one on screen is the previous one: not its request.
                    highlightRequest={route.conversationId === conversation.id ? route.messageId : null}
                    onHighlightHandled={onHighlightHandled}
                    onOpenConversation={openConversation}
                    onShowRevisions={showRevisions}
                    onInspectCall={inspectCall}
                    onOpenPreview={openPreview}
                    preview={preview}
                  />
                ) : (
                  <Placeholder
                    state={open.state.status}
                    missingMessage={missing?.message ?? null}
                    hasConversations={(list.conversations?.length ?? 0) > 0}
                    onCreate={() => void createConversation()}
                    onRestore={missing?.deleted ? () => restoreConversation(missing.conversationId) : null}
                  />
                )}
              </main>
            </ReviewProvider>
          </div>
          {route.settings ? (
            <SettingsPage
              sidebarOpen={sidebarOpen}
              onToggleSidebar={toggleSidebar}
              onSaved={providers.reload}
            />
          ) : null}
          {inspected !== null ? (
            <Inspector
              subject={inspected}
              conversationId={conversation?.id ?? null}
              message={inspectedMessage}
              revisionsVersion={open.revisionsVersion}
              preview={preview}
              onClose={() => setInspected(null)}
            />
          ) : null}
          <ShortcutHelp />
        </div>
      </WorkspaceProvider>
    </TerminalProvider>
  );
}

function Placeholder(props: {
  state: 'none' | 'loading' | 'missing' | 'ready';
  missingMessage: string | null;
  hasConversations: boolean;
  onCreate: () => void;
  onRestore: (() => void) | null;
}) {
  if (props.state === 'loading') return <div className="placeholder muted">Loading…</div>;
  return (
    <div className="placeholder">
      {props.state === 'missing' ? (
        <p>{props.missingMessage ?? 'This conversation is not here.'}</p>
      ) : (
        <p>{props.hasConversations ? 'Pick a conversation on the left.' : 'No conversations yet.'}</p>
      )}
      <div className="placeholder__buttons">
        {props.onRestore ? (
          <button type="button" className="button" onClick={props.onRestore}>
            Restore it
          </button>
        ) : null}
        <button type="button" className="button button--primary" onClick={props.onCreate}>
          + New conversation
        </button>
      </div>
    </div>
  );
}
