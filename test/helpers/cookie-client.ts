/** A browser-like HTTP client for the dashboard's routes: a cookie jar and the CSRF token. */

export interface JarAnswer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  setCookies: string[];
  headers: Headers;
}

export class CookieClient {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;

  constructor(readonly baseUrl: string, readonly headers: Record<string, string> = {}) {}

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JarAnswer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...this.headers,
        ...(cookie ? { cookie } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.csrf && !['GET', 'HEAD'].includes(method) ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      if (/Max-Age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON (a page)
    }
    if (typeof parsed.csrfToken === 'string') this.csrf = parsed.csrfToken;
    return { status: res.status, body: parsed, text, setCookies, headers: res.headers };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.send('GET', path, undefined, headers);
  }

  post(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.send('POST', path, body, headers);
  }
}
