import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { api, type Conversation, type ConversationSummary, type NewMessage } from '../api/client.ts';
import { conversationTitle } from '../lib/format.ts';
import { MessageActionsContext } from '../state/message-actions.ts';
import { useTerminalActions } from '../state/terminal-context.tsx';
import { useToasts } from '../state/toasts.tsx';
import type { OpenConversation } from '../state/use-conversation.ts';
import { useMessageActionHandlers } from '../state/use-message-action-handlers.ts';
import type { PreviewState } from '../state/use-preview.ts';
import { useSelection } from '../state/use-selection.ts';
import { Composer } from './composer.tsx';
import { CopyDialog } from './copy-dialog.tsx';
import { DirectRuns } from './direct-runs.tsx';
import { MessageList, type MessageListHandle } from './message-list.tsx';
import { SelectionBar } from './selection-bar.tsx';

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
  const list = useRef<MessageListHandle | null>(null);
  const messageIds = useMemo(
    () => conversation.messages.map((message) => message.id),
    [conversation.messages],
  );
  const selection = useSelection(messageIds);
  const [copyIds, setCopyIds] = useState<string[] | null>(null);
  const [pinnedIds, setPinnedIds] = useState<ReadonlySet<string>>(() => new Set());
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const followOwnMessage = useRef(false);

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
  }, [highlightRequest, onHighlightHandled, conversation.id, open, toasts]);

  const messageCount = conversation.messages.length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the count, which is what our own add changes.
  useLayoutEffect(() => {
    if (!followOwnMessage.current) return;
    followOwnMessage.current = false;
    list.current?.scrollToEnd();
  }, [messageCount]);

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

  const included = conversation.messages.filter((message) => message.included && !message.deleted);
  const includedTokens = included.reduce((sum, message) => sum + message.tokenCount, 0);
  const selectedInOrder = messageIds.filter((id) => selection.selectedIds.has(id));

  return (
    <MessageActionsContext value={actions}>
      <div className="conversation-view">
        {messageCount === 0 ? (
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
          />
        )}
        {selectedInOrder.length > 0 ? (
          <SelectionBar
            count={selectedInOrder.length}
            onCopy={() => setCopyIds(selectedInOrder)}
            onDelete={() => actions.remove(selectedInOrder)}
            onClear={selection.clear}
          />
        ) : null}
        <DirectRuns />
        <Composer
          includedTokens={includedTokens}
          includedCount={included.length}
          totalCount={messageCount}
          preview={props.preview}
          onAdd={addMessage}
          onRunCommand={runCommand}
          onOpenPreview={props.onOpenPreview}
          autoFocus={messageCount === 0}
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
