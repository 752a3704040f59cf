/**
 * The open conversation's review labels (issue 9 item 1), loaded once and kept current: a change this page
 * makes shows at once, and one made elsewhere (another tab, a reviewer) arrives as `label-changed`, whose
 * labels are applied as they are (no refetch). Cards read their own target's labels from here.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { LabelChange, LabelTargetKind } from '../../../src/core/api/review-schemas.ts';
import { type LabelDto, reviewApi } from '../api/review-api.ts';
import { signedInAccount } from '../api/team-session.ts';
import { useLiveEvent, useResync } from './live-events-context.tsx';
import { useToasts } from './toasts.tsx';

interface ReviewState {
  conversationId: string;
  labels: readonly LabelDto[];
  /** The signed-in account on a team server; null in token mode (labels there carry no account). */
  accountId: string | null;
  apply: (change: Pick<LabelChange, 'label' | 'removed'>) => void;
}

const ReviewContext = createContext<ReviewState | null>(null);

/** With no conversation open, cards outside one show no review controls. */
export function ReviewProvider(props: { conversationId: string | null; children: ReactNode }) {
  if (props.conversationId === null) return props.children;
  return <ConversationReview conversationId={props.conversationId}>{props.children}</ConversationReview>;
}

function ConversationReview(props: { conversationId: string; children: ReactNode }) {
  const { conversationId } = props;
  const { reportError } = useToasts();
  const [labels, setLabels] = useState<readonly LabelDto[]>([]);
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for a fresh load after a resync.
  useEffect(() => {
    let current = true;
    setLabels([]);
    reviewApi.labels(conversationId).then(
      (loaded) => current && setLabels(loaded),
      (error: unknown) => current && reportError(error),
    );
    return () => {
      current = false;
    };
  }, [conversationId, reportError, version]);

  const apply = useCallback((change: Pick<LabelChange, 'label' | 'removed'>) => {
    setLabels((all) => {
      const gone = new Set(change.removed.map((label) => label.id));
      const kept = all.filter((label) => !gone.has(label.id) && label.id !== change.label?.id);
      return change.label === null ? kept : [...kept, change.label];
    });
  }, []);

  useLiveEvent((event) => {
    if (event.type === 'label-changed' && event.conversationId === conversationId) apply(event);
  });
  useResync((id) => {
    if (id === null || id === conversationId) setVersion((previous) => previous + 1);
  });

  const value = useMemo(
    () => ({ conversationId, labels, accountId: signedInAccount()?.id ?? null, apply }),
    [conversationId, labels, apply],
  );
  return <ReviewContext.Provider value={value}>{props.children}</ReviewContext.Provider>;
}

/** The labels on one target, and what is needed to change them; null outside a ReviewProvider. */
export function useTargetLabels(kind: LabelTargetKind, id: string) {
  const review = useContext(ReviewContext);
  return useMemo(() => {
    if (review === null) return null;
    const mine = (label: LabelDto) => label.accountId === review.accountId;
    const on = review.labels.filter((label) => label.targetKind === kind && label.targetId === id);
    return {
      conversationId: review.conversationId,
      rating: on.find((label) => label.name === 'rating' && mine(label)) ?? null,
      otherRatings: on.filter((label) => label.name === 'rating' && !mine(label)),
      note: on.find((label) => label.name === 'note' && mine(label)) ?? null,
      tags: on.filter((label) => label.name === 'tag'),
      outcome: on.find((label) => label.name === 'outcome') ?? null,
      apply: review.apply,
    };
  }, [review, kind, id]);
}
