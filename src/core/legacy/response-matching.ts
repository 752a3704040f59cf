/**
 * Links raw API responses (type 0) to the messages they produced. The original's `source_id` cannot be trusted
 * for this (a formatted answer points at itself), so a response matches a message whose first text is the
 * response's text, written at nearly the same moment.
 */

export interface ResponseToMatch {
  id: number;
  content: string;
  /** When the response was saved (wall-clock ms). */
  at: number;
}

export interface MatchCandidate<T> {
  ref: T;
  /** The message's first revision. */
  content: string;
  /** When the first snapshot showed this message position. */
  firstSeenAt: number;
  /** When the message row was written. The original stored each text once, so a repeated answer reuses an old row. */
  writtenAt: number;
}

/** The original saved a response, its formatted message and a snapshot within the same second or so. */
export const MATCH_WINDOW_MS = 2 * 60_000;

/** Response id → the candidate it produced. Each response and each candidate is used at most once, closest first. */
export function matchResponses<T>(
  responses: readonly ResponseToMatch[],
  candidates: readonly MatchCandidate<T>[],
  windowMs: number = MATCH_WINDOW_MS,
): Map<number, T> {
  const byContent = new Map<string, number[]>();
  candidates.forEach((candidate, index) => {
    byContent.set(candidate.content, [...(byContent.get(candidate.content) ?? []), index]);
  });
  const pairs: { response: number; candidate: number; distance: number; seenDistance: number }[] = [];
  for (const [responseIndex, response] of responses.entries()) {
    for (const candidateIndex of byContent.get(response.content) ?? []) {
      const candidate = candidates[candidateIndex] as MatchCandidate<T>;
      const seenDistance = Math.abs(response.at - candidate.firstSeenAt);
      const distance = Math.min(seenDistance, Math.abs(response.at - candidate.writtenAt));
      if (distance <= windowMs)
        pairs.push({ response: responseIndex, candidate: candidateIndex, distance, seenDistance });
    }
  }
  // When the same answer came twice, both rows look equally close by write time; the snapshot that first
  // showed each position tells them apart.
  pairs.sort(
    (a, b) =>
      a.distance - b.distance ||
      a.seenDistance - b.seenDistance ||
      a.response - b.response ||
      a.candidate - b.candidate,
  );
  const matched = new Map<number, T>();
  const usedCandidates = new Set<number>();
  for (const pair of pairs) {
    const response = responses[pair.response] as ResponseToMatch;
    if (matched.has(response.id) || usedCandidates.has(pair.candidate)) continue;
    matched.set(response.id, (candidates[pair.candidate] as MatchCandidate<T>).ref);
    usedCandidates.add(pair.candidate);
  }
  return matched;
}
