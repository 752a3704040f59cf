import type { AssembledMessage, FinishReason, TokenUsage, TurnEvent } from '../core/provider.ts';

/** Turns one wire format's chunks into turn events; one instance per call. */
export interface StreamAssembler<Chunk> {
  /** Throws MalformedResponseError for a chunk that breaks the wire format's promises. */
  push(chunk: Chunk): TurnEvent[];
  /** The finish reason the stream declared, or null when it never declared one (cut off). */
  finishReason(): FinishReason | null;
  /** Closes what is still open; `finished` is false when the stream was stopped or cut. */
  close(finished: boolean): TurnEvent[];
  message(): AssembledMessage;
  usage(): TokenUsage | null;
}
