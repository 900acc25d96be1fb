export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string | undefined;
  readonly data: string;
}

/** A Server-Sent Events client as an operator's script would write one: fetch, read, split on blank lines. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  private readonly controller = new AbortController();
  private done: Promise<void> = Promise.resolve();

  async open(url: string, token: string, lastEventId?: string): Promise<this> {
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'text/event-stream',
        ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
      },
      signal: this.controller.signal,
    });
    this.status = response.status;
    if (response.body === null || response.status !== 200) return this;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    this.done = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = new Map<string, string>();
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
            }
            const data = fields.get('data');
            if (data !== undefined) this.events.push({ id: fields.get('id'), event: fields.get('event'), data });
          }
        }
      } catch {
        // aborted
      }
    })();
    return this;
  }

  get lastId(): string | undefined {
    return this.events.at(-1)?.id;
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
