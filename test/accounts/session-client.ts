/** The account tests' browser-like client (the shared cookie-jar client) and the setup token. */
export { CookieClient as SessionClient } from '../helpers/cookie-client.js';

/** The setup URL the server printed at its first start. */
export function setupTokenFrom(output: string): string {
  const match = /\/setup\?token=([\w-]+)/.exec(output);
  if (!match) throw new Error(`no setup URL in the server output:\n${output}`);
  return match[1]!;
}
