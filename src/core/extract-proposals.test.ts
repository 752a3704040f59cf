import { describe, expect, it } from 'vitest';
import { extractFencedCommands, parseRunCommandArguments } from './extract-proposals.ts';

describe('extractFencedCommands', () => {
  it('takes bash, sh, shell and console blocks in order and skips other languages', () => {
    const text = [
      'First:',
      '```bash',
      'cd src',
      'ls -la',
      '```',
      '```python',
      'print("not a command")',
      '```',
      '```sh',
      'make test',
      '```',
      'Then ```shell``` inline is not a fence.',
      '~~~shell',
      'git status',
      '~~~',
      '```',
      'no language, not proposed',
      '```',
      '```Bash title="x"',
      'echo upper-case',
      '```',
    ].join('\n');
    expect(extractFencedCommands(text)).toMatchObject([
      { command: 'cd src\nls -la', language: 'bash' },
      { command: 'make test', language: 'sh' },
      { command: 'git status', language: 'shell' },
      { command: 'echo upper-case', language: 'bash' },
    ]);
  });

  it('strips console prompts and drops output lines, keeping continuations', () => {
    const text = [
      '```console',
      '$ ls',
      'a.txt  b.txt',
      '$ echo "one',
      '> two"',
      'one',
      'two',
      '$ make \\',
      '    all',
      'make: done',
      '$',
      '```',
    ].join('\n');
    expect(extractFencedCommands(text)).toMatchObject([
      { command: 'ls\necho "one\ntwo"\nmake \\\n    all', language: 'console' },
    ]);
  });

  it('takes a console block without prompts as plain commands', () => {
    expect(extractFencedCommands('```console\nnpm test\n```')).toMatchObject([
      { command: 'npm test', language: 'console' },
    ]);
  });

  it('removes the fence indentation of blocks inside list items', () => {
    const text = '1. Install:\n   ```bash\n   npm ci\n     npm run build\n   ```\n';
    expect(extractFencedCommands(text)).toMatchObject([
      { command: 'npm ci\n  npm run build', language: 'bash' },
    ]);
  });

  it('needs a closing fence at least as long as the opening one, of the same character', () => {
    const text = '````bash\necho "```"\n~~~\n````\n';
    expect(extractFencedCommands(text)).toMatchObject([{ command: 'echo "```"\n~~~', language: 'bash' }]);
  });

  it('does not read a shell fence nested in another block', () => {
    expect(extractFencedCommands('````markdown\n```bash\nrm -rf /\n```\n````')).toMatchObject([]);
  });

  it('skips a fence left open (a stream cut mid-block) and empty blocks', () => {
    expect(extractFencedCommands('```bash\n\n```\n```bash\nrm -rf bui')).toMatchObject([]);
  });

  it('handles CRLF line ends', () => {
    expect(extractFencedCommands('```sh\r\nls\r\n```\r\n')).toMatchObject([
      { command: 'ls', language: 'sh' },
    ]);
  });
});

describe('parseRunCommandArguments', () => {
  it('reads a command and an optional timeout', () => {
    expect(parseRunCommandArguments('{"command":"npm test","timeout_seconds":120}')).toEqual({
      ok: true,
      command: 'npm test',
      timeoutSeconds: 120,
    });
    expect(parseRunCommandArguments('{"command":"ls"}')).toEqual({
      ok: true,
      command: 'ls',
      timeoutSeconds: null,
    });
    expect(parseRunCommandArguments('{"command":"ls","timeout":5}')).toMatchObject({ timeoutSeconds: 5 });
  });

  it('accepts arguments encoded twice as a JSON string', () => {
    expect(parseRunCommandArguments(JSON.stringify('{"command":"pwd"}'))).toMatchObject({
      ok: true,
      command: 'pwd',
    });
  });

  it('answers invalid JSON with an error the model can act on', () => {
    const result = parseRunCommandArguments('{"command": "ls');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^run_command arguments are not valid JSON \(.+\)\. Send one JSON object/);
    expect(result.error).toContain('{"command": "ls -la", "timeout_seconds": 30}');
  });

  it.each([
    ['{}', '"command" must be a non-empty string holding the shell command'],
    ['', '"command" must be a non-empty string holding the shell command'],
    ['{"command":"  "}', '"command" must be a non-empty string holding the shell command'],
    ['{"command":["ls"]}', '"command" must be a non-empty string holding the shell command'],
    [
      '{"command":"ls","timeout_seconds":0}',
      '"timeout_seconds" must be a number of seconds above 0 and at most 3600',
    ],
    [
      '{"command":"ls","timeout_seconds":"10"}',
      '"timeout_seconds" must be a number of seconds above 0 and at most 3600',
    ],
    [
      '{"command":"ls","timeout_seconds":99999}',
      '"timeout_seconds" must be a number of seconds above 0 and at most 3600',
    ],
    ['["ls"]', 'the arguments must be a JSON object'],
    ['null', 'the arguments must be a JSON object'],
  ])('explains what is wrong with %j', (argumentsText, problem) => {
    const result = parseRunCommandArguments(argumentsText);
    expect(result).toEqual({
      ok: false,
      error: `run_command arguments were not usable: ${problem}. For example {"command": "ls -la", "timeout_seconds": 30}.`,
    });
  });
});

describe('where each fenced command starts', () => {
  it('is the offset of its opening fence, with LF or CRLF line breaks', () => {
    const text = 'One:\n```bash\nls\n```\nTwo:\r\n```sh\r\npwd\r\n```\r\n';
    const starts = extractFencedCommands(text).map((command) => command.start);
    expect(starts).toEqual([text.indexOf('```bash'), text.indexOf('```sh')]);
  });
});
