import * as assert from 'node:assert/strict';
import { expandPromptFile, parsePromptFile, promptName, unknownVariables, type PromptFile, type PromptFileError } from '../../src/prompts/promptFile';

function parsed(fileName: string, text: string): PromptFile {
  const result = parsePromptFile(fileName, text);
  if ('error' in result) throw new Error(`expected a prompt file, got: ${result.error}`);
  return result;
}

function failed(fileName: string, text: string): PromptFileError {
  const result = parsePromptFile(fileName, text);
  if (!('error' in result)) throw new Error('expected an error');
  return result;
}

describe('prompt files: parsing', () => {
  it('reads the description, the model and the body; the name comes from the file name', () => {
    const file = parsed('review.prompt.md', '---\ndescription: Review the selection\nmodel: deepseek-ai-DeepSeek-V3\n---\nReview this:\n\n${selection}\n');
    assert.deepEqual(file, {
      name: 'review',
      fileName: 'review.prompt.md',
      description: 'Review the selection',
      model: 'deepseek-ai-DeepSeek-V3',
      body: 'Review this:\n\n${selection}',
      variables: [{ kind: 'selection' }],
    });
  });

  it('works without front matter, with a description naming the file', () => {
    const file = parsed('hello.prompt.md', 'Say hello.');
    assert.equal(file.description, 'Runs hello.prompt.md');
    assert.equal(file.model, undefined);
    assert.equal(file.body, 'Say hello.');
    assert.ok(!('model' in file), 'no model key at all');
  });

  it('reads CRLF and lone-CR files and a byte order mark; the body comes out with \\n', () => {
    const file = parsed('crlf.prompt.md', '\uFEFF---\r\ndescription: Windows\r\nmodel: m1\r\n---\r\nline one\r\nline two\r\n');
    assert.equal(file.description, 'Windows');
    assert.equal(file.model, 'm1');
    assert.equal(file.body, 'line one\nline two');
    assert.equal(parsed('cr.prompt.md', '---\rdescription: Old Mac\r---\rone\rtwo').body, 'one\ntwo');
  });

  it('front matter: quotes, comments, folded values, Copilot keys, an empty model, trailing spaces on ---', () => {
    const file = parsed(
      'x.prompt.md',
      [
        '---   ',
        '# a comment line',
        'mode: agent',
        "tools: ['codebase', 'search']",
        'description: "Say \\"hi\\": loudly"',
        'model:',
        '---',
        'Body',
      ].join('\n'),
    );
    assert.equal(file.description, 'Say "hi": loudly');
    assert.equal(file.model, undefined, 'an empty model is no model');
    assert.equal(parsed('q.prompt.md', "---\ndescription: 'it''s quoted'\n---\nB").description, "it's quoted");
    assert.equal(parsed('c.prompt.md', '---\nmodel: m2   # the fast one\n---\nB').model, 'm2');
    assert.equal(parsed('f.prompt.md', '---\ndescription: >\n  Folded over\n  two lines\nmodel: m3\n---\nB').description, 'Folded over two lines');
    assert.equal(parsed('p.prompt.md', '---\ndescription: Plain\n  continued\n---\nB').description, 'Plain continued');
    assert.equal(parsed('l.prompt.md', '---\ntools:\n  - a\n  - b\ndescription: After a list\n---\nB').description, 'After a list');
    assert.equal(parsed('n.prompt.md', '---\nmodel:gpt-x\n---\nB').model, 'gpt-x');
    assert.equal(parsed('u.prompt.md', '---\nDescription: Capitalised key\n---\nB').description, 'Capitalised key');
  });

  it('keeps the indentation of the first line but not blank lines around the body', () => {
    assert.equal(parsed('i.prompt.md', '---\ndescription: d\n---\n\n\n    indented code\n\n').body, '    indented code');
  });

  it('a --- later in the body is body text, and a file that only starts with text has no front matter', () => {
    const file = parsed('hr.prompt.md', 'Intro\n---\nmore\n---\n');
    assert.equal(file.body, 'Intro\n---\nmore\n---');
    assert.equal(file.description, 'Runs hr.prompt.md');
  });

  it('front matter that never closes is an error naming the file', () => {
    const result = failed('open.prompt.md', '---\ndescription: never closed\nBody');
    assert.equal(result.name, 'open');
    assert.match(result.error, /^open\.prompt\.md opens its front matter with --- but has no closing --- line\.$/);
  });

  it('an empty prompt is an error', () => {
    assert.match(failed('empty.prompt.md', '---\ndescription: nothing\n---\n\n  \n').error, /^empty\.prompt\.md has no prompt/);
    assert.match(failed('blank.prompt.md', '').error, /has no prompt/);
  });

  it('a file name that is no command name is an error without a name', () => {
    for (const fileName of ['my review.prompt.md', '.prompt.md', '-x.prompt.md', 'a/b.prompt.md']) {
      const result = failed(fileName, 'Body');
      assert.equal(result.name, undefined, fileName);
      assert.match(result.error, /can't be a slash command/, fileName);
    }
    assert.equal(promptName('review-pr.prompt.md'), 'review-pr');
    assert.equal(promptName('v1.2_x.prompt.md'), 'v1.2_x');
    assert.equal(promptName('review.md'), undefined);
  });
});

describe('prompt files: variables', () => {
  it('lists every kind once, in order of first use, with the first placeholder written for an input', () => {
    const file = parsed(
      'all.prompt.md',
      'In ${file}: ${input:goal} then ${selection}, ${input:audience:Who reads it? e.g. juniors} ${input:goal:Goal?} ${file} ${input:audience:second}',
    );
    assert.deepEqual(file.variables, [
      { kind: 'file' },
      { kind: 'input', name: 'goal', placeholder: 'Goal?' },
      { kind: 'selection' },
      { kind: 'input', name: 'audience', placeholder: 'Who reads it? e.g. juniors' },
    ]);
  });

  it('a later placeholder fills in for an input first written without one', () => {
    const file = parsed('late.prompt.md', '${input:x} and ${input:x:Type x}');
    assert.deepEqual(file.variables, [{ kind: 'input', name: 'x', placeholder: 'Type x' }]);
  });

  it('expands every kind, each occurrence, and does not expand the values again', () => {
    const file = parsed('x.prompt.md', 'File ${file}\n```\n${selection}\n```\nGoal: ${input:goal:what for}; again ${input:goal}.');
    const text = expandPromptFile(file, { selection: 'const a = `${file}`;', file: 'src/a.ts', inputs: { goal: 'speed ${selection}' } });
    assert.equal(text, 'File src/a.ts\n```\nconst a = `${file}`;\n```\nGoal: speed ${selection}; again speed ${selection}.');
  });

  it('a missing value expands to nothing', () => {
    assert.equal(expandPromptFile(parsed('x.prompt.md', '[${selection}|${file}|${input:a}]'), { inputs: {} }), '[||]');
  });

  it('a $ that is not a variable stays as it is', () => {
    const body = 'Costs $5, $HOME, $(pwd), $ {x}, $$, a lone $ and {braces}.';
    const file = parsed('money.prompt.md', body);
    assert.deepEqual(file.variables, []);
    assert.equal(expandPromptFile(file, { inputs: {} }), body);
  });

  it('$${ is a literal ${, even for a name that is a variable', () => {
    const file = parsed('esc.prompt.md', 'Template: `Hello $${name}`, literally $${selection}, really ${selection}');
    assert.deepEqual(file.variables, [{ kind: 'selection' }]);
    assert.equal(expandPromptFile(file, { selection: 'S', inputs: {} }), 'Template: `Hello ${name}`, literally ${selection}, really S');
  });

  it('an unknown variable is an error naming the file and the variable', () => {
    const result = failed('review.prompt.md', '---\ndescription: d\n---\nReview ${selecton}');
    assert.equal(result.name, 'review');
    assert.ok(
      result.error.startsWith('review.prompt.md uses ${selecton}, which is not a variable: use ${selection}, ${file} or ${input:name}.'),
      result.error,
    );
  });

  it('names every unknown variable once: env, VS Code variables, spaces, bad input names', () => {
    const result = failed('many.prompt.md', '${env:HOME} ${workspaceFolder} ${ selection } ${input:} ${input:1st} ${env:HOME} ${}');
    assert.ok(
      result.error.startsWith('many.prompt.md uses ${env:HOME}, ${workspaceFolder}, ${ selection }, ${input:}, ${input:1st} and ${}, which are not variables:'),
      result.error,
    );
    assert.deepEqual(unknownVariables('ok ${selection} ${file} ${input:a:b} $${nope} ${selecton}'), ['${selecton}']);
  });

  it('a ${ with no closing } on its line is an error, not text sent as is', () => {
    const result = failed('open.prompt.md', 'Review ${selection\n}');
    assert.match(result.error, /^open\.prompt\.md has \$\{selection with no closing \} on its line/);
  });

  it('a placeholder may hold colons and spaces', () => {
    const file = parsed('ph.prompt.md', '${input:time:When? e.g. 10:30 or noon}');
    assert.deepEqual(file.variables, [{ kind: 'input', name: 'time', placeholder: 'When? e.g. 10:30 or noon' }]);
  });
});
