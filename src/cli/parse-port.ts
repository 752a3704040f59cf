import { InvalidRequestError } from '../core/errors.ts';

export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidRequestError(`--port must be a whole number from 0 to 65535, not ${text}`, 'port');
  }
  return port;
}
