// Ghost text's shapes, shared by the prompt builder, the post-processor, the engine and the
// VS Code provider. No vscode here: the host fills these in from the editor.

/** Where the hole is: the text around the cursor and what else the model may look at. */
export interface HoleContext {
  /** The document's text before the cursor (the builder cuts it to its budget at a line start). */
  prefix: string;
  /** The document's text after the cursor (cut at a line end). */
  suffix: string;
  /** VS Code's language id, e.g. "typescript". */
  languageId: string;
  /** The file's path relative to the workspace, with forward slashes. */
  path: string;
  /** A few related snippets: open tabs, definitions of symbols near the cursor. */
  related: RelatedSnippet[];
}

export interface RelatedSnippet {
  path: string;
  text: string;
  /** Why it is here, e.g. "open tab", "definition of clamp". */
  why?: string;
}

/** What the post-processor needs to know about the hole. */
export interface HoleShape {
  prefix: string;
  suffix: string;
  languageId: string;
}
