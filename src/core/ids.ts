import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Random bytes for 256 ids, drawn from the system at once: uuid asks for 16 bytes per id, and that call cost
 * more than the rest of an id (about a tenth of a message append).
 */
const pool = new Uint8Array(16 * 256);
let offset = pool.length;
/** uuid's own monotonic state, kept here since ids made with given bytes do not update it. */
const clock = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/**
 * UUIDv7: sortable by creation time and unique across machines, so datasets from several people merge. Within
 * one millisecond the sequence counts up (RFC 9562 method 1, as uuid does itself), so ids keep the order they
 * were made in. Ids name rows and are never secrets (sessions and sign-in codes draw their own bytes).
 */
export function newId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  const now = Date.now();
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    clock.seq = (clock.seq + 1) | 0;
    if (clock.seq === 0) clock.msecs++;
  }
  return v7({ random, msecs: clock.msecs, seq: clock.seq });
}

export function nowIso(): string {
  return new Date().toISOString();
}
