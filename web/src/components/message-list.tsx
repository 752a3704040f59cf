import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual';
import {
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { Message } from '../api/client.ts';
import {
  dispatchWithin,
  isShown,
  useGlobalShortcuts,
  useShortcutScope,
} from '../state/use-keyboard-shortcuts.ts';
import { MessageCard } from './message-card.tsx';
import { ProposalGroup } from './proposal-group.tsx';

export interface MessageListHandle {
  scrollToEnd(): void;
  scrollToMessage(messageId: string): boolean;
  /**
   * Scrolls to a held message's proposal and focuses its card, once rendered (it may be far from the view,
   * so not in the DOM yet); false when the message is not held.
   */
  focusProposal(messageId: string, proposalId: string): boolean;
  /** Moves the keyboard to the last message's card (Esc in the composer). */
  focusLast(): void;
}

/** A first guess at a card's height; each card is measured once it renders. */
const ESTIMATED_CARD_HEIGHT = 160;
/** How close (in cards) to the first held message the view gets before the window above is loaded. */
const LOAD_OLDER_WITHIN = 8;

/**
 * The cards of the current path. Only what is visible (plus a few above and below) is in the DOM, so a
 * 10,000-message conversation scrolls like a short one; cards being edited stay mounted (`pinnedIds`).
 * Positions are set through React's `style` prop, which writes the CSSOM and so passes `style-src 'self'`.
 * It holds a window of the path: near its top it asks for the window above (`onNearTop`), and the
 * virtualizer's end anchor keeps the cards on screen where they were when older ones are put above them.
 */
export function MessageList(props: {
  conversationId: string;
  messages: Message[];
  selectedIds: ReadonlySet<string>;
  highlightedId: string | null;
  pinnedIds: ReadonlySet<string>;
  revisionsVersion: number;
  /** Whether older messages of the path lie above the held ones. */
  hasOlder: boolean;
  onNearTop: () => void;
  ref: Ref<MessageListHandle>;
}) {
  const { messages, pinnedIds } = props;
  const scrollElement = useRef<HTMLDivElement | null>(null);
  const indexById = useMemo(() => new Map(messages.map((message, index) => [message.id, index])), [messages]);
  // Roving focus (issue 11 item 2): one card is the list's Tab stop, the one the keyboard was last on
  // (the newest until then); j / k move from it. A card to focus once the virtualizer has rendered it.
  const [currentId, setCurrentId] = useState<string | null>(null);
  // The wanted card is rendered whatever the scroll does meanwhile: a scroll command can be overtaken by the
  // virtualizer's own anchoring (older messages just put above, sizes measured late under load), and a
  // card that never renders would leave the keyboard on <body>.
  const [focusWanted, want] = useState<{ messageId: string; proposalId: string | null } | null>(null);
  const wantedId = focusWanted?.messageId ?? null;
  const tabStopId =
    currentId !== null && indexById.has(currentId) ? currentId : (messages.at(-1)?.id ?? null);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const visible = defaultRangeExtractor(range);
      // Cards being edited, the card the keyboard is on (unmounting it would drop the focus to <body>) and
      // the one about to get it stay mounted wherever the view is.
      const kept = [...pinnedIds, currentId, wantedId];
      const all = new Set(visible);
      for (const id of kept) {
        const index = id === null ? undefined : indexById.get(id);
        if (index !== undefined) all.add(index);
      }
      return all.size === visible.length ? visible : [...all].sort((a, b) => a - b);
    },
    [pinnedIds, currentId, wantedId, indexById],
  );

  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollElement.current,
    estimateSize: () => ESTIMATED_CARD_HEIGHT,
    getItemKey: (index) => messages[index]?.id ?? index,
    overscan: 4,
    rangeExtractor,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 80,
  });

  const cardOf = useCallback(
    (messageId: string) =>
      scrollElement.current?.querySelector<HTMLElement>(
        `article[data-message-id="${CSS.escape(messageId)}"]`,
      ) ?? null,
    [],
  );
  /** The element a wanted focus goes to: the message's card, or one of its proposals (beside the card). */
  const targetOf = useCallback(
    (wanted: { messageId: string; proposalId: string | null }) => {
      const card = cardOf(wanted.messageId);
      if (card === null || wanted.proposalId === null) return card;
      return (
        card
          .closest('.message-list__item')
          ?.querySelector<HTMLElement>(`[data-proposal-id="${CSS.escape(wanted.proposalId)}"]`) ?? null
      );
    },
    [cardOf],
  );
  const focusCard = useCallback(
    (index: number) => {
      const messageId = messages[index]?.id;
      if (messageId === undefined) return;
      const card = cardOf(messageId);
      const view = scrollElement.current?.getBoundingClientRect();
      if (card === null || view === undefined) {
        want({ messageId, proposalId: null });
        virtualizer.scrollToIndex(index, { align: 'start' });
        return;
      }
      const box = card.getBoundingClientRect();
      // A card taller than the view is read from its top.
      if (box.top < view.top || box.bottom > view.bottom) {
        card.scrollIntoView({ block: box.height > view.height ? 'start' : 'nearest' });
      }
      card.focus({ preventScroll: true });
    },
    [messages, cardOf, virtualizer],
  );
  // After every render: the wanted card may just have come in.
  useLayoutEffect(() => {
    const wanted = focusWanted;
    if (wanted === null) return;
    const target = targetOf(wanted);
    if (target === null) return;
    want(null);
    target.focus({ preventScroll: true });
    // Shown where it is now, whether or not the scroll command reached it.
    target.scrollIntoView({ block: 'nearest' });
  });

  /** Where j / k start: the card the focus is in or under, else the list's current card. */
  const step = (delta: number) => {
    if (!isShown(scrollElement.current)) return false;
    const active = document.activeElement;
    const item = active instanceof Element ? active.closest<HTMLElement>('.message-list__item') : null;
    const inList = item !== null && scrollElement.current?.contains(item) === true;
    const from = inList
      ? Number(item.dataset.index)
      : tabStopId === null
        ? -1
        : (indexById.get(tabStopId) ?? -1);
    if (from < 0) return false;
    const onCard = inList && active?.matches('article.message-card') === true;
    // Outside the list, or inside a card's controls, the first press lands on the card itself.
    const to = inList && onCard ? Math.min(Math.max(from + delta, 0), messages.length - 1) : from;
    if (inList && onCard && to === from) return true;
    focusCard(to);
    return true;
  };
  useGlobalShortcuts({
    'next-message': () => step(1),
    'previous-message': () => step(-1),
  });
  // On a card, `y` and `n` mean its first waiting command (they are answered by the proposal's own scope).
  const canvas = useShortcutScope<HTMLElement>({
    'run-proposal': (context) => {
      const item = context.target.closest('.message-list__item');
      return item !== null && dispatchWithin(item, 'run-proposal', context);
    },
    'reject-proposal': (context) => {
      const item = context.target.closest('.message-list__item');
      return item !== null && dispatchWithin(item, 'reject-proposal', context);
    },
  });

  useImperativeHandle(
    props.ref,
    () => ({
      scrollToEnd: () => virtualizer.scrollToEnd(),
      scrollToMessage: (messageId) => {
        const index = indexById.get(messageId);
        if (index === undefined) return false;
        virtualizer.scrollToIndex(index, { align: 'center' });
        return true;
      },
      focusProposal: (messageId, proposalId) => {
        const index = indexById.get(messageId);
        if (index === undefined) return false;
        const wanted = { messageId, proposalId };
        const target = targetOf(wanted);
        if (target !== null) {
          target.scrollIntoView({ block: 'nearest' });
          target.focus({ preventScroll: true });
          return true;
        }
        // The proposals sit at the end of their message's item: aligning its end shows them.
        want(wanted);
        virtualizer.scrollToIndex(index, { align: 'end' });
        return true;
      },
      focusLast: () => focusCard(messages.length - 1),
    }),
    [virtualizer, indexById, focusCard, targetOf, messages.length],
  );

  // A conversation opens at its latest message, as a chat does.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when another conversation opens, not on every change.
  useLayoutEffect(() => {
    virtualizer.scrollToEnd();
  }, [props.conversationId]);

  const items = virtualizer.getVirtualItems();
  const firstShown = items[0]?.index;
  const { hasOlder, onNearTop } = props;
  useEffect(() => {
    if (hasOlder && firstShown !== undefined && firstShown < LOAD_OLDER_WITHIN) onNearTop();
  }, [hasOlder, firstShown, onNearTop]);
  return (
    <div className="message-list" ref={scrollElement}>
      <section
        ref={canvas.ref}
        onFocus={(event) => {
          const item = (event.target as Element).closest<HTMLElement>('.message-list__item');
          const id = item === null ? undefined : messages[Number(item.dataset.index)]?.id;
          if (id !== undefined) setCurrentId(id);
        }}
        className="message-list__canvas"
        aria-label="Messages"
        aria-busy={props.hasOlder && firstShown !== undefined && firstShown < LOAD_OLDER_WITHIN}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const message = messages[item.index];
          if (message === undefined) return null;
          return (
            <div
              key={item.key}
              className="message-list__item"
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <MessageCard
                message={message}
                tabStop={message.id === tabStopId}
                selected={props.selectedIds.has(message.id)}
                highlighted={props.highlightedId === message.id}
                revisionsVersion={props.revisionsVersion}
              />
              {message.role === 'assistant' ? <ProposalGroup messageId={message.id} /> : null}
            </div>
          );
        })}
      </section>
    </div>
  );
}
