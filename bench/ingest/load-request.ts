/** One HTTP request of the load mix, as both load generators (wrk, the constant-rate client) send it. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}
