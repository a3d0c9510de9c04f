/* eslint-disable @typescript-eslint/no-require-imports */
// The suite's test files, required after mocha has set up its globals (describe/it).
// esbuild bundles each of them into out/test/suite/index.js.
export function loadSuiteFiles(): void {
  require('./activation.test');
  require('./connection.test');
  require('./proxy.test');
  require('./streamReset.test');
  require('./editorActions.test');
  require('./codeActions.test');
  require('./modelSelection.test');
  require('./applyCodeBlock.test');
  require('./chatViewLifecycle.test');
  require('./contextAttachments.test');
  require('./languageModels.test');
  require('./chatParticipant.test');
  require('./agentTools.test');
  require('./secondOpinion.test');
  require('./manyModels.test');
  require('./ghostText.test');
  require('./rules.test');
  require('./promptFiles.test');
  require('./commitMessage.test');
  require('./terminal.test');
}
