/** A registered site: only hits for its domain (and subdomains) are counted. */
export interface Site {
  id: number;
  /** Lower-case host name without port or www., e.g. 'example.com'. */
  domain: string;
  /** IANA time zone in which the site's date ranges and buckets are computed. */
  timezone: string;
  /** Raw mode: also store IP and request headers, as the original app did. */
  raw: boolean;
  /** Hours after which the visitor-hash salt rotates (24 by default). */
  saltRotationHours: number;
  /** Creation time, ms since epoch UTC. */
  createdAt: number;
}

export interface NewSite {
  domain: string;
  timezone?: string;
  raw?: boolean;
  saltRotationHours?: number;
}
