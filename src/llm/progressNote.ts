// What a progress line says while a request has not answered yet: a retry's wait, a place in
// the queue, a move to another model. For surfaces that show one line of progress (editor
// actions' notifications, a review, @modelslab).
import { fallbackText, queuedText } from '../shared/answerNotes';
import { modelLabel } from './catalogue';
import type { ChatChunk } from './types';

type Waiting = Extract<ChatChunk, { type: 'retrying' | 'queued' | 'fallback' }>;

export function progressNote(event: Waiting): string {
  switch (event.type) {
    case 'retrying':
      return `${event.reason}; retrying in ${Math.max(1, Math.ceil(event.delayMs / 1000))} s…`;
    case 'queued':
      return event.position > 0 ? `${queuedText(event.position)}…` : 'Sending…';
    case 'fallback':
      return fallbackText(modelLabel(event.to), modelLabel(event.from), event.reason);
  }
}
