import { type TextareaHTMLAttributes, useCallback, useLayoutEffect, useRef } from 'react';

/**
 * A textarea that grows with its text up to `maxRows`, then scrolls. Height is set through the CSSOM
 * (`element.style`), which the CSP's `style-src 'self'` permits, unlike a `style` attribute in markup.
 */
export function AutoSizeTextarea(
  props: TextareaHTMLAttributes<HTMLTextAreaElement> & {
    value: string;
    maxRows: number;
    textareaRef?: (element: HTMLTextAreaElement | null) => void;
  },
) {
  const { maxRows, textareaRef, ...rest } = props;
  const element = useRef<HTMLTextAreaElement | null>(null);
  const resize = useCallback(() => {
    const textarea = element.current;
    if (textarea === null) return;
    const style = getComputedStyle(textarea);
    const lineHeight = Number.parseFloat(style.lineHeight) || 20;
    const chrome =
      Number.parseFloat(style.paddingTop) +
      Number.parseFloat(style.paddingBottom) +
      Number.parseFloat(style.borderTopWidth) +
      Number.parseFloat(style.borderBottomWidth);
    textarea.style.height = 'auto';
    const wanted =
      textarea.scrollHeight +
      Number.parseFloat(style.borderTopWidth) +
      Number.parseFloat(style.borderBottomWidth);
    // A `max-height` from the style sheet (the composer's, on a short window) caps it sooner.
    const limit = Math.min(lineHeight * maxRows + chrome, Number.parseFloat(style.maxHeight) || Infinity);
    textarea.style.height = `${Math.min(wanted, limit)}px`;
    textarea.style.overflowY = wanted > limit ? 'auto' : 'hidden';
  }, [maxRows]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the text is what changes the height.
  useLayoutEffect(() => {
    resize();
  }, [props.value, resize]);
  return (
    <textarea
      {...rest}
      ref={(node) => {
        element.current = node;
        textareaRef?.(node);
      }}
    />
  );
}
