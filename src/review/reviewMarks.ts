// What the editor shows of a review: a one-line headline (the verdict) and the marks on the
// proposed text, one per line with concerns, each with a hover and a comment thread's label and
// body. Plain text only: the reviewer's words are model output, and the host shows them without
// rendering Markdown or links (see plainMarkdown).
import type { ParsedReview, ReviewConcern, Severity } from './reviewVerdict';

export type MarkKind = Severity | 'summary';

export interface ReviewMark {
  /** 1-based line of the proposed text. */
  line: number;
  kind: MarkKind;
  /** The comment thread's title: who says it, and the severity or the verdict. */
  label: string;
  /** The comment: the verdict, or this line's concerns (paragraphs separated by blank lines). */
  body: string;
  /** Everything about this line, for the hover (paragraphs separated by blank lines). */
  hover: string;
}

export interface ReviewPresentation {
  headline: string;
  /** How the notification should sound: approve is info, concerns and unreadable warn, reject errs. */
  tone: 'info' | 'warning' | 'error';
  marks: ReviewMark[];
}

export const UNREADABLE = "The reviewer's answer could not be read";
const ICONS: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };
const ORDER: Severity[] = ['error', 'warning', 'info'];
const VERDICT_LABEL = { approve: 'approves', concerns: 'has concerns', reject: 'rejects' } as const;

/** The headline and marks for `parsed`; `summaryLine` is where the verdict shows (the first changed line). */
export function presentReview(parsed: ParsedReview, options: { reviewer: string; summaryLine: number }): ReviewPresentation {
  const { reviewer, summaryLine } = options;
  if (!parsed.ok) {
    const headline = `${UNREADABLE} (${parsed.reason}). Nothing was approved.`;
    return { headline, tone: 'warning', marks: [{ line: summaryLine, kind: 'summary', label: `${reviewer} · unreadable`, body: headline, hover: `${headline}\n\nReviewer: ${reviewer}` }] };
  }
  const { review } = parsed;
  const count = review.concerns.length;
  const headline = headlineFor(review.verdict, reviewer, count, review.summary);
  const general = review.concerns.filter((c) => c.line === undefined);
  const summaryText = [headline, ...general.map((c) => describe(c, 'about the change as a whole')), ...review.notes].join('\n\n');
  const marks: ReviewMark[] = [{ line: summaryLine, kind: 'summary', label: `${reviewer} · ${VERDICT_LABEL[review.verdict]}`, body: summaryText, hover: summaryText }];
  for (const [line, concerns] of byLine(review.concerns)) {
    // The most severe first: it colours the line and names the thread.
    concerns.sort((a, b) => ORDER.indexOf(a.severity) - ORDER.indexOf(b.severity));
    const kind = concerns[0].severity;
    const body = concerns.map((c) => describe(c)).join('\n\n');
    marks.push({ line, kind, label: `${reviewer} · ${kind}`, body, hover: `${reviewer} on line ${line}:\n\n${body}` });
  }
  const tone = review.verdict === 'approve' ? 'info' : review.verdict === 'reject' ? 'error' : 'warning';
  return { headline, tone, marks };
}

function headlineFor(verdict: 'approve' | 'concerns' | 'reject', reviewer: string, count: number, summary: string): string {
  const why = summary ? `: ${summary}` : '.';
  const concerns = count ? ` (${count} concern${count === 1 ? '' : 's'})` : '';
  switch (verdict) {
    case 'approve':
      return `${reviewer} approves this change${concerns}${why}`;
    case 'concerns':
      return `${reviewer} has concerns about this change${concerns}${why}`;
    case 'reject':
      return `${reviewer} rejects this change${concerns}${why}`;
  }
}

function describe(concern: ReviewConcern, where?: string): string {
  const place = where ?? (concern.reportedLine !== undefined ? `the reviewer said line ${concern.reportedLine}, which is out of range` : undefined);
  return `${ICONS[concern.severity]} ${concern.severity}${place ? ` (${place})` : ''}: ${concern.message}`;
}

/** Concerns that name a line, grouped by it, in line order. */
function byLine(concerns: ReviewConcern[]): [number, ReviewConcern[]][] {
  const lines = new Map<number, ReviewConcern[]>();
  for (const concern of concerns) {
    if (concern.line === undefined) continue;
    lines.set(concern.line, [...(lines.get(concern.line) ?? []), concern]);
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]);
}

