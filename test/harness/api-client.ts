export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** The operator API as an operator's script sees it: HTTP, JSON, a bearer token. */
export type RequestObserver = (method: string, path: string, status: number) => void;

export class ApiClient {
  readonly base: string;
  private readonly token: string | undefined;
  private readonly observer: RequestObserver | undefined;

  constructor(base: string, token: string | undefined, observer?: RequestObserver) {
    this.base = base;
    this.token = token;
    this.observer = observer;
  }

  /** The same client with another token (and the same observer). */
  as(token: string | undefined): ApiClient {
    return new ApiClient(this.base, token, this.observer);
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    this.observer?.(method, path, response.status);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  put<T = any>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }

  post<T = any>(path: string, body: unknown, contentType?: string) {
    return this.request<T>('POST', path, body, contentType);
  }

  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}
