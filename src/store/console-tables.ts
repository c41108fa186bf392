/** Tables no SQL console may read, on any store: credentials, sessions, share links and salts. */
export const SECRET_TABLES: ReadonlySet<string> = new Set(['users', 'login_sessions', 'api_keys', 'salts', 'share_links']);
