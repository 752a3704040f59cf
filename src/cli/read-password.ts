/**
 * Reads a password for `mp user` without it ever appearing anywhere: not in the process's arguments (every
 * user of the machine can read those), not on the screen. From a pipe it is the first line of standard input
 * (`printf '%s\n' "$PW" | mp user add alice --role member`); from a terminal it is typed with echo off, twice.
 */
import { AppError } from '../core/errors.ts';

export class PasswordInputError extends AppError {
  constructor(message: string) {
    super('password_input', message);
    this.name = 'PasswordInputError';
  }
}

/** The first line of a non-terminal input (without its line ending), or of what the person types. */
export async function readPassword(
  input: NodeJS.ReadStream = process.stdin,
  prompt: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) return readFirstLine(input);
  const first = await readHidden(input, prompt, 'Password: ');
  const again = await readHidden(input, prompt, 'Password again: ');
  if (first !== again) throw new PasswordInputError('the two passwords differ; nothing was changed');
  return first;
}

function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      input.off('data', onData);
      input.off('end', finish);
      input.off('error', reject);
      input.pause();
      const newline = text.indexOf('\n');
      resolve((newline === -1 ? text : text.slice(0, newline)).replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n') || text.length > 64 * 1024) finish();
    };
    input.on('data', onData);
    input.once('end', finish);
    input.once('error', reject);
  });
}

function readHidden(input: NodeJS.ReadStream, prompt: NodeJS.WriteStream, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    prompt.write(label);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let typed = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') return done();
        if (character === '\u0003') return done(new PasswordInputError('interrupted; nothing was changed'));
        if (character === '\u007f' || character === '\b') typed = [...typed].slice(0, -1).join('');
        else if (character >= ' ') typed += character;
      }
    };
    input.on('data', onData);
  });
}
