/** Accounts that live beside the events in every store: users, login sessions, share links. */

export type Role = 'admin' | 'member' | 'viewer';

export interface User {
  id: number;
  /** Lower-case e-mail address; the login name. */
  email: string;
  /** scrypt hash in the form 'scrypt$N$r$p$salt$hash' (see accounts/password.ts). */
  passwordHash: string;
  /** admin: everything; member: assigned sites and their settings; viewer: read assigned sites. */
  role: Role;
  /** Sites a member or viewer may see; ignored for admins. */
  siteIds: number[];
  createdAt: number;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  role: Role;
  siteIds: number[];
}

export interface LoginSession {
  /** sha256 of the session cookie's value, hex; the cookie value itself is never stored. */
  idHash: string;
  userId: number;
  /** Token the dashboard sends back in a header on every state-changing request. */
  csrfToken: string;
  /** ms since epoch UTC. */
  expiresAt: number;
}

export interface ShareLink {
  id: number;
  siteId: number;
  /** Random, URL-safe; the capability in /share/<slug>. */
  slug: string;
  /** scrypt hash of the optional password; null when the link is open. */
  passwordHash: string | null;
  createdAt: number;
}

export interface NewShareLink {
  siteId: number;
  slug: string;
  passwordHash: string | null;
}
