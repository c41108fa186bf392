/** Data hooks: the API client from context, and async loads that re-run when their key changes. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Api, SessionUser } from './api.js';

/** What every page gets from the app: the API client and the logged-in user. */
export interface AppContextValue {
  api: Api;
  /** null on shared dashboards (no login). */
  user: SessionUser | null;
  /** Re-reads the session (after login, logout). */
  refreshSession(): Promise<void>;
}

/** Provided by App. */
export const AppContext = createContext<AppContextValue | null>(null);

/** The app context (throws outside App). */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}

/** State of a useLoad call. */
export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` when `key` changes and keeps the last answer while the next one loads (no
 * flicker). Answers of superseded loads are ignored.
 */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => { if (current) setState({ data, error: undefined, loading: false }); },
      (err: unknown) => { if (current) setState((s) => ({ data: s.data, error: err instanceof Error ? err.message : String(err), loading: false })); },
    );
    return () => { current = false; };
    // `key` captures everything `load` reads, so `load` itself is not a dependency.
  }, [key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** Re-renders every `ms` while mounted (realtime counters). */
export function useInterval(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}
