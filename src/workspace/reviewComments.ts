// Shows a second opinion as comment threads on the proposed side of the diff, the way VS Code
// shows review feedback: one expanded, read-only thread per marked line, the verdict's on the
// summary line. Unlike text after the code, a thread stays readable on a long line or in a
// narrow diff. The bodies are escaped plain text: the reviewer's words are model output.
import * as vscode from 'vscode';
import { plainMarkdown } from '../review/plainMarkdown';
import type { ReviewPresentation } from '../review/reviewMarks';

/** What a thread on screen holds (for tests). */
export interface ShownThread {
  /** 1-based line of the proposed text. */
  line: number;
  label: string;
  author: string;
  /** The comment's Markdown source, as VS Code renders it. */
  body: string;
  expanded: boolean;
  canReply: boolean;
  /** No command links, HTML or theme icons: isTrusted, supportHtml and supportThemeIcons all off. */
  plain: boolean;
}

export class ReviewComments implements vscode.Disposable {
  // Made once, up front: an editor that computed its comments before a controller existed
  // ignores that controller's new threads until it computes again.
  private readonly controller = vscode.comments.createCommentController('modelslab.review', 'ModelsLab Review');
  private threads: vscode.CommentThread[] = [];

  /** Replaces the threads on screen with those of `presentation`, on the document `uri`. */
  show(uri: vscode.Uri, presentation: ReviewPresentation, reviewer: string): void {
    this.clear();
    this.threads = presentation.marks.map((mark) => {
      const body = new vscode.MarkdownString(plainMarkdown(mark.body));
      body.isTrusted = false;
      body.supportHtml = false;
      body.supportThemeIcons = false;
      const comment: vscode.Comment = { body, mode: vscode.CommentMode.Preview, author: { name: reviewer } };
      const start = new vscode.Position(mark.line - 1, 0);
      const thread = this.controller.createCommentThread(uri, new vscode.Range(start, start), [comment]);
      thread.label = mark.label;
      thread.canReply = false;
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      return thread;
    });
  }

  clear(): void {
    for (const thread of this.threads) thread.dispose();
    this.threads = [];
  }

  shown(): ShownThread[] {
    return this.threads.map((thread) => {
      const comment = thread.comments[0];
      const body = comment.body instanceof vscode.MarkdownString ? comment.body : undefined;
      return {
        line: (thread.range?.start.line ?? -1) + 1,
        label: thread.label ?? '',
        author: comment.author.name,
        body: typeof comment.body === 'string' ? comment.body : comment.body.value,
        expanded: thread.collapsibleState === vscode.CommentThreadCollapsibleState.Expanded,
        canReply: thread.canReply !== false,
        plain: !!body && body.isTrusted === false && !body.supportHtml && !body.supportThemeIcons,
      };
    });
  }

  dispose(): void {
    this.clear();
    this.controller.dispose();
  }
}
