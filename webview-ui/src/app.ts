// The chat panel: builds the views and routes host messages to them. It owns the little
// state the panel has (key present? which request is streaming?); the conversation itself
// always comes from the host.
import { MAX_PROMPT_CHARS } from '../../src/shared/limits';
import type { ConversationView, HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { systemClock, type Clock } from './clock';
import { el } from './dom';
import { formatNumber } from './format';
import { newRequestId } from './ids';
import { Layout } from './layout';
import { installLogDelegation } from './logDelegation';
import { markdownRendererFactory, setCodeWrap, type RendererFactory } from './markdownBody';
import { RequestTracker } from './requestTracker';
import { UiStateKeeper, type UiState } from './uiState';
import type { HostBridge } from './vscodeApi';
import { Composer } from './views/composer';
import { ContextChips } from './views/contextChips';
import { CompareChip, compareButton } from './views/compareChip';
import { RulesChip } from './views/rulesChip';
import { ModelButton } from './views/modelButton';
import { ModeButton } from './views/modeButton';
import { HistoryView } from './views/historyView';
import { MessageList } from './views/messageList';
import { NoticeBanner } from './views/noticeBanner';
import { createWelcome } from './views/welcome';

export interface AppOptions {
  root: HTMLElement;
  host: HostBridge<UiState>;
  clock?: Clock;
  /** Defaults to requestAnimationFrame; tests pass their own. */
  scheduleFrame?: (cb: () => void) => void;
  createRenderer?: RendererFactory;
  IntersectionObserver?: typeof IntersectionObserver;
  ResizeObserver?: typeof ResizeObserver;
}


export class App {
  private readonly post: (message: WebviewToHost) => void;
  private readonly ui: UiStateKeeper;
  private readonly requests = new RequestTracker();
  private readonly layout: Layout;
  private readonly modelButton: ModelButton;
  private readonly modeButton: ModeButton;
  private readonly messages: MessageList;
  private readonly composer: Composer;
  private readonly chips: ContextChips;
  private readonly compareChip: CompareChip;
  private readonly rulesChip: RulesChip;
  private readonly compareButton: HTMLButtonElement;
  private readonly notices: NoticeBanner;
  private readonly history: HistoryView;
  private readonly total: HTMLElement;
  private conversationId = '';
  /** Where the focus goes when the panel gets it back (e.g. the model picker after its Quick Pick). */
  private focusOnReturn: HTMLElement | undefined;
  private focusAfterOpen = false;
  private hasKey = false;

  constructor(private readonly options: AppOptions) {
    const doc = options.root.ownerDocument;
    const clock = options.clock ?? systemClock;
    const view = doc.defaultView;
    const scheduleFrame = options.scheduleFrame ?? ((cb: () => void) => (view?.requestAnimationFrame ? view.requestAnimationFrame(() => cb()) : clock.setTimeout(cb, 16)));
    this.post = (message) => options.host.post(message);
    this.ui = new UiStateKeeper(options.host, clock);

    this.modelButton = new ModelButton(doc, () => {
      // The Quick Pick takes the focus; when the panel gets it back, it goes back to the picker.
      this.focusOnReturn = this.modelButton.element;
      this.post({ type: 'pickModel' });
    });
    this.modeButton = new ModeButton(doc, this.ui.mode, (mode) => this.ui.update({ mode }, true));
    this.messages = new MessageList({
      doc,
      clock,
      scheduleFrame,
      createRenderer: options.createRenderer ?? markdownRendererFactory(doc, options.scheduleFrame),
      labelFor: (model) => this.modelButton.labelFor(model),
      errorActions: {
        setApiKey: () => this.post({ type: 'setApiKey' }),
        // Retrying a failed answer is answering the last prompt again.
        retry: () => this.request((requestId) => ({ type: 'regenerate', requestId })),
        selectModel: () => this.post({ type: 'pickModel' }),
        retryWith: (model) => this.request((requestId) => ({ type: 'retryWithModel', requestId, model })),
      },
      onRegenerate: () => this.request((requestId) => ({ type: 'regenerate', requestId })),
      onContinue: (messageId) => this.request((requestId) => ({ type: 'continueAnswer', requestId, messageId })),
      onOpenComparison: (messageId) => this.post({ type: 'openComparison', messageId }),
      onReview: (messageId, action, path) => this.post({ type: 'reviewEdits', messageId, action, ...(path !== undefined ? { path } : {}) }),
      onResend: (messageId, text) => this.request((requestId) => ({ type: 'editAndResend', requestId, messageId, text })),
      onScroll: () => this.conversationId && this.ui.update({ scroll: { conversationId: this.conversationId, fromBottom: this.messages.scrollFromBottom } }),
      IntersectionObserver: options.IntersectionObserver,
      ResizeObserver: options.ResizeObserver,
    });
    installLogDelegation(this.messages.element, this.post, clock, (wrapCode) => this.ui.update({ wrapCode }, true));
    setCodeWrap(doc, this.ui.wrapCode);
    this.composer = new Composer(
      doc,
      {
        onSend: (text) => this.send(text),
        onStop: () => this.stop(),
        onAttach: () => this.post({ type: 'attachFile' }),
        onDraftChange: (draft) => this.ui.update({ draft }),
        onSlashAction: (name) => this.runSlashAction(name),
      },
      () => this.ui.prompts,
      this.ui.draft,
    );
    this.total = el(doc, 'span', { className: 'ml-total' });
    this.composer.statusSlot.append(this.total);
    const pickCompare = () => {
      this.focusOnReturn = this.compareButton;
      this.post({ type: 'pickCompareModels' });
    };
    this.compareButton = compareButton(doc, pickCompare);
    this.composer.toolsSlot.append(this.modeButton.element, this.modelButton.element, this.compareButton);
    this.compareChip = new CompareChip(doc, pickCompare, () => this.post({ type: 'pickCompareModels', clear: true }));
    this.rulesChip = new RulesChip(doc, { open: (path) => this.post({ type: 'openRule', path }), toggle: (path, enabled) => this.post({ type: 'toggleRule', path, enabled }) });
    this.chips = new ContextChips(doc, (id) => this.post({ type: 'removeContext', id }));
    this.notices = new NoticeBanner(doc);
    this.history = new HistoryView(
      doc,
      {
        onBack: () => this.focusComposer(undefined),
        onOpen: (id) => {
          this.focusAfterOpen = true;
          this.post({ type: 'openConversation', id });
        },
        onRename: (id) => this.post({ type: 'renameConversation', id }),
        onExport: (id) => this.post({ type: 'exportConversation', id }),
        onDelete: (id) => this.post({ type: 'deleteConversation', id }),
      },
      () => clock.now(),
    );
    this.layout = new Layout(doc, options.root, {
      notices: this.notices.element,
      log: this.messages.element,
      history: this.history.element,
      chips: el(doc, 'div', { className: 'ml-above-composer' }, [this.rulesChip.element, this.compareChip.element, this.chips.element]),
      composer: this.composer.element,
      welcome: createWelcome(doc, { onSetApiKey: () => this.post({ type: 'setApiKey' }), onOpenLink: (href) => this.post({ type: 'openLink', href }) }),
    });
  }

  /** Listens to the host and asks it for the panel's state. */
  start(): void {
    this.options.host.onMessage((message) => this.handle(message));
    // When the panel itself gets the focus (opened, or back from a Quick Pick), a control gets
    // it too: the one that sent it away, else the composer, as VS Code's own chat does.
    this.options.root.ownerDocument.defaultView?.addEventListener('focus', () => this.onPanelFocus());
    this.post({ type: 'ready' });
  }

  private onPanelFocus(): void {
    const doc = this.options.root.ownerDocument;
    const back = this.focusOnReturn;
    this.focusOnReturn = undefined;
    if (back?.isConnected && !back.closest('[hidden]')) back.focus();
    else if (doc.activeElement !== doc.body && doc.activeElement !== null) return;
    // The screen on show keeps it: History focuses its rows, the chat its composer.
    else if (this.layout.current === 'history') this.history.focus();
    else if (this.layout.current === 'chat' && this.hasKey) this.composer.focus();
  }

  handle(message: HostToWebview): void {
    switch (message.type) {
      case 'init':
        this.modelButton.setModels(message.models, message.model);
        this.setHasKey(message.hasKey);
        this.showConversation(message.conversation, true);
        // Opened with the focus already on the panel: put it where the user will type.
        if (this.options.root.ownerDocument.hasFocus()) this.onPanelFocus();
        // The startup benchmark reads this: the panel is usable from here on.
        performance.mark('modelslab:initialized');
        break;
      case 'keyState':
        this.setHasKey(message.hasKey);
        break;
      case 'models':
        this.modelButton.setModels(message.models, message.model);
        this.messages.refreshModelLabels();
        break;
      case 'conversation':
        this.showConversation(message.conversation, false);
        // Opened from History: the row that had the focus is gone; the composer takes it.
        if (this.focusAfterOpen) this.focusComposer(undefined);
        this.focusAfterOpen = false;
        break;
      case 'answerStart':
        if (this.requests.start(message.requestId)) this.post({ type: 'cancel', requestId: message.requestId });
        this.showChat(); // e.g. an editor command started an answer while History was open
        this.messages.startAnswer(message.replaceFromIndex, message.userMessage, message.assistantId, message.model, message.mode, message.comparison);
        this.setBusy(true);
        this.updateTotal();
        break;
      case 'answerResume':
        if (this.requests.start(message.requestId)) this.post({ type: 'cancel', requestId: message.requestId });
        this.showChat();
        this.messages.resumeAnswer(message.assistantId, message.text);
        this.setBusy(true);
        break;
      case 'answerDelta':
        if (this.requests.matches(message.requestId)) this.messages.append(message.text);
        break;
      case 'answerWaiting':
        if (this.requests.matches(message.requestId)) this.messages.showWaiting(message.retryAt, message.reason);
        break;
      case 'answerQueued':
        if (this.requests.matches(message.requestId)) this.messages.showQueued(message.position);
        break;
      case 'answerFallback':
        if (this.requests.matches(message.requestId)) this.messages.showFallback(message.from, message.to, message.reason);
        break;
      case 'rules':
        this.rulesChip.set(message.rules);
        break;
      case 'compareSet':
        this.compareChip.set(message.models);
        this.compareButton.classList.toggle('is-active', message.models.length > 0);
        break;
      case 'answerTool':
        if (this.requests.matches(message.requestId)) this.messages.updateTool(message.tool);
        break;
      case 'answerApproval':
        if (this.requests.matches(message.requestId)) {
          this.messages.askApproval(message.path, (allow) => this.post({ type: 'approve', approvalId: message.approvalId, allow }));
        }
        break;
      case 'answerEdits':
        this.messages.setEdits(message.messageId, message.edits, message.undoable);
        break;
      case 'answerEnd':
        if (!this.requests.matches(message.requestId)) break;
        this.requests.end();
        this.messages.endAnswer(message.status, message.usage, message.error);
        this.setBusy(false);
        this.updateTotal();
        break;
      case 'requestRefused':
        if (this.requests.matches(message.requestId)) {
          this.requests.end();
          this.setBusy(false);
        }
        this.notices.show(message.level, message.text);
        break;
      case 'context':
        this.chips.setChips(message.chips);
        break;
      case 'slashCommands':
        this.composer.setSlashCommands(message.commands);
        break;
      case 'historyList':
        this.history.setItems(message.items, message.activeId);
        if (this.layout.current !== 'history') {
          this.layout.show('history');
          this.history.focus();
        }
        break;
      case 'notice':
        if (this.requests.refusedIfPending()) this.setBusy(false);
        this.notices.show(message.level, message.text);
        break;
    }
  }

  private showConversation(conversation: ConversationView, restoreScroll: boolean): void {
    const saved = this.ui.scroll;
    const fromBottom = restoreScroll && saved?.conversationId === conversation.id ? saved.fromBottom : undefined;
    if (conversation.id !== this.conversationId) this.notices.clear();
    this.conversationId = conversation.id;
    this.showChat(); // first, so the messages are laid out (and measured) as they are added
    this.messages.setConversation(conversation.messages, fromBottom);
    const last = conversation.messages[conversation.messages.length - 1];
    if (last?.role === 'assistant' && last.status === 'streaming') this.requests.resumeUnknown();
    else this.requests.end();
    this.setBusy(this.requests.busy);
    this.updateTotal();
  }

  private showChat(): void {
    this.layout.show('chat');
  }

  private setHasKey(hasKey: boolean): void {
    this.hasKey = hasKey;
    this.layout.setHasKey(hasKey);
  }

  private setBusy(busy: boolean): void {
    this.composer.setBusy(busy);
    this.messages.setBusy(busy);
  }

  /** Posts a request that starts an answer, unless one is already on its way. */
  private request(build: (requestId: string) => WebviewToHost): boolean {
    if (this.requests.busy || !this.hasKey) return false;
    const requestId = newRequestId();
    this.requests.begin(requestId);
    this.post(build(requestId));
    this.setBusy(true);
    return true;
  }

  private send(text: string): boolean {
    if (text.length > MAX_PROMPT_CHARS) {
      this.notices.show('warning', `This prompt is too long (${formatNumber(text.length)} characters; the limit is ${formatNumber(MAX_PROMPT_CHARS)}). Attach the file instead.`);
      return false;
    }
    // Ask is the host's default, so only Agent is said.
    if (!this.request((requestId) => ({ type: 'send', requestId, text, ...(this.modeButton.value === 'agent' ? { mode: 'agent' as const } : {}) }))) return false;
    this.ui.rememberPrompt(text);
    return true;
  }

  /** /compare opens the models Quick Pick (the focus comes back to the box); /new starts a new chat. */
  private runSlashAction(name: string): void {
    if (name === 'compare') {
      this.focusOnReturn = this.composer.input;
      this.post({ type: 'pickCompareModels' });
    } else if (name === 'new') {
      // No webview→host "new chat" message exists yet: "/new" goes as a prompt, for the host's send path to act on.
      this.send('/new');
    }
  }

  private stop(): void {
    const requestId = this.requests.requestCancel();
    if (requestId) this.post({ type: 'cancel', requestId });
  }

  private focusComposer(text: string | undefined): void {
    if (this.layout.current === 'history') this.showChat();
    if (this.hasKey) this.composer.focus(text);
  }

  private updateTotal(): void {
    const total = this.messages.totalTokens();
    // Short, so it fits beside the tools in a narrow side bar; the tooltip says what it counts.
    this.total.textContent = total > 0 ? `${formatNumber(total)} tokens` : '';
    this.total.title = total > 0 ? `This conversation has used ${formatNumber(total)} tokens` : '';
  }
}
