'use strict';
// The README's Node install line and example are true: in a new project folder, the install
// line (with the path of this clone's src-gen/node) installs the package from the npm registry's
// dependencies, and the example, run as written against the live server, prints what its
// comment says.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ADDRESS = process.env.ABSTRACTIONS_ADDRESS || 'localhost:8980';
const CLONE_PATH = '../abstractions/src-gen/node'; // how the README names a clone's src-gen/node

function section() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Python, Node and grpcurl\n');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

test('the install line and the example work in a new project', { timeout: 240000 }, () => {
  const installs = [...section().matchAll(/`(npm install [^`]+)`/g)].map((m) => m[1]);
  assert.deepEqual(installs, [`npm install --install-links ${CLONE_PATH}`]);
  const example = /```js\n([\s\S]*?)```/.exec(section())[1];
  const expected = /^console\.log\(.*\); \/\/ (.*)$/m.exec(example)[1];
  assert.ok(example.includes("'localhost:8980'"));

  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'abstractions-readme-'));
  try {
    run('npm', ['init', '-y'], project);
    const args = installs[0].replace(CLONE_PATH, path.join(ROOT, 'src-gen', 'node')).split(' ').slice(1);
    run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], project);
    fs.writeFileSync(path.join(project, 'example.mjs'), example.replace("'localhost:8980'", JSON.stringify(ADDRESS)));
    assert.equal(run(process.execPath, ['example.mjs'], project), `${expected}\n`);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});
