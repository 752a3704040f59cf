import { memo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { remarkHtmlAsText } from '../lib/remark-html-as-text.ts';

const remarkPlugins = [remarkGfm, remarkHtmlAsText];
// Only fenced code that names its language is highlighted (rehype-highlight's default): guessing is slow and often wrong.
const rehypePlugins = [rehypeHighlight];

/**
 * Links open elsewhere without handing this page to the target; images are shown as links, because the CSP
 * loads nothing from other origins and a silently broken image hides what the model wrote.
 */
const components: Components = {
  a: ({ node: _node, children, href, title }) => (
    <a href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  ),
  img: ({ src, alt }) => (
    <a
      className="markdown-image-link"
      href={typeof src === 'string' ? src : undefined}
      target="_blank"
      rel="noopener noreferrer"
    >
      [image: {alt || (typeof src === 'string' ? src : '')}]
    </a>
  ),
};

/** Message text as Markdown with highlighted code; never raw HTML (DESIGN.md: model output is untrusted). */
export const MarkdownView = memo(function MarkdownView(props: { text: string }) {
  return (
    <div className="markdown">
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {props.text}
      </Markdown>
    </div>
  );
});
