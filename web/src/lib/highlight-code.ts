/**
 * Syntax highlighting for workspace files (issue 8 item 4): lowlight (highlight.js) with its `common`
 * grammars, the ones rehype-highlight already puts in the bundle. Its output is a tree of spans with
 * `hljs-*` classes and no style attributes, which the CSP (`style-src 'self'`) allows and markdown.css's
 * highlight.js themes colour in both colour schemes.
 */
import { common, createLowlight } from 'lowlight';
import { codeLanguage } from './code-language.ts';

const lowlight = createLowlight(common);

type HastRoot = ReturnType<typeof lowlight.highlight>;
type HastNode = HastRoot['children'][number];
type HastElement = Extract<HastNode, { type: 'element' }>;

/** Past this a file is shown unhighlighted: highlighting a large file blocks the page. */
export const HIGHLIGHT_LIMIT = 256 * 1024;

export type CodeNode = string | { className: string; children: CodeNode[] };

/**
 * The text as nodes to render: strings, and spans with their highlight classes. Plain text (one string) when
 * no grammar fits the path or the file is too large.
 */
export function highlightCode(path: string, text: string): CodeNode[] {
  const language = codeLanguage(path);
  if (language === null || text.length > HIGHLIGHT_LIMIT || !lowlight.registered(language)) return [text];
  return fromHast(lowlight.highlight(language, text));
}

function fromHast(node: HastRoot | HastElement): CodeNode[] {
  return node.children.flatMap((child: HastNode): CodeNode[] => {
    if (child.type === 'text') return [child.value];
    if (child.type !== 'element') return [];
    const classes = child.properties.className;
    const className = Array.isArray(classes) ? classes.join(' ') : '';
    return [{ className, children: fromHast(child) }];
  });
}
