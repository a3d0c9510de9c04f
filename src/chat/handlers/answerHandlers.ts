// Messages that start or stop an answer.
import type { ChatSession } from '../chatSession';
import type { HandlerMap, MessageOf } from './handlerMap';

export interface AnswerHandlerDeps {
  session: ChatSession;
  /** False (and the user has been asked to set one) when there is no key. */
  ensureKey(requestId: string): Promise<boolean>;
  /** How a prompt goes out (a plain send, or a comparison when models are set for one). */
  send?(message: MessageOf<'send'>): Promise<void>;
}

type AnswerMessages = 'send' | 'regenerate' | 'editAndResend' | 'continueAnswer' | 'cancel';

export function answerHandlers({ session, ensureKey, send }: AnswerHandlerDeps): Pick<HandlerMap, AnswerMessages> {
  const withKey =
    <T extends AnswerMessages>(run: (message: MessageOf<T>) => Promise<void>) =>
    async (message: MessageOf<T>) => {
      if (await ensureKey((message as { requestId: string }).requestId)) await run(message);
    };
  return {
    send: withKey((m: MessageOf<'send'>) => (send ? send(m) : session.send(m.requestId, m.text, undefined, m.mode))),
    regenerate: withKey((m: MessageOf<'regenerate'>) => session.regenerate(m.requestId)),
    editAndResend: withKey((m: MessageOf<'editAndResend'>) => session.editAndResend(m.requestId, m.messageId, m.text)),
    continueAnswer: withKey((m: MessageOf<'continueAnswer'>) => session.continueAnswer(m.requestId, m.messageId)),
    cancel: (m) => void session.cancel(m.requestId),
  };
}
