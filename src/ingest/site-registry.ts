/**
 * The sites whose hits are counted, held in memory so that the collector never waits on the
 * store. Reloaded after every site change made through this process, and periodically so
 * changes made by other processes sharing the store show up.
 */
import type { Site } from '../store/site.js';
import type { Store } from '../store/store.js';

export class SiteRegistry {
  private byDomain = new Map<string, Site>();

  constructor(private readonly store: Store) {}

  async reload(): Promise<Site[]> {
    const sites = await this.store.listSites();
    this.byDomain = new Map(sites.map((s) => [s.domain, s]));
    return sites;
  }

  all(): Site[] {
    return [...this.byDomain.values()];
  }

  /** The registered site for a host: the host itself or its nearest registered parent domain. */
  resolve(host: string): Site | undefined {
    let candidate = host.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
    for (;;) {
      const site = this.byDomain.get(candidate);
      if (site) return site;
      const dot = candidate.indexOf('.');
      if (dot < 0) return undefined;
      candidate = candidate.slice(dot + 1);
    }
  }
}

const SITE_MUTATIONS = new Set(['addSite', 'removeSite', 'updateSite']);

/**
 * The store as the rest of the process should use it: site changes made through it reload
 * the registry (and whatever else `onChange` refreshes) before the call returns.
 */
export function reloadingOnSiteChange(store: Store, onChange: () => Promise<unknown>): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && SITE_MUTATIONS.has(property)) {
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          await onChange();
          return result;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
