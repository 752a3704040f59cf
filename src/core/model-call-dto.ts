import type { ModelCallDto } from './api/model-schemas.ts';
import type { ModelCall } from './domain.ts';

/**
 * A stored model call as the API and the datasets show it: the request and the assembled message parsed
 * from the JSON text they are kept as (a text that is not JSON is shown as it is).
 */
export function modelCallDto(call: ModelCall): ModelCallDto {
  return {
    ...call,
    request: parseJson(call.request),
    assembled: call.assembled === null ? null : parseJson(call.assembled),
    usage: call.usage as ModelCallDto['usage'],
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
