/**
 * Step: the visitor id, a keyed 64-bit hash of (site, IP, User-Agent) under a salt that
 * rotates. The IP and the User-Agent are not kept; once the salt is deleted (48 h) nobody
 * can recompute which visitor a hash belonged to.
 */
import { createHmac } from 'node:crypto';

/** Signed 64-bit id as a decimal string (the stores' BIGINT). */
export function visitorId(saltSecret: string, siteId: number, ip: string, userAgent: string): string {
  const digest = createHmac('sha256', saltSecret).update(`${siteId}\n${ip}\n${userAgent}`).digest();
  return digest.readBigInt64BE(0).toString();
}
