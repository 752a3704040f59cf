import { createContext, type ReactNode, useContext } from 'react';
import type { Message } from '../api/client.ts';

const ResultTextsContext = createContext<ReadonlyMap<string, string>>(new Map());

/**
 * The texts of the held command results by message id, so a command's view can read what its result says (the
 * limit a command ran into is recorded there, not on the execution). A result follows its command on the path,
 * so when the command's card is held, its result is too.
 */
export function resultTexts(messages: readonly Message[]): ReadonlyMap<string, string> {
  return new Map(
    messages
      .filter((message) => message.role === 'tool' || message.author === 'terminal')
      .map((message) => [message.id, message.content]),
  );
}

export function ResultTextsProvider(props: { texts: ReadonlyMap<string, string>; children: ReactNode }) {
  return <ResultTextsContext.Provider value={props.texts}>{props.children}</ResultTextsContext.Provider>;
}

/** The current text of a command's result message, when the page holds it. */
export function useResultText(messageId: string | null): string | undefined {
  const texts = useContext(ResultTextsContext);
  return messageId === null ? undefined : texts.get(messageId);
}
