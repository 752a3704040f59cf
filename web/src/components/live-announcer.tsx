import { useState } from 'react';
import { announcementFor } from '../lib/announcements.ts';
import { useLiveEvent } from '../state/live-events-context.tsx';

/**
 * A polite live region that tells a screen reader when a model turn or a command in the open conversation
 * has ended (issue 11), without taking the keyboard anywhere: the person keeps writing or reading. Two equal
 * texts in a row (two commands that both finished with 0) would not be read twice, so each carries a count
 * in an alternating zero-width space.
 */
export function LiveAnnouncer(props: { conversationId: string | null }) {
  const [said, setSaid] = useState({ text: '', count: 0 });
  useLiveEvent((event) => {
    const text = announcementFor(event, props.conversationId);
    if (text !== null) setSaid((previous) => ({ text, count: previous.count + 1 }));
  });
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-announcer="">
      {said.text}
      {said.count % 2 === 1 ? '\u200b' : ''}
    </div>
  );
}
