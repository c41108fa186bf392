/**
 * The dashboard's HTTP client. Every number comes from the public Stats API (/api/v2/*); the
 * browser authenticates with its session cookie (plus the CSRF token on state-changing
 * requests) or, on a shared dashboard, with the share link's slug.
 */

/** An error answer of the server: `{error: {code, message}}`. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export type DimensionValue = string | number;

export interface QueryRow {
  dimensions: DimensionValue[];
  metrics: Array<number | null>;
  comparison?: { dimensions: DimensionValue[]; metrics: Array<number | null>; change: Array<number | null> };
}

export interface QueryResult {
  results: QueryRow[];
  meta: { date_range: [string, string]; time_zone: string; comparison_date_range?: [string, string]; time_labels?: DimensionValue[]; total_rows?: number };
}

/** A Stats API v2 filter leaf: [operator, dimension, values]. */
export type ApiFilter = [string, string, string[]];

export interface QueryBody {
  site_id: string;
  metrics: string[];
  date_range: string | [string, string];
  dimensions?: string[];
  filters?: ApiFilter[];
  order_by?: Array<[string, 'asc' | 'desc']>;
  include?: { time_labels?: boolean; total_rows?: boolean; comparisons?: { mode: 'previous_period' | 'year_over_year' } };
  pagination?: { limit: number; offset?: number };
}

export interface SessionUser {
  id: number;
  email: string;
  role: 'admin' | 'member' | 'viewer';
  admin: boolean;
  canWrite: boolean;
}

export interface SiteInfo {
  id?: number;
  domain: string;
  timezone: string;
  raw?: boolean;
  canWrite?: boolean;
}

/** One instance per page load, shared through context; holds the credentials of this tab. */
export class Api {
  /** Echoed in X-CSRF-Token on every non-GET request of a login session. */
  csrfToken: string | null = null;
  /** Set on a shared dashboard: sent as X-Footfall-Share. */
  shareSlug: string | null = null;
  /** Called when a logged-in request answers 401 (the session expired or was ended elsewhere). */
  onUnauthorized: (() => void) | null = null;

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (this.shareSlug) headers['x-footfall-share'] = this.shareSlug;
    const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: reported below
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      if (response.status === 401 && this.csrfToken && !this.shareSlug) this.onUnauthorized?.();
      throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`);
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  query(body: QueryBody): Promise<QueryResult> {
    return this.post<QueryResult>('/api/v2/query', body);
  }
}
