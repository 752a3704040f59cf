/** Ollama's own default address. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/**
 * `OLLAMA_HOST` as Ollama itself reads it: may lack a scheme (`127.0.0.1:11434`) or name the wildcard
 * address it listens on (`0.0.0.0`), which a client cannot connect to, so that becomes loopback.
 *
 * @example ollamaBaseUrl('0.0.0.0:11434') // 'http://127.0.0.1:11434'
 */
export function ollamaBaseUrl(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return DEFAULT_OLLAMA_HOST;
  let text = value.trim();
  if (!/^https?:\/\//i.test(text)) text = `http://${text}`;
  const url = new URL(text);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  if (url.port === '' && !/:\d+$/.test(value.trim()) && url.protocol === 'http:') url.port = '11434';
  return url.href.replace(/\/+$/, '');
}
