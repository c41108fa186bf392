import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAdmin, assertCanRead, assertCanWrite, canReadSite, sharePrincipal, userPrincipal } from '../../src/accounts/principal.js';
import { normalizeEmail, parseRole } from '../../src/accounts/user-input.js';

const user = (role: 'admin' | 'member' | 'viewer', siteIds: number[]) => userPrincipal({ id: 1, email: 'a@b.co', role, siteIds });

test('roles: admins see and change every site, members their sites, viewers only read theirs', () => {
  const admin = user('admin', []);
  assert.equal(canReadSite(admin, 99), true);
  assert.doesNotThrow(() => assertCanWrite(admin, 99, 'x.com'));
  assert.doesNotThrow(() => assertAdmin(admin));

  const member = user('member', [1]);
  assert.doesNotThrow(() => assertCanWrite(member, 1, 'a.com'));
  assert.throws(() => assertCanRead(member, 2, 'b.com'), { code: 'not_found' }, 'other sites look missing');
  assert.throws(() => assertAdmin(member), { code: 'forbidden' });

  const viewer = user('viewer', [1]);
  assert.doesNotThrow(() => assertCanRead(viewer, 1, 'a.com'));
  assert.throws(() => assertCanWrite(viewer, 1, 'a.com'), { code: 'forbidden' });
  assert.throws(() => assertCanRead(viewer, 2, 'b.com'), { code: 'not_found' });

  const none = user('viewer', []);
  assert.equal(canReadSite(none, 1), false, 'no sites means none, not all');

  const share = sharePrincipal(3);
  assert.equal(canReadSite(share, 3), true);
  assert.equal(canReadSite(share, 4), false);
  assert.throws(() => assertCanWrite(share, 3, 'c.com'), { code: 'forbidden' });
});

test('user input: e-mails are normalized, roles are closed', () => {
  assert.equal(normalizeEmail('  Ann@Example.COM '), 'ann@example.com');
  assert.throws(() => normalizeEmail('not an email'), { code: 'bad_request' });
  assert.equal(parseRole('viewer'), 'viewer');
  assert.throws(() => parseRole('root'), { code: 'bad_request' });
});
