import { v7 } from 'uuid';

/** UUIDv7: sortable by creation time and unique across machines, so datasets from several people merge. */
export function newId(): string {
  return v7();
}

export function nowIso(): string {
  return new Date().toISOString();
}
