/**
 * The Export dialog's calls (issue 9 item 4): the preview, and the download of the JSON Lines file and of its
 * dataset card.
 *
 * The download goes through fetch, since the token travels only as a header from this origin's scripts
 * (session-token.ts) and a plain link would carry none. The server streams the file with flat memory; the
 * browser gathers it into a Blob before handing it to the person as a file, so the page holds the whole file
 * once (Chromium moves a large Blob to disk). Fine for the sizes a person exports from a dialog; a database
 * of millions of messages is `mp export`'s job, which writes the file as it is made.
 */
import {
  type ExportPreview,
  ExportPreviewSchema,
  type ExportRequestInput,
} from '../../../src/core/api/dataset-schemas.ts';
import { ApiRequestError, UNREACHABLE_STATUS } from './api-request-error.ts';
import { errorFrom, request } from './client.ts';
import { authorizationHeader, requestCredentials } from './session-token.ts';

/** The export's true counts, first lines and card, without writing anything. */
export function previewExport(body: ExportRequestInput): Promise<ExportPreview> {
  return request('POST', '/api/exports/preview', ExportPreviewSchema, body);
}

/** Fetches the export and saves it as the file the server names; resolves with its name and size. */
export async function downloadExport(
  body: ExportRequestInput,
  signal?: AbortSignal,
): Promise<{ fileName: string; bytes: number }> {
  let response: Response;
  try {
    response = await fetch('/api/exports', {
      method: 'POST',
      credentials: requestCredentials(),
      headers: { ...authorizationHeader(), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (cause) {
    throw unreachable(cause);
  }
  if (!response.ok) throw await errorFrom(response);
  const fileName = attachmentName(response.headers.get('Content-Disposition')) ?? 'export.jsonl';
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch (cause) {
    // The server stopped half-way (it ends the stream without its last chunk): no partial file is saved.
    throw new ApiRequestError(
      response.status,
      {
        code: 'export_interrupted',
        message: 'The export stopped before it was complete; nothing was saved.',
      },
      { cause },
    );
  }
  saveBlob(blob, fileName);
  return { fileName, bytes: blob.size };
}

/** Saves text the page already holds (the dataset card) as a file. */
export function saveText(text: string, fileName: string, type: string): void {
  saveBlob(new Blob([text], { type }), fileName);
}

/**
 * @example
 * attachmentName('attachment; filename="mp-trl-sft-2026-12-02.jsonl"') // 'mp-trl-sft-2026-12-02.jsonl'
 */
export function attachmentName(disposition: string | null): string | null {
  const name = /filename="([^"]+)"/.exec(disposition ?? '')?.[1];
  return name === undefined || name.includes('/') ? null : name;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the Blob after this task; revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function unreachable(cause: unknown): ApiRequestError {
  if (cause instanceof DOMException && cause.name === 'AbortError') {
    return new ApiRequestError(UNREACHABLE_STATUS, { code: 'aborted', message: 'The export was cancelled.' });
  }
  return new ApiRequestError(
    UNREACHABLE_STATUS,
    { code: 'unreachable', message: 'Cannot reach the ModelProgrammer server. Is `mp serve` still running?' },
    { cause },
  );
}
