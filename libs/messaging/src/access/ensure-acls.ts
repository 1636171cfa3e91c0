import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  ResourcePatternTypes,
} from 'kafkajs';

import { KafkaAccessRule } from './kafka-access-table';

const OPERATIONS = { read: AclOperationTypes.READ, write: AclOperationTypes.WRITE } as const;
const RESOURCES = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP } as const;
const PATTERNS = {
  literal: ResourcePatternTypes.LITERAL,
  prefixed: ResourcePatternTypes.PREFIXED,
} as const;

export interface EnsureAclsResult {
  /** ACLs on the broker for the table's principals that the table does not hold (left alone). */
  unexpected: string[];
}

function describeRule(rule: KafkaAccessRule): string {
  return `User:${rule.principal} ${rule.operation} ${rule.resource} ${rule.name}${rule.pattern === 'prefixed' ? '*' : ''}`;
}

/**
 * Creates the table's ACLs (the broker ignores one it already has) and reports any other ACL of
 * those principals, which an operator added by hand and must review.
 */
export async function ensureAcls(
  admin: Admin,
  rules: KafkaAccessRule[],
): Promise<EnsureAclsResult> {
  await admin.createAcls({
    acl: rules.map((rule) => ({
      resourceType: RESOURCES[rule.resource],
      resourceName: rule.name,
      resourcePatternType: PATTERNS[rule.pattern],
      principal: `User:${rule.principal}`,
      host: '*',
      operation: OPERATIONS[rule.operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  });
  const wanted = new Set(rules.map(describeRule));
  const principals = new Set(rules.map((rule) => `User:${rule.principal}`));
  const present = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const unexpected: string[] = [];
  for (const resource of present.resources) {
    for (const acl of resource.acls) {
      if (!principals.has(acl.principal)) continue;
      const operation = Object.entries(OPERATIONS).find(([, code]) => code === acl.operation)?.[0];
      const type = Object.entries(RESOURCES).find(
        ([, code]) => code === resource.resourceType,
      )?.[0];
      const pattern = Object.entries(PATTERNS).find(
        ([, code]) => code === resource.resourcePatternType,
      )?.[0];
      const line =
        operation && type && pattern && acl.permissionType === AclPermissionTypes.ALLOW
          ? describeRule({
              principal: acl.principal.slice('User:'.length),
              operation: operation as KafkaAccessRule['operation'],
              resource: type as KafkaAccessRule['resource'],
              name: resource.resourceName,
              pattern: pattern as KafkaAccessRule['pattern'],
            })
          : `${acl.principal} operation ${acl.operation} on ${resource.resourceName}`;
      if (!wanted.has(line)) unexpected.push(line);
    }
  }
  return { unexpected };
}
