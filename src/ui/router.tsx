/** A tiny history-API router: the current path and search, and in-app navigation without reloads. */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

/** Where the app is, and how to go elsewhere. */
export interface Location {
  path: string;
  search: string;
  /** Pushes (or replaces) a URL of this origin and re-renders. */
  navigate(url: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<Location | null>(null);

/** Tracks the URL (pushState and popstate) for useLocation. */
export function RouterProvider({ children }: { children: ComponentChildren }) {
  const [here, setHere] = useState(() => ({ path: window.location.pathname, search: window.location.search }));
  useEffect(() => {
    const onPop = () => setHere({ path: window.location.pathname, search: window.location.search });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (url: string, options: { replace?: boolean } = {}) => {
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setHere({ path: window.location.pathname, search: window.location.search });
  };
  return <RouterContext.Provider value={{ ...here, navigate }}>{children}</RouterContext.Provider>;
}

/** The current location (inside RouterProvider). */
export function useLocation(): Location {
  const location = useContext(RouterContext);
  if (!location) throw new Error('useLocation outside RouterProvider');
  return location;
}

/** An <a> that navigates inside the app (plain clicks only; modified clicks open tabs as usual). */
export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' | undefined }) {
  const { navigate } = useLocation();
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}
