/**
 * Google's Chat schema, loaded once from the vendored protos (`protos/`, googleapis at the commit
 * named in protos/README.md) with protobufjs. Comments are kept: card.proto marks required fields
 * only in prose ("Required. …"), and the validator reads that.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as protobuf from 'protobufjs';

/** `local/schema/protos`, from the sources (ts-jest) or from `dist/local/schema` (the build). */
function protosDir(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'local', 'schema', 'protos');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`local/schema/protos not found above ${__dirname}`);
}

let root: protobuf.Root | undefined;

export function chatSchema(): protobuf.Root {
  if (root) return root;
  const protos = protosDir();
  const bundled = dirname(require.resolve('protobufjs/package.json'));
  const loaded = new protobuf.Root();
  // Well-known types come with protobufjs: `common` ones built in, descriptor.proto as a file.
  loaded.resolvePath = (_origin, target) =>
    target in protobuf.common ? target : target.startsWith('google/protobuf/') ? join(bundled, target) : join(protos, target);
  loaded.loadSync(['google/chat/v1/message.proto'], { keepCase: true, alternateCommentMode: true });
  loaded.resolveAll();
  root = loaded;
  return root;
}

export const messageType = (fullName: string): protobuf.Type => chatSchema().lookupType(fullName);

/** proto3 JSON name of a field (protoc's rule: drop each `_`, capitalise what follows). */
export const jsonName = (protoName: string): string => protoName.replace(/_(.)/g, (_m, c: string) => c.toUpperCase());

/** Whether Google marks the field required: `field_behavior = REQUIRED`, or a comment opening "Required." */
export function isRequired(field: protobuf.Field): boolean {
  const behavior = field.options?.['(google.api.field_behavior)'];
  return behavior === 'REQUIRED' || /^\s*Required\./.test(field.comment ?? '');
}
