// Field paths the plan compares: JSON strings (policies, container definitions) expanded, other strings whole.
import { flatten } from '../src/plan/diff';

const paths = (v: unknown) => Object.fromEntries(flatten(v, 'spec', new Map()));

test('a JSON document in a string is compared field by field, after #', () => {
  expect(paths({ policy: '{"Statement":[{"Effect":"Allow"}]}' })).toEqual({ 'spec.policy#Statement[0].Effect': 'Allow' });
});

test('an empty {} stays a string: a CEL map losing its last entry keeps its path', () => {
  // dist/bootstrap/admission.yaml: variables[].expression "{'payments-prod': '...'}" becomes "{}" when prod goes.
  expect(paths({ expression: '{}' })).toEqual({ 'spec.expression': '{}' });
  expect(paths({ expression: "{'payments-prod': 'arn'}" })).toEqual({ 'spec.expression': "{'payments-prod': 'arn'}" });
});

test('a list of plain values is one value', () => {
  expect(paths({ managementPolicies: ['Observe', 'Create'] })).toEqual({ 'spec.managementPolicies': ['Observe', 'Create'] });
});
