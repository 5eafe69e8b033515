// One row of the real-account audit (docs/aws.md "What AWS enforces"): a constraint AWS
// documents for a field the product sets, whether the emulator (moto + scripts/emulator.py)
// refuses a request that breaks it, and what in this repository checks that we keep it.

/** A managed kind as `<family>/<Kind>` (e.g. `rds/Cluster`), or a shipped file for non-kind rows. */
export type Subject = string;

export interface AwsRule {
  /** The kind or shipped file the rule is about: `ec2/Subnet`, `bootstrap/iam-environment`, `dashboards`, `environments`. */
  readonly subject: Subject;
  /** The fields it constrains, as composed (`spec.forProvider` camelCase paths) or as written in the file. */
  readonly fields: readonly string[];
  /** The constraint, in AWS's words or close to them. */
  readonly rule: string;
  /** The AWS documentation page (API reference, user guide or quotas) that states it. */
  readonly source: string;
  /**
   * Does the emulator refuse a request that breaks the rule?
   * `enforces`: moto or the front in scripts/emulator.py refuses it; `forgives`: it accepts it;
   * `not-applicable`: nothing to send (e.g. a quota the stack is far below, an account setting).
   */
  readonly emulator: 'enforces' | 'forgives' | 'not-applicable';
  /**
   * What checks the product keeps it: `<test file>: <test name or describe>` as it appears in that
   * file (test/audit.test.ts checks the name is there), or `validation: <field>` for a rule
   * payenv validate and the XRD enforce.
   */
  readonly check: string;
  /** Set when the product broke the rule: what was wrong and how it is fixed (or why it is only documented). */
  readonly finding?: string;
}
