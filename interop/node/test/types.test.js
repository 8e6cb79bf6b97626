'use strict';
// The package's TypeScript declarations, for both entries (require and import), compile under
// strict settings and reject misuse: tsc over test/types (each misuse there is marked
// @ts-expect-error, so a declaration that lets it through fails the check too).
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

test('the declarations type-check the package used from CommonJS and from ES modules', () => {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'types')], { encoding: 'utf8' });
  assert.equal(result.stdout + result.stderr, '');
  assert.equal(result.status, 0);
});
