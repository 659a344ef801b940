import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { RollingUpdatePolicy, RollingUpdatePolicyProps } from '../../../constructs/rolling/rolling-update-policy';
import { Quantity } from '../../../model/quantity';

/** The names the package exports: every `export { ... }` of api/*.ts. */
function publicNames(): string[] {
  const dir = path.join(__dirname, '../../../api');
  return ['model.ts', 'kubernetes.ts', 'aws.ts'].flatMap((file) => {
    const source = ts.createSourceFile(file, readFileSync(path.join(dir, file), 'utf8'), ts.ScriptTarget.Latest);
    return source.statements
      .filter(ts.isExportDeclaration)
      .flatMap((statement) =>
        statement.exportClause !== undefined && ts.isNamedExports(statement.exportClause)
          ? statement.exportClause.elements.map((element) => element.name.text)
          : [],
      );
  });
}

describe('RollingUpdatePolicy', () => {
  it('resolves the zero-downtime defaults into its fields', () => {
    const policy = RollingUpdatePolicy.of();
    expect(policy.maxSurge).toEqual(Quantity.percent(25));
    expect(policy.maxUnavailable).toEqual(Quantity.count(0));
    expect(policy.minReadySeconds).toBe(0);
    expect(policy.progressDeadlineSeconds).toBe(600);
    expect(RollingUpdatePolicy.zeroDowntime()).toEqual(policy);
  });

  it('exposes the resolved values as its attributes: each given prop, or its default', () => {
    const policy = RollingUpdatePolicy.of({ maxUnavailable: Quantity.percent(10), progressDeadlineSeconds: 900 });
    expect([policy.maxSurge, policy.maxUnavailable, policy.minReadySeconds, policy.progressDeadlineSeconds]).toEqual([
      Quantity.percent(25),
      Quantity.percent(10),
      0,
      900,
    ]);
  });

  it('keeps the deprecated settings: the props type, with every field present', () => {
    const policy = RollingUpdatePolicy.of({ maxSurge: Quantity.count(1), minReadySeconds: 30 });
    const settings: RollingUpdatePolicyProps = policy.settings;
    expect(settings).toEqual({
      maxSurge: Quantity.count(1),
      maxUnavailable: Quantity.count(0),
      minReadySeconds: 30,
      progressDeadlineSeconds: 600,
    });
  });

  it('is the one public type of its data: the package exports RollingUpdatePolicyProps and no settings twin', () => {
    const names = publicNames();
    expect(names).toEqual(expect.arrayContaining(['RollingUpdatePolicy', 'RollingUpdatePolicyProps']));
    expect(names).not.toContain('RollingUpdateSettings');
    const twins = names.filter(
      (name) => name.endsWith('Props') && names.includes(`${name.slice(0, -'Props'.length)}Settings`),
    );
    expect(twins).toEqual([]);
  });

  it('maps onto a Kubernetes rolling update', () => {
    const policy = RollingUpdatePolicy.of({ maxSurge: Quantity.count(1), maxUnavailable: Quantity.percent(10) });
    expect(policy.kubernetesRollingUpdate()).toEqual({ maxSurge: '1', maxUnavailable: '10%' });
  });

  it('never gives a disruption budget that blocks every eviction', () => {
    expect(RollingUpdatePolicy.zeroDowntime().disruptionBudgetMaxUnavailable(1)).toBe(1);
  });

  it('fails when maxSurge and maxUnavailable are both zero, listing every problem', () => {
    expect(() =>
      RollingUpdatePolicy.of({ maxSurge: Quantity.count(0), minReadySeconds: 60, progressDeadlineSeconds: 30 }),
    ).toThrow(
      'RollingUpdatePolicy:\n' +
        'progressDeadlineSeconds: received 30 with minReadySeconds 60; expected more than minReadySeconds, or every rollout would time out\n' +
        'maxSurge: received 0 with maxUnavailable 0; maxSurge and maxUnavailable cannot both be zero, or no pod could ever be replaced',
    );
  });
});
