import { describe, expect, it } from 'vitest';
import { ansiSegments } from './ansi-segments.ts';

const ESC = '\u001b';

describe('ansiSegments', () => {
  it('keeps plain text as one unstyled segment, markup characters included', () => {
    expect(ansiSegments('<script>alert("x")</script> & \'é\' 😀')).toEqual([
      { text: '<script>alert("x")</script> & \'é\' 😀', style: null },
    ]);
  });

  it('turns colours and bold into styles, and resets them', () => {
    const segments = ansiSegments(`${ESC}[1;31mfailed${ESC}[0m ok ${ESC}[32mpassed${ESC}[39m!`);
    expect(segments).toEqual([
      { text: 'failed', style: { fontWeight: 'bold', color: '#ff6b6b' } },
      { text: ' ok ', style: null },
      { text: 'passed', style: { color: '#5fd068' } },
      { text: '!', style: { color: '#d0d0d0' } },
    ]);
  });

  it('reads 256-colour and true-colour codes', () => {
    const [first, second] = ansiSegments(`${ESC}[38;5;208mo${ESC}[48;2;1;2;3mx${ESC}[0m`);
    expect(first).toEqual({ text: 'o', style: { color: '#ff8700' } });
    expect(second).toEqual({ text: 'x', style: { color: '#ff8700', backgroundColor: '#010203' } });
  });

  it('never lets coloured text open a tag', () => {
    const segments = ansiSegments(`${ESC}[31m<img src=x onerror=alert(1)>${ESC}[0m`);
    expect(segments).toEqual([{ text: '<img src=x onerror=alert(1)>', style: { color: '#ff6b6b' } }]);
  });

  it('drops window-title sequences and stray control characters', () => {
    expect(ansiSegments(`${ESC}]0;my title\u0007a\u0000b\u0008c\td`)).toEqual([
      { text: 'abc\td', style: null },
    ]);
  });

  it('shows the last version of a line rewritten with carriage returns', () => {
    expect(ansiSegments('10%\r50%\r100%\ndone\r\n')).toEqual([{ text: '100%\ndone\n', style: null }]);
  });

  it('shows concealed text (SGR 8), marked, instead of hiding it', () => {
    const segments = ansiSegments(`ok ${ESC}[8mrm -rf ~${ESC}[0m done ${ESC}[32;8mgreen${ESC}[0m`);
    expect(segments.map((segment) => segment.text).join('')).toBe('ok rm -rf ~ done green');
    expect(segments).toEqual([
      { text: 'ok ', style: null },
      { text: 'rm -rf ~', style: { opacity: 0.65, textDecoration: 'line-through' }, concealed: true },
      { text: ' done ', style: null },
      {
        text: 'green',
        style: { color: '#5fd068', opacity: 0.65, textDecoration: 'line-through' },
        concealed: true,
      },
    ]);
    for (const segment of segments) expect(JSON.stringify(segment.style ?? {})).not.toContain('none');
  });
});
