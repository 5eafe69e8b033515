// The AWS fault cases' reading of the emulator's call log (src/dev/calls.ts): what counts as a
// create, a delete or a data-store write decides whether a case passes.
import { Call, writesBetween } from '../src/dev/calls';

const call = (caller: string, service: string, operation: string, count: number, kind: Call['kind'] = 'write'): Call => ({ caller, service, operation, kind, count });

test('writes are the differences between two snapshots, by caller, sorted into creates, deletes, data-store updates, tags and updates', () => {
  const before = [call('dev', 'sqs', 'SetQueueAttributes', 3), call('dev', 'ec2', 'DescribeVpcs', 9, 'read')];
  const after = [
    ...before.map((c) => ({ ...c, count: c.count + 2 })), call('dev', 'ec2', 'CreateVpc', 1), call('dev', 'ec2', 'DeleteSubnet', 1),
    call('dev', 'dynamodb', 'UpdateTable', 1), call('dev', 'ec2', 'CreateTags', 4), call('prod', 'ec2', 'DeleteVpc', 1),
  ];
  expect(writesBetween(before, after, ['dev'])).toEqual({
    creates: { 'ec2 CreateVpc': 1 }, deletes: { 'ec2 DeleteSubnet': 1 }, dataStoreUpdates: { 'dynamodb UpdateTable': 1 },
    tags: { 'ec2 CreateTags': 4 }, updates: { 'sqs SetQueueAttributes': 2 },
  });
});

test('a security group create\'s own revokes of its default egress rules (IPv4 and IPv6) are part of the create; any more is a delete', () => {
  const made = (revokes: number) => writesBetween([], [call('dev', 'ec2', 'CreateSecurityGroup', 5), call('dev', 'ec2', 'RevokeSecurityGroupEgress', revokes)], ['dev']);
  expect(made(10)).toMatchObject({ deletes: {}, creates: { 'ec2 CreateSecurityGroup': 5, 'ec2 RevokeSecurityGroupEgress (default rules of the groups created)': 10 } });
  expect(made(11).deletes).toEqual({ 'ec2 RevokeSecurityGroupEgress': 1 });
  // No group created: every revoke is a delete.
  expect(writesBetween([], [call('dev', 'ec2', 'RevokeSecurityGroupEgress', 2)], ['dev']).deletes).toEqual({ 'ec2 RevokeSecurityGroupEgress': 2 });
});
