import { describe, expect, it } from 'vitest';
import { RUN_COMMAND_TOOL } from '../extract-proposals.ts';
import { EDIT_FILE_TOOL, FILE_ACTION_TOOLS, parseFileActionArguments } from './file-action-arguments.ts';

describe('parseFileActionArguments', () => {
  it('reads each tool with snake_case arguments', () => {
    expect(parseFileActionArguments('read_file', '{"path":"src/a.ts","start_line":3,"end_line":9}')).toEqual({
      ok: true,
      action: { kind: 'read_file', path: 'src/a.ts', startLine: 3, endLine: 9 },
    });
    expect(parseFileActionArguments('read_file', '{"path":" src/a.ts "}')).toEqual({
      ok: true,
      action: { kind: 'read_file', path: 'src/a.ts', startLine: null, endLine: null },
    });
    expect(parseFileActionArguments('write_file', '{"path":"a.md","content":""}')).toEqual({
      ok: true,
      action: { kind: 'write_file', path: 'a.md', content: '' },
    });
    expect(
      parseFileActionArguments(
        'edit_file',
        '{"path":"a.ts","edits":[{"old_text":"x","new_text":"y"},{"old_text":"p","new_text":""}]}',
      ),
    ).toEqual({
      ok: true,
      action: {
        kind: 'edit_file',
        path: 'a.ts',
        edits: [
          { oldText: 'x', newText: 'y' },
          { oldText: 'p', newText: '' },
        ],
      },
    });
  });

  it('reads the slips models make: numbers as strings, double-encoded JSON, one edit at the top level', () => {
    expect(parseFileActionArguments('read_file', '{"path":"a","start_line":"5"}')).toMatchObject({
      ok: true,
      action: { startLine: 5 },
    });
    expect(
      parseFileActionArguments('write_file', JSON.stringify(JSON.stringify({ path: 'a', content: 'c' }))),
    ).toMatchObject({
      ok: true,
    });
    expect(parseFileActionArguments('edit_file', '{"path":"a","old_text":"x","new_text":"y"}')).toEqual({
      ok: true,
      action: { kind: 'edit_file', path: 'a', edits: [{ oldText: 'x', newText: 'y' }] },
    });
    expect(
      parseFileActionArguments(
        'edit_file',
        '{"path":"a","edits":"[{\\"old_text\\":\\"x\\",\\"new_text\\":\\"y\\"}]"}',
      ),
    ).toMatchObject({
      ok: true,
    });
  });

  it('answers a bad call with what was wrong and an example', () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        'read_file',
        '{"path":',
        /read_file arguments are not valid JSON .*for example \{"path": "src\/index.ts"/,
      ],
      ['read_file', '{"path":""}', /"path" must be a non-empty string/],
      ['read_file', '{"path":"a","start_line":0}', /"start_line" must be a whole number of 1 or more/],
      ['read_file', '{"path":"a","start_line":9,"end_line":3}', /"end_line" must be .* not below start_line/],
      ['write_file', '{"path":"a"}', /"content" must be a string holding the whole file/],
      ['edit_file', '{"path":"a","edits":[]}', /"edits" must be a non-empty array/],
      ['edit_file', '{"path":"a","edits":[{"old_text":"x"}]}', /edits\[0\]\.new_text must be a string/],
      ['edit_file', '[]', /the arguments must be a JSON object/],
      ['delete_file', '{}', /unknown tool delete_file/],
    ];
    for (const [tool, text, error] of cases) {
      const parsed = parseFileActionArguments(tool, text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.error, text).toMatch(error);
    }
  });

  it('offers tools written like run_command, with snake_case parameters', () => {
    for (const tool of FILE_ACTION_TOOLS) {
      expect(Object.keys(tool).sort()).toEqual(Object.keys(RUN_COMMAND_TOOL).sort());
      expect(tool.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    }
    expect(FILE_ACTION_TOOLS.map((tool) => tool.name)).toEqual(['read_file', 'write_file', 'edit_file']);
    expect(EDIT_FILE_TOOL.parameters.properties.edits.items.required).toEqual(['old_text', 'new_text']);
  });
});
