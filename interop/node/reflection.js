'use strict';
// Calls the server the way grpcurl does: no .proto files, everything from server reflection.
//
// grpc-js-reflection-client lists the services and fetches the FileDescriptorProtos; the
// requests and responses are converted from and to canonical proto3 JSON (the JSON grpcurl reads
// with -d and prints: lowerCamelCase names, int64 as strings, Struct as plain JSON, Timestamp as
// RFC 3339) by @bufbuild/protobuf from those descriptors; the calls go out on a plain grpc-js
// Client. Error details (google.rpc.Status in grpc-status-details-bin) are decoded with the
// google/rpc protos of @abstractions/api, since reflection only serves the files the services use.
const grpc = require('@grpc/grpc-js');
const { GrpcReflection } = require('grpc-js-reflection-client');
const { createFileRegistry, fromBinary, toBinary, fromJson, toJson } = require('@bufbuild/protobuf');
const { FileDescriptorSetSchema, FileDescriptorProtoSchema } = require('@bufbuild/protobuf/wkt');
const { statusDetails } = require('@abstractions/api');

class ReflectionSession {
  /**
   * @param {string} address host:port
   * @param {{version?: 'v1'|'v1alpha', credentials?: grpc.ChannelCredentials}} [options]
   */
  constructor(address, { version = 'v1', credentials = grpc.credentials.createInsecure() } = {}) {
    this.reflection = new GrpcReflection(address, credentials, {}, version);
    this.client = new grpc.Client(address, credentials);
    this.files = new Map(); // file name -> FileDescriptorProto (bufbuild message)
    this.registry = null;
  }

  close() {
    this.client.close();
  }

  /** Service names, sorted as grpcurl prints them. */
  async listServices() {
    return (await this.reflection.listServices()).sort();
  }

  /**
   * Fetches the file that defines symbol and every file it imports, by reflection, and returns
   * the registry of all descriptors fetched so far. (The library's public getDescriptorBySymbol
   * turns the files into a protobufjs Root, which drops map entries and json names; the raw
   * FileDescriptorProto bytes are what a proto3 JSON codec needs, so this uses the two lookups
   * that getDescriptorBySymbol is built on.)
   */
  async load(symbol) {
    const pending = await this.reflection.getProtoDescriptorBySymbol(symbol);
    const queue = [...pending];
    while (queue.length) {
      const file = fromBinary(FileDescriptorProtoSchema, queue.shift());
      if (this.files.has(file.name)) continue;
      fillJsonNames(file.messageType);
      this.files.set(file.name, file);
      for (const dep of file.dependency) {
        if (!this.files.has(dep)) queue.push(...await this.reflection.getProtoDescriptorByFileName(dep));
      }
    }
    // A FileDescriptorSet lists every file after the files it imports.
    const ordered = [];
    const visit = (name, seen = new Set()) => {
      if (seen.has(name) || !this.files.has(name)) return;
      seen.add(name);
      this.files.get(name).dependency.forEach((d) => visit(d, seen));
      ordered.push(this.files.get(name));
    };
    const seen = new Set();
    for (const name of this.files.keys()) visit(name, seen);
    this.registry = createFileRegistry({ $typeName: FileDescriptorSetSchema.typeName, file: ordered });
    return this.registry;
  }

  /** What `grpcurl describe SYMBOL` prints for a service or a message. */
  async describe(symbol) {
    const registry = await this.load(symbol);
    const service = registry.getService(symbol);
    if (service) {
      const lines = [`${symbol} is a service:`, `service ${service.name} {`];
      for (const m of service.methods) {
        const stream = (yes) => (yes ? 'stream ' : '');
        const clientStream = m.methodKind === 'client_streaming' || m.methodKind === 'bidi_streaming';
        const serverStream = m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming';
        lines.push(`  rpc ${m.name} ( ${stream(clientStream)}.${m.input.typeName} ) returns `
          + `( ${stream(serverStream)}.${m.output.typeName} );`);
      }
      lines.push('}');
      return lines.join('\n');
    }
    const message = registry.getMessage(symbol);
    if (!message) throw new Error(`symbol not found: ${symbol}`);
    const lines = [`${symbol} is a message:`, `message ${message.name} {`];
    for (const f of message.fields) lines.push(`  ${fieldType(f)} ${f.name} = ${f.number};`);
    lines.push('}');
    return lines.join('\n');
  }

