// One animation-frame scheduler shared by the comparison's columns. Four renderers each asking
// for a frame would all write the DOM in the same frame, and the browser would then lay out and
// paint four columns' new text at once. Here a frame runs the waiting renders only until a
// budget is spent; the rest go to the next frame, so no one frame grows with the column count.

export type ScheduleFrame = (cb: () => void) => void;

export function frameBudget(requestFrame: (cb: () => void) => void, now: () => number, budgetMs = 6): ScheduleFrame {
  const waiting: (() => void)[] = [];
  let requested = false;
  const run = () => {
    requested = false;
    const started = now();
    // At least one render a frame, so every column keeps moving.
    do waiting.shift()?.();
    while (waiting.length > 0 && now() - started < budgetMs);
    if (waiting.length > 0) request();
  };
  const request = () => {
    if (requested) return;
    requested = true;
    requestFrame(run);
  };
  return (cb) => {
    waiting.push(cb);
    request();
  };
}
