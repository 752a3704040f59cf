/**
 * Model output is untrusted and may contain HTML. Rather than dropping it (react-markdown's default loses
 * text such as `use <stdin>`), every raw HTML node becomes plain text, shown exactly as written.
 */
interface MarkdownNode {
  type: string;
  value?: string;
  children?: MarkdownNode[];
}

export function remarkHtmlAsText() {
  return (tree: MarkdownNode): void => {
    const pending: MarkdownNode[] = [tree];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      if (node.type === 'html') node.type = 'text';
      if (node.children) pending.push(...node.children);
    }
  };
}
