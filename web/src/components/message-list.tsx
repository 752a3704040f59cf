import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual';
import {
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
} from 'react';
import type { Message } from '../api/client.ts';
import { MessageCard } from './message-card.tsx';
import { ProposalGroup } from './proposal-group.tsx';

export interface MessageListHandle {
  scrollToEnd(): void;
  scrollToMessage(messageId: string): boolean;
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

  const rangeExtractor = useCallback(
    (range: Range) => {
      const visible = defaultRangeExtractor(range);
      if (pinnedIds.size === 0) return visible;
      const all = new Set(visible);
      for (const id of pinnedIds) {
        const index = indexById.get(id);
        if (index !== undefined) all.add(index);
      }
      return [...all].sort((a, b) => a - b);
    },
    [pinnedIds, indexById],
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
    }),
    [virtualizer, indexById],
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
