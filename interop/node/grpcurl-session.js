#!/usr/bin/env node
'use strict';
// Prints, as markdown, a grpcurl session against a running server: each grpcurl command a user
// would type, followed by the real output of the same call made through server reflection
// (see reflection.js), printed the way grpcurl prints it. No grpcurl binary is needed.
//
//   node grpcurl-session.js [ADDRESS]        (or ABSTRACTIONS_ADDRESS; default localhost:8980)
//   scripts/grpcurl-session.sh [ADDRESS] > docs/grpcurl-session.md
const { ReflectionSession, formatError } = require('./reflection');

const EVENTS_SHOWN = 2; // the create and the update; the refused update wrote nothing

async function session(address) {
  const s = new ReflectionSession(address);
  const out = [];
  const step = (title, text) => out.push(`## ${title}`, '', ...(text ? [text, ''] : []));
  const shell = (command, output) => out.push('```console', `$ ${command}`, output, '```', '');
  const grpcurl = (args) => `grpcurl -plaintext ${args}`;
  const data = (json) => `-d '${JSON.stringify(json)}'`;
  const printed = (result) => [
    ...result.messages.map((m) => JSON.stringify(m, null, 2)),
    ...(result.error ? [formatError(result.error)] : []),
  ].join('\n');
  const call = async (method, json, options) => {
    const result = await s.invoke(method, json, options);
    shell(grpcurl(`${data(json)} ${address} ${method}`), printed(result));
    return result;
  };

  try {
    out.push('# A grpcurl session', '',
      `Recorded by \`scripts/grpcurl-session.sh\` against a server at \`${address}\`. Each command is what`,
      'you would type; the output under it is the real answer to the same call, made through server',
      'reflection alone (no .proto files) by a Node client, `grpc-js-reflection-client` with proto3 JSON',
      'from `@bufbuild/protobuf`, and printed the way grpcurl prints it. The server registers',
      'reflection `v1` and `v1alpha`, so old and new grpcurl builds both work.', '');

    step('1. List the services');
    shell(grpcurl(`${address} list`), (await s.listServices()).join('\n'));

    step('2. Describe a service');
    shell(grpcurl(`${address} describe abstractions.v1.EntityService`),
      await s.describe('abstractions.v1.EntityService'));

    step('3. Create an entity', 'The server assigns the lineage id; `version` starts at 1. int64 fields are '
      + 'JSON strings, `data` is a `google.protobuf.Struct`, so plain JSON.');
    const created = await call('abstractions.v1.EntityService/Create',
      { entityType: 'Student', data: { name: 'Ada', credits: 0 } });
    if (created.error) throw new Error(formatError(created.error));
    const lineageId = created.messages[0].lineageId;

    step('4. Update it (compare-and-set)', 'The write states the version it read.');
    const updated = await call('abstractions.v1.EntityService/Update',
      { lineageId, expectedVersion: '1', data: { name: 'Ada', credits: 5 } });
    if (updated.error) throw new Error(formatError(updated.error));

    step('5. Update with a stale version', 'Version 1 is no longer the latest: `ABORTED`, and the '
      + '`google.rpc.ErrorInfo` detail names the current version to re-read.');
    const stale = await call('abstractions.v1.EntityService/Update',
      { lineageId, expectedVersion: '1', data: { name: 'Ada', credits: 9 } });
    if (!stale.error) throw new Error('the stale update was accepted');

    step('6. Subscribe to its events', `From the oldest retained event, only this entity's. The stream `
      + 'stays open for new events (grpcurl runs until Ctrl-C or `-max-time`): here the create and the update; '
      + 'the refused update wrote nothing.');
    const events = await s.invoke('abstractions.v1.EventService/Subscribe',
      { filter: { lineageIds: [lineageId] }, fromOldest: true }, { limit: EVENTS_SHOWN, deadlineMs: 3000 });
    shell(grpcurl(`${data({ filter: { lineageIds: [lineageId] }, fromOldest: true })} ${address} `
      + 'abstractions.v1.EventService/Subscribe'), printed(events) + '\n^C');

    step('7. Change a tree at once (WriteTree)', 'Every entity is the root of its own tree until members are '
      + 'created under it. One `WriteTree` changes several members of a tree, all or nothing, if the tree is '
      + 'still at `expectedTreeVersion` (here 2: the create and the update); each member written gets its own '
      + 'new version, and the tree version goes up by exactly 1.');
    const written = await call('abstractions.v1.EntityService/WriteTree', {
      rootLineageId: lineageId, expectedTreeVersion: '2', changes: [
        { update: { lineageId, expectedVersion: '2', data: { name: 'Ada', credits: 8 } } },
        { create: { parentLineageId: lineageId, entityType: 'Enrollment', data: { course: 'Logic', credits: 3 } } },
      ],
    });
    if (written.error) throw new Error(formatError(written.error));

    step('8. Read the whole tree (GetTree)', 'Its live members, the root included, ordered by lineage id, '
      + 'all at one tree version (the latest here; `treeVersion` reads an older one). A larger tree comes a '
      + 'page at a time: pass `nextPageToken` back as `pageToken`.');
    const tree = await call('abstractions.v1.EntityService/GetTree', { rootLineageId: lineageId });
    if (tree.error) throw new Error(formatError(tree.error));

    step('9. Put a tree under another (AttachTree)', 'A root, with every member of its tree, goes under a '
      + 'member (or the root) of another tree, if both trees are still at the versions given: here Ada\'s tree '
      + '(at 3) under a new `School` (a tree of one, at 1). One atomic step writes a new version of the parent '
      + '(its data unchanged), of the attached root and of each member that moved with it; both trees are then at '
      + 'one more than the larger of their versions, 4, and Ada\'s tree is now part of the school\'s: a GetTree '
      + 'of Ada answers `FAILED_PRECONDITION` `NOT_A_ROOT`, naming the root to read instead.');
    const school = await call('abstractions.v1.EntityService/Create', { entityType: 'School', data: { name: 'Lovelace' } });
    if (school.error) throw new Error(formatError(school.error));
    const attached = await call('abstractions.v1.EntityService/AttachTree', {
      lineageId, expectedTreeVersion: '3', parentLineageId: school.messages[0].lineageId, expectedParentTreeVersion: '1',
    });
    if (attached.error) throw new Error(formatError(attached.error));
    const member = await call('abstractions.v1.EntityService/GetTree', { rootLineageId: lineageId });
    if (!member.error) throw new Error('GetTree of the attached root answered a tree');
    return out.join('\n');
  } finally {
    s.close();
  }
}

module.exports = { session };

if (require.main === module) {
  session(process.argv[2] || process.env.ABSTRACTIONS_ADDRESS || 'localhost:8980')
    .then((md) => process.stdout.write(md))
    .catch((err) => { console.error(err); process.exitCode = 1; });
}
