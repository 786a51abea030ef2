// History <-> the proto JSON of Temporal's history files (the format `historyToJSON` / `historyFromJSON`
// of @temporalio/common/lib/proto-utils write and read, as `temporal workflow show -o json` does; written
// compact here). Those two functions fail in this install with "TypeError: type must be a Type": npm
// installs protobufjs 8 twice (under @temporalio/common and under @temporalio/proto, as the root has
// protobufjs 7), and common's protojson rejects the reflected types built by proto's copy. The worker's
// replay goes through the same historyFromJSON when handed JSON, so the replay test hands it the History
// from here. Same conversion, through the protojson of the protobufjs that @temporalio/proto loads
// (without proto-utils' fix-ups for the old tctl files with PascalCase enum names: not needed here).
import { createRequire } from 'node:module';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type ReflectedType = { name: string };
interface ProtoJson {
  toJson(type: ReflectedType, message: unknown): unknown;
  fromJson(type: ReflectedType, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

const require = createRequire(import.meta.url);
const protoRequire = createRequire(require.resolve('@temporalio/proto'));
const protojson = protoRequire('protobufjs/ext/protojson') as ProtoJson;
const proto = require('@temporalio/proto') as typeof import('@temporalio/proto');
const { patchProtobufRoot } = require('@temporalio/proto/lib/patch-protobuf-root') as typeof import('@temporalio/proto/lib/patch-protobuf-root');
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): ReflectedType }).lookupType('temporal.api.history.v1.History');

export function historyToJSON(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)));
}

export function historyFromJSON(json: string): History {
  const history = protojson.fromJson(historyType, JSON.parse(json), { ignoreUnknownFields: true }) as History | null;
  if (!history?.events?.length) throw new TypeError('not a workflow history');
  return history;
}
