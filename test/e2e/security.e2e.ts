import * as assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { TEST_KEY } from './workbench';
import { useChatWorkbench } from './chatPanel';

describe('Chat panel (e2e): hostile model output', () => {
  const suite = useChatWorkbench();

  it('executes nothing, fetches no image, and offers no dangerous link', async () => {
    const { workbench, chat } = suite;
    const exfil = `${workbench.server.url}/exfil?d=secret`;
    const payload = [
      'Here you go:',
      '<img src=x onerror="window.__pwned = 1">',
      '<script>window.__pwned = 2</script>',
      '[click me](javascript:window.__pwned=3)',
      '[open terminal](command:workbench.action.terminal.new)',
      '<a href="command:workbench.action.terminal.new">raw command link</a>',
      `![tracking pixel](${exfil})`,
      '<iframe src="https://example.com"></iframe>',
      '<svg onload="window.__pwned = 4"></svg>',
      '[a safe link](https://modelslab.com/docs)',
    ].join('\n\n');
    workbench.server.enqueue({ text: payload, chunkSize: 7 });
    // Rather than giving stray loads a moment to reach the server, watch where they start: the
    // browser reports every request as it issues it (even one that CSP then blocks), and the page
    // notes every element that could load something the moment it enters the document, however
    // briefly it stays.
    const issued: string[] = [];
    const onRequest = (request: Request) => void issued.push(request.url());
    workbench.page.context().on('request', onRequest);
    // No named functions inside: the test runner's transpiler would wrap them in a helper the page lacks.
    await chat.frame.evaluate(() => {
      const page = window as unknown as { __mlLoaders?: string[] };
      const loaders: string[] = (page.__mlLoaders = []);
      const LOADS = 'img, image, picture, source, video, audio, iframe, frame, object, embed, script, link, svg, [src], [srcset], [style*="url("]';
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.type === 'attributes' ? [record.target] : Array.from(record.addedNodes)) {
            if (!(node instanceof Element)) continue;
            for (const element of [node, ...node.querySelectorAll(LOADS)]) if (element.matches(LOADS)) loaders.push(element.outerHTML.slice(0, 200));
          }
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src', 'srcset', 'style'] });
    });
    await chat.send('show me something');
    await chat.waitForAnswerEnd();
    // One more round trip to the page, so whatever it noted or issued while rendering is in.
    const loaders = await chat.frame.evaluate(() => (window as unknown as { __mlLoaders?: string[] }).__mlLoaders ?? []);
    workbench.page.context().off('request', onRequest);
    assert.deepEqual(loaders, [], 'an element that can load something entered the page');
    assert.deepEqual(issued.filter((url) => url.includes('/exfil')), [], 'the browser requested the image');

    const body = chat.lastAnswer().locator('.ml-msg-body');
    const report = await chat.frame.evaluate(() => {
      const root = document.querySelector('article.ml-msg-assistant:last-of-type .ml-msg-body') as HTMLElement;
      return {
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        imgs: root.querySelectorAll('img').length,
        scripts: root.querySelectorAll('script').length,
        frames: root.querySelectorAll('iframe, svg, object, embed').length,
        onAttributes: [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
        srcAttributes: root.querySelectorAll('[src], [srcset]').length,
        hrefs: [...root.querySelectorAll('[href]')].map((el) => el.getAttribute('href')),
        dataHrefs: [...root.querySelectorAll('[data-href]')].map((el) => el.getAttribute('data-href')),
        csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      };
    });
    assert.equal(report.pwned, undefined, 'model output executed script');
    assert.equal(report.imgs, 0);
    assert.equal(report.scripts, 0);
    assert.equal(report.frames, 0);
    assert.deepEqual(report.onAttributes, []);
    assert.equal(report.srcAttributes, 0);
    assert.ok(report.hrefs.every((h) => h === null || h === '#' || /^https?:/.test(h)), `unexpected href: ${report.hrefs}`);
    assert.deepEqual(report.dataHrefs.sort(), [exfil, 'https://modelslab.com/docs'].sort(), 'only http(s) targets are clickable');
    assert.ok(!report.csp.includes('unsafe-eval') && !report.csp.includes("'unsafe-inline'") && /default-src 'none'/.test(report.csp), report.csp);
    assert.match(report.csp, /script-src 'nonce-[^']+'/);
    const imgSources = (/img-src ([^;]*)/.exec(report.csp)?.[1] ?? '').trim().split(/\s+/);
    assert.ok(
      imgSources.every((source) => source === 'data:' || source === "'self'" || /vscode-(cdn|resource|webview)/.test(source)),
      `images are limited to the webview’s own resources: ${imgSources}`,
    );

    // The labels survive as text; the remote image is a link the user may click, never a load.
    // From the DOM, not from layout (see ChatPanel.lastAnswerText).
    const text = (await body.textContent()) ?? '';
    assert.match(text, /click me/);
    assert.match(text, /open terminal/);
    assert.match(text, /tracking pixel/);
    assert.equal(workbench.server.requests.filter((r) => r.path.startsWith('/exfil')).length, 0, 'the image was fetched');
    assert.ok(!(await chat.frame.content()).includes(TEST_KEY), 'the key reached the webview');
    await workbench.screenshot('hostile-output');
  });
});
