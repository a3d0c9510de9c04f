/** Editor operations in flight, so `modelslab.stop` can abort them all. */
export class RunningOperations {
  private readonly controllers = new Set<AbortController>();

  constructor(private readonly onCountChange: (count: number) => void = () => undefined) {}

  start(): AbortController {
    const controller = new AbortController();
    this.controllers.add(controller);
    controller.signal.addEventListener('abort', () => this.end(controller), { once: true });
    this.onCountChange(this.controllers.size);
    return controller;
  }

  end(controller: AbortController): void {
    if (this.controllers.delete(controller)) this.onCountChange(this.controllers.size);
  }

  get count(): number {
    return this.controllers.size;
  }

  abortAll(): number {
    const n = this.controllers.size;
    for (const c of [...this.controllers]) c.abort();
    return n;
  }
}