  async method(fullMethod) {
    const [serviceName, methodName] = fullMethod.replace(/^\//, '').split('/');
    const registry = await this.load(serviceName);
    const service = registry.getService(serviceName);
    const method = service && service.methods.find((m) => m.name === methodName);
    if (!method) throw new Error(`method not found: ${fullMethod}`);
    return method;
  }

  /**
   * Calls a unary or server-streaming method with a proto3 JSON request. Resolves to
   * {messages: [proto3 JSON...], error: null | {code, details, status}}; a stream is cancelled
   * after `limit` messages (its error is then null) or ends at `deadlineMs`.
   */
  async invoke(fullMethod, json, { limit = Infinity, deadlineMs = 10000 } = {}) {
    const method = await this.method(fullMethod);
    const path = `/${method.parent.typeName}/${method.name}`;
    const serialize = (value) => Buffer.from(toBinary(method.input, fromJson(method.input, value, { registry: this.registry })));
    const deserialize = (bytes) => toJson(method.output, fromBinary(method.output, bytes), { registry: this.registry });
    const options = { deadline: Date.now() + deadlineMs };
    const failure = (err) => ({ code: err.code, details: err.details, status: statusDetails(err) });
    if (method.methodKind === 'unary') {
      return new Promise((resolve) => {
        this.client.makeUnaryRequest(path, serialize, deserialize, json, new grpc.Metadata(), options,
          (err, response) => resolve(err ? { messages: [], error: failure(err) } : { messages: [response], error: null }));
      });
    }
    if (method.methodKind !== 'server_streaming') throw new Error(`${method.methodKind} is not supported`);
    return new Promise((resolve) => {
      const messages = [];
      let done = false;
      const call = this.client.makeServerStreamRequest(path, serialize, deserialize, json, new grpc.Metadata(), options);
      call.on('data', (m) => {
        if (done) return;
        messages.push(m);
        if (messages.length >= limit) { done = true; call.cancel(); resolve({ messages, error: null }); }
      });
      call.on('error', (err) => { if (!done) { done = true; resolve({ messages, error: failure(err) }); } });
      call.on('end', () => { if (!done) { done = true; resolve({ messages, error: null }); } });
    });
  }
}

/**
 * grpc-java serves descriptors without json_name (protoc fills it in only for plugins); set the
 * default protoc would, lowerCamelCase of the field name, so JSON uses the usual names.
 */
function fillJsonNames(messages) {
  for (const m of messages) {
    for (const f of m.field) {
      if (!f.jsonName) f.jsonName = f.name.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase());
    }
    fillJsonNames(m.nestedType);
  }
}

function fieldType(f) {
  const scalar = (t) => ['', 'double', 'float', 'int64', 'uint64', 'int32', 'fixed64', 'fixed32', 'bool',
    'string', 'group', 'message', 'bytes', 'uint32', 'enum', 'sfixed32', 'sfixed64', 'sint32', 'sint64'][t];
  const named = (kind, f2) => (kind === 'message' ? `.${f2.message.typeName}`
    : kind === 'enum' ? `.${f2.enum.typeName}` : scalar(f2.scalar));
  switch (f.fieldKind) {
    case 'map': return `map<${scalar(f.mapKey)}, ${f.mapKind === 'message' ? `.${f.message.typeName}`
      : f.mapKind === 'enum' ? `.${f.enum.typeName}` : scalar(f.scalar)}>`;
    case 'list': return `repeated ${named(f.listKind, f)}`;
    case 'message': return `.${f.message.typeName}`;
    case 'enum': return `.${f.enum.typeName}`;
    default: return `${f.proto.proto3Optional ? 'optional ' : ''}${scalar(f.scalar)}`;
  }
}

/** grpc-go's name for a status code, as grpcurl prints it (ABORTED -> Aborted). */
function codeName(code) {
  return (grpc.status[code] || String(code)).toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _u, c) => c.toUpperCase()).replace(/^Ok$/, 'OK');
}

const DETAIL_ORDER = {
  'google.rpc.ErrorInfo': ['reason', 'domain', 'metadata'],
  'google.rpc.BadRequest': ['field_violations'],
};

/** One decoded detail as grpcurl prints it: "@type" first, proto3 JSON names, defaults left out. */
function detailJson(detail) {
  const type = detail['@type'].slice(detail['@type'].lastIndexOf('/') + 1);
  const keys = DETAIL_ORDER[type] || Object.keys(detail).filter((k) => k !== '@type');
  const out = { '@type': detail['@type'] };
  for (const k of keys) {
    // metadata is a map<string, string>: its keys stay as they are (sorted, as grpc-go prints maps).
    const v = k === 'metadata' ? sortedMap(detail[k]) : proto3Json(detail[k]);
    if (v !== undefined) out[k.replace(/_([a-z])/g, (_m, c) => c.toUpperCase())] = v;
  }
  return out;
}

function sortedMap(m) {
  const keys = Object.keys(m || {}).sort();
  return keys.length ? Object.fromEntries(keys.map((k) => [k, m[k]])) : undefined;
}

function proto3Json(v) {
  if (v === null || v === undefined || v === '' || v === 0 || v === false) return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => proto3Json(x) ?? {});
    return items.length ? items : undefined;
  }
  if (typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      const j = proto3Json(x);
      if (j !== undefined) out[k.replace(/_([a-z])/g, (_m, c) => c.toUpperCase())] = j;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

/** What grpcurl prints for a failed call. */
function formatError(error) {
  const lines = ['ERROR:', `  Code: ${codeName(error.code)}`, `  Message: ${error.details}`];
  const details = (error.status && error.status.details) || [];
  if (details.length) {
    lines.push('  Details:');
    details.forEach((d, i) => {
      const json = JSON.stringify(detailJson(d), null, 2).split('\n');
      lines.push(`  ${i + 1})\t${json[0]}`, ...json.slice(1).map((l) => `    \t${l}`));
    });
  }
  return lines.join('\n');
}

module.exports = { ReflectionSession, formatError, codeName };
