import { describe, expect, it } from 'vitest';
import { extractFencedCommands } from '../extract-proposals.ts';
import { parseFileActions } from './search-replace-blocks.ts';

const EDIT = [
  'I will change the port.',
  '```edit src/server.ts',
  '<<<<<<< SEARCH',
  'const port = 80;',
  '=======',
  'const port = 8080;',
  '>>>>>>> REPLACE',
  '',
  '<<<<<<< SEARCH',
  'log("old");',
  '=======',
  '>>>>>>> REPLACE',
  '```',
  '',
].join('\n');

describe('parseFileActions', () => {
  it('reads an edit block with several SEARCH/REPLACE pairs as whole lines', () => {
    expect(parseFileActions(EDIT)).toEqual([
      {
        kind: 'edit_file',
        path: 'src/server.ts',
        edits: [
          { oldText: 'const port = 80;\n', newText: 'const port = 8080;\n' },
          { oldText: 'log("old");\n', newText: '' },
        ],
        start: EDIT.indexOf('```edit'),
        end: EDIT.length,
        error: null,
      },
    ]);
  });

  it('an empty SEARCH section is an empty old text (it creates a missing file)', () => {
    const [action] = parseFileActions(
      '```edit new.txt\n<<<<<<< SEARCH\n=======\nhello\n>>>>>>> REPLACE\n```',
    );
    expect(action).toMatchObject({
      kind: 'edit_file',
      edits: [{ oldText: '', newText: 'hello\n' }],
      error: null,
    });
  });

  it('reads write blocks (whole content) and read blocks (with or without a line range)', () => {
    const text = [
      '```write "docs/my notes.md"',
      '# Notes',
      '',
      '```bash',
      'echo not a command here',
      '```',
      '````',
      '',
      '```read src/a.ts 10-40',
      '```',
      '~~~read_file src/b.ts',
      '~~~',
      '```read src/c.ts 5-',
      '```',
    ].join('\n');
    // With a three-backtick fence the body's own closing ``` line ends the write early, as in Markdown.
    expect(parseFileActions(text)[0]).toMatchObject({
      kind: 'write_file',
      content: '# Notes\n\n```bash\necho not a command here\n',
    });
    const longer = text.replace('```write', '````write');
    expect(parseFileActions(longer)).toEqual([
      {
        kind: 'write_file',
        path: 'docs/my notes.md',
        content: '# Notes\n\n```bash\necho not a command here\n```\n',
        start: 0,
        end: longer.indexOf('\n\n```read') + 1,
        error: null,
      },
      expect.objectContaining({
        kind: 'read_file',
        path: 'src/a.ts',
        startLine: 10,
        endLine: 40,
        error: null,
      }),
      expect.objectContaining({
        kind: 'read_file',
        path: 'src/b.ts',
        startLine: null,
        endLine: null,
        error: null,
      }),
      expect.objectContaining({
        kind: 'read_file',
        path: 'src/c.ts',
        startLine: 5,
        endLine: null,
        error: null,
      }),
    ]);
    // The shell parser sees the same fences: the bash block inside the write is body, not a command.
    expect(extractFencedCommands(longer)).toEqual([]);
  });

  it('orders among shell blocks by start and leaves other fences alone', () => {
    const text = '```bash\nls\n```\n```python\nprint(1)\n```\n```write a.txt\nx\n```\n';
    const [action] = parseFileActions(text);
    expect(action?.start).toBe(text.indexOf('```write'));
    expect(parseFileActions(text)).toHaveLength(1);
  });

  it('reports malformed blocks as values, where they were written', () => {
    const cases: Array<[string, RegExp]> = [
      ['```edit\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```', /names no file/],
      ['```edit a.ts\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n```', /must end with a ======= line/],
      ['```edit a.ts\n<<<<<<< SEARCH\na\n=======\nb\n```', /not finished: it must end with >>>>>>> REPLACE/],
      ['```edit a.ts\nsome prose\n```', /body line 1 is outside a SEARCH\/REPLACE block/],
      ['```edit a.ts\n```', /holds no <<<<<<< SEARCH/],
      ['```read a.ts lines ten\n```', /give lines as START-END/],
      ['```read a.ts 9-3\n```', /give lines as START-END/],
      ['```read a.ts\nsome text\n```', /a read block is empty/],
      ['```write a.ts extra\nx\n```', /text after the path/],
    ];
    for (const [text, error] of cases) {
      const actions = parseFileActions(text);
      expect(actions, text).toHaveLength(1);
      expect(actions[0]!.error, text).toMatch(error);
      expect(actions[0]!.start).toBe(0);
    }
  });

  it('skips a block left open at the end (a stream cut mid-block)', () => {
    expect(parseFileActions('```write a.txt\nhalf of the fi')).toEqual([]);
  });

  it('takes off the fence indentation and accepts CRLF text', () => {
    const text =
      '  ```edit a.ts\r\n  <<<<<<< SEARCH\r\n    x\r\n  =======\r\n    y\r\n  >>>>>>> REPLACE\r\n  ```\r\n';
    expect(parseFileActions(text)).toMatchObject([
      { edits: [{ oldText: '  x\n', newText: '  y\n' }], error: null },
    ]);
  });
});
