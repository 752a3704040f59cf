import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api, type Conversation, type ConversationSummary, type NewMessage } from '../api/client.ts';
import { contextApi } from '../api/context-api.ts';
import { conversationTitle } from '../lib/format.ts';
import { useLiveEvent } from '../state/live-events-context.tsx';
import { MessageActionsContext } from '../state/message-actions.ts';
import { requestContaining } from '../state/sidebar-filter-request.ts';
import { useTerminalActions, useTerminalStore } from '../state/terminal-context.tsx';
import { useToasts } from '../state/toasts.tsx';
import type { OpenConversation } from '../state/use-conversation.ts';
import { isShown, useGlobalShortcuts } from '../state/use-keyboard-shortcuts.ts';
import { useMessageActionHandlers } from '../state/use-message-action-handlers.ts';
import type { PreviewState } from '../state/use-preview.ts';
import { useSelection } from '../state/use-selection.ts';
import { Composer } from './composer.tsx';
import { CopyDialog } from './copy-dialog.tsx';
import { DirectRuns } from './direct-runs.tsx';
import { MessageList, type MessageListHandle } from './message-list.tsx';
import { SelectionBar } from './selection-bar.tsx';
import { SummaryWriter } from './summary-writer.tsx';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The centre column: the cards of the current path, the selection bar and the composer. */
export function ConversationView(props: {
  open: OpenConversation;
  conversation: Conversation;
  conversations: ConversationSummary[] | null;
  highlightRequest: string | null;
  onHighlightHandled: () => void;
  onOpenConversation: (id: string) => void;
  onShowRevisions: (messageId: string) => void;
  onInspectCall: (messageId: string) => void;
  onOpenPreview: () => void;
  preview: PreviewState;
}) {
  const { conversation, open } = props;
  const toasts = useToasts();
  const terminal = useTerminalActions();
  const terminalStore = useTerminalStore();
  const list = useRef<MessageListHandle | null>(null);
  const messageIds = useMemo(
    () => conversation.messages.map((message) => message.id),
    [conversation.messages],
  );
  const selection = useSelection(messageIds);
  const [copyIds, setCopyIds] = useState<string[] | null>(null);
  const [summaryRange, setSummaryRange] = useState<string[] | null>(null);
  const [pinnedIds, setPinnedIds] = useState<ReadonlySet<string>>(() => new Set());
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const followOwnMessage = useRef(false);
  const scrollAfterLoad = useRef<string | null>(null);
  const proposalAfterLoad = useRef<{ messageId: string; proposalId: string } | null>(null);

  const setPinned = useCallback((messageId: string, pinned: boolean) => {
    setPinnedIds((previous) => {
      if (previous.has(messageId) === pinned) return previous;
      const next = new Set(previous);
      if (pinned) next.add(messageId);
      else next.delete(messageId);
      return next;
    });
  }, []);

  const actions = useMessageActionHandlers({
    conversation,
    open,
    selection,
    toasts,
    openConversation: props.onOpenConversation,
    showRevisions: props.onShowRevisions,
    inspectCall: props.onInspectCall,
    runMessage: (message) => void terminal.propose(message.id),
    requestCopy: setCopyIds,
    setPinned,
    showMessage: (messageId) => {
      if (list.current?.scrollToMessage(messageId)) {
        setHighlightedId(messageId);
        return;
      }
      open.loadThrough(messageId).then((found) => {
        if (!found) return;
        setHighlightedId(messageId);
        scrollAfterLoad.current = messageId;
      }, toasts.reportError);
    },
  });

  // Esc stops the model's answer while it streams, as the Stop button does (issue 11 item 2); it goes
  // before Esc clearing the selection or closing the inspector, which wait for a press with nothing to stop.
  const root = useRef<HTMLDivElement | null>(null);
  useGlobalShortcuts({
    'stop-turn': () => {
      if (!isShown(root.current)) return false;
      const streaming = conversation.messages.filter(
        (message) => message.status === 'streaming' && message.modelCallId !== null,
      );
      for (const message of streaming) actions.stop(message);
      return streaming.length > 0;
    },
  });

  // p goes to the first command waiting for the person, found in the terminal's data rather than the DOM:
  // the list renders only the cards near the view and holds only a window of the path. One above that
  // window is loaded first; one on another branch (not found above) is passed over.
  const goToWaiting = async () => {
    const opened = conversation.id;
    await terminalStore.listLoaded();
    if (terminalStore.conversationId !== opened) return;
    const held = new Map(conversation.messages.map((message, index) => [message.id, index]));
    for (const proposal of terminalStore.waiting(held)) {
      if (list.current?.focusProposal(proposal.messageId, proposal.id)) return;
      if (await open.loadThrough(proposal.messageId)) {
        proposalAfterLoad.current = { messageId: proposal.messageId, proposalId: proposal.id };
        return;
      }
    }
  };
  useGlobalShortcuts({
    'focus-proposal': () => {
      if (!isShown(root.current)) return false;
      goToWaiting().catch(toasts.reportError);
    },
  });

  // Automatic compaction is shown as it happens, with its undo (issue 8 item 7); the cards follow by themselves.
  useLiveEvent((event) => {
    if (event.type !== 'context-compacted' || event.conversationId !== conversation.id) return;
    toasts.show({
      text: event.message,
      tone: 'info',
      action: {
        label: 'Undo',
        run: () =>
          contextApi
            .unsummarize(event.summaryMessageId)
            .then((result) => open.applyMessages([result.summary, ...result.originals]), toasts.reportError),
      },
    });
  });

  const clearSelection = selection.clear;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a selection belongs to one conversation.
  useEffect(() => {
    clearSelection();
    setHighlightedId(null);
  }, [conversation.id, clearSelection]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if ((event.target as Element | null)?.closest('input, textarea, select, dialog')) return;
      clearSelection();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [clearSelection]);

  // A hit on another branch (or a deleted message): offer to show its branch.
  const offerBranch = useCallback(
    (highlightRequest: string) => {
      toasts.show({
        text: 'That message is not on the branch shown (or it was deleted).',
        tone: 'info',
        action: {
          label: 'Show its branch',
          run: () => {
            api.selectBranch(conversation.id, highlightRequest).then((selected) => {
              open.replace(selected);
              setHighlightedId(highlightRequest);
              requestAnimationFrame(() => list.current?.scrollToMessage(highlightRequest));
            }, toasts.reportError);
          },
        },
      });
    },
    [conversation.id, open, toasts],
  );

  // A search hit opens its message: scroll to it and light it up, or offer its branch when it is elsewhere.
  const { highlightRequest, onHighlightHandled } = props;
  const handledRequest = useRef<string | null>(null);
  useEffect(() => {
    if (highlightRequest === null) {
      handledRequest.current = null;
      return;
    }
    if (handledRequest.current === highlightRequest) return;
    handledRequest.current = highlightRequest;
    onHighlightHandled();
    if (list.current?.scrollToMessage(highlightRequest)) {
      setHighlightedId(highlightRequest);
      return;
    }
    // Above the held window: load down to it first (issue 7 item 9), then scroll once it has rendered.
    open.loadThrough(highlightRequest).then((found) => {
      if (found) {
        setHighlightedId(highlightRequest);
        scrollAfterLoad.current = highlightRequest;
        return;
      }
      offerBranch(highlightRequest);
    }, toasts.reportError);
  }, [highlightRequest, onHighlightHandled, open, toasts, offerBranch]);

  // A message just loaded is in the list once the list has rendered with it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the held messages change.
  useLayoutEffect(() => {
    const target = scrollAfterLoad.current;
    if (target !== null && list.current?.scrollToMessage(target)) scrollAfterLoad.current = null;
    const proposal = proposalAfterLoad.current;
    if (proposal !== null && list.current?.focusProposal(proposal.messageId, proposal.proposalId))
      proposalAfterLoad.current = null;
  }, [conversation.messages]);

  const messageCount = conversation.messages.length;
  const lastMessageId = conversation.messages.at(-1)?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the last message, which is what our own add changes.
  useLayoutEffect(() => {
    if (!followOwnMessage.current) return;
    followOwnMessage.current = false;
    list.current?.scrollToEnd();
  }, [lastMessageId]);

  const addMessage = async (message: NewMessage) => {
    try {
      const created = await api.createMessage(conversation.id, message);
      followOwnMessage.current = true;
      open.applyMessages([created]);
      return true;
    } catch (error) {
      toasts.reportError(error);
      return false;
    }
  };

  const copy = async (targetId: string | null, messageIds: string[]) => {
    setCopyIds(null);
    try {
      const target =
        targetId ??
        (await api.createConversation({ title: `Copied from ${conversationTitle(conversation.title)}` })).id;
      const copies = await api.copyMessages(target, messageIds);
      if (target === conversation.id) {
        followOwnMessage.current = true;
        open.applyMessages(copies);
      }
      const name = conversationTitle(
        props.conversations?.find((summary) => summary.id === target)?.title ?? '',
      );
      toasts.show({
        text: `Copied ${plural(copies.length, 'message')} to ${targetId === null ? 'a new conversation' : `“${name}”`}.`,
        tone: 'info',
        ...(target === conversation.id
          ? {}
          : { action: { label: 'Open it', run: () => props.onOpenConversation(target) } }),
      });
    } catch (error) {
      toasts.reportError(error);
    }
  };

  const runCommand = async (command: string) => {
    followOwnMessage.current = true;
    return terminal.runDirect(command);
  };

  // The whole path's totals, from the server: the list holds only a window of it.
  const { pathStats } = conversation;
  const selectedInOrder = messageIds.filter((id) => selection.selectedIds.has(id));

  return (
    <MessageActionsContext value={actions}>
      <div className="conversation-view" ref={root}>
        {messageCount === 0 && !conversation.hasOlder ? (
          <div className="conversation-view__empty">
            <p>No messages yet.</p>
            <p className="muted">
              Pick who speaks below (System, User, Assistant, Terminal or a name of your own), write, and add
              it.
            </p>
          </div>
        ) : (
          <MessageList
            ref={list}
            conversationId={conversation.id}
            messages={conversation.messages}
            selectedIds={selection.selectedIds}
            highlightedId={highlightedId}
            pinnedIds={pinnedIds}
            revisionsVersion={open.revisionsVersion}
            hasOlder={conversation.hasOlder}
            onNearTop={open.loadOlder}
          />
        )}
        {selectedInOrder.length > 0 ? (
          <SelectionBar
            count={selectedInOrder.length}
            onCopy={() => setCopyIds(selectedInOrder)}
            onDelete={() => actions.remove(selectedInOrder)}
            onWriteSummary={() => setSummaryRange(selectedInOrder)}
            onFindConversations={() => requestContaining(selectedInOrder)}
            onSummarize={() => {
              const first = selectedInOrder[0];
              const last = selectedInOrder.at(-1);
              if (first !== undefined && last !== undefined) actions.summarize(first, last);
            }}
            onClear={selection.clear}
          />
        ) : null}
        {summaryRange !== null ? (
          <SummaryWriter
            count={summaryRange.length}
            onCancel={() => setSummaryRange(null)}
            onSave={async (content) => {
              try {
                const result = await contextApi.summarize(conversation.id, {
                  fromMessageId: summaryRange[0] as string,
                  toMessageId: summaryRange.at(-1) as string,
                  content,
                });
                followOwnMessage.current = true;
                open.applyMessages([result.summary, ...result.originals]);
                selection.clear();
                setSummaryRange(null);
                return true;
              } catch (error) {
                toasts.reportError(error);
                return false;
              }
            }}
          />
        ) : null}
        <DirectRuns />
        <Composer
          includedTokens={pathStats.includedTokens}
          includedCount={pathStats.included}
          totalCount={pathStats.messages}
          preview={props.preview}
          onAdd={addMessage}
          onRunCommand={runCommand}
          onOpenPreview={props.onOpenPreview}
          onLeave={() => list.current?.focusLast()}
          autoFocus={messageCount === 0}
          onHost={conversation.settings.sandbox === 'host'}
        />
        {copyIds !== null ? (
          <CopyDialog
            count={copyIds.length}
            currentId={conversation.id}
            conversations={props.conversations}
            onChoose={(targetId) => void copy(targetId, copyIds)}
            onClose={() => setCopyIds(null)}
          />
        ) : null}
      </div>
    </MessageActionsContext>
  );
}
