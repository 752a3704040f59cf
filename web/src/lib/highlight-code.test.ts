import { describe, expect, it } from 'vitest';
import { type CodeNode, HIGHLIGHT_LIMIT, highlightCode } from './highlight-code.ts';

const text = (nodes: CodeNode[]): string =>
  nodes.map((node) => (typeof node === 'string' ? node : text(node.children))).join('');

describe('highlightCode', () => {
  it('marks a TypeScript keyword with highlight.js’s class, keeping the text as it was', () => {
    const source = 'const answer: number = 42;\n';
    const nodes = highlightCode('src/answer.ts', source);
    expect(nodes).toContainEqual({ className: 'hljs-keyword', children: ['const'] });
    expect(text(nodes)).toBe(source);
  });

  it('leaves files it has no grammar for, and very large ones, as one plain text', () => {
    expect(highlightCode('LICENSE', 'const x')).toEqual(['const x']);
    const large = 'let a = 1;\n'.repeat(HIGHLIGHT_LIMIT / 10);
    expect(highlightCode('big.js', large)).toEqual([large]);
  });
});
