/** Metadata that lives beside the events in every store: goals and API keys. */

/** A conversion goal: a custom event name, or a page path pattern where `*` matches any run of characters. */
export interface Goal {
  id: number;
  siteId: number;
  kind: 'event' | 'page';
  /** The custom event name (kind 'event') or the page path pattern (kind 'page'). */
  match: string;
  /** What reports show: the event name, or 'Visit /path*'. */
  displayName: string;
}

export interface NewGoal {
  kind: 'event' | 'page';
  match: string;
}

export interface ApiKey {
  id: number;
  name: string;
  /** First characters of the key, shown in lists so people can tell keys apart. */
  prefix: string;
  /** sha256 of the whole key, hex; the key itself is never stored. */
  keyHash: string;
  /** Admin keys see every site and may use the SQL console. */
  admin: boolean;
  /** Sites this key may read; empty means all sites. */
  siteIds: number[];
  createdAt: number;
}

export interface NewApiKey {
  name: string;
  prefix: string;
  keyHash: string;
  admin: boolean;
  siteIds: number[];
}
