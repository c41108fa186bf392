import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, validatePassword, verifyPassword } from '../../src/accounts/password.js';

test('scrypt hashes verify the right password only, with a fresh salt each time', async () => {
  const a = await hashPassword('correct horse battery');
  const b = await hashPassword('correct horse battery');
  assert.match(a, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  assert.notEqual(a, b, 'salted');
  assert.equal(await verifyPassword('correct horse battery', a), true);
  assert.equal(await verifyPassword('correct horse batterY', a), false);
  assert.equal(await verifyPassword('', a), false);
});

test('malformed or hostile stored hashes never verify and never throw', async () => {
  for (const stored of ['', 'plain', 'scrypt$1$2$3$4', 'bcrypt$32768$8$1$aaaa$bbbb', 'scrypt$99999999$8$1$AAAA$BBBB', 'scrypt$32768$8$1$AAAA$short']) {
    assert.equal(await verifyPassword('x', stored), false, stored);
  }
});

test('password rules: 8 characters at least, bounded length', () => {
  assert.throws(() => validatePassword('short'), { code: 'bad_request' });
  assert.throws(() => validatePassword(12345678), { code: 'bad_request' });
  assert.throws(() => validatePassword('x'.repeat(2000)), { code: 'bad_request' });
  assert.equal(validatePassword('long enough'), 'long enough');
});
