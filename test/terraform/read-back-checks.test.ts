import { GatewayApiRouter } from '../../constructs/kubernetes/gateway-api-router';
import { KubernetesColor } from '../../constructs/kubernetes/kubernetes-color';
import { describeWithTerraform, TerraformRun } from '../fixtures/terraform';
import { kubernetesStack, synthJson } from '../helpers';

/**
 * The read-back checks, evaluated by Terraform itself: each postcondition exactly as a construct
 * synthesizes it, with the data source's `self.objects` (the objects read) rewritten to
 * `self.output` of a `terraform_data` whose input is a sample list of objects, `[]` when there is
 * none. The samples follow the status the Kubernetes Deployment controller and Gateway API
 * implementations write (sources beside each one).
 */

/** The synthesized postcondition of the one `kubernetes_resources` read of `kind`, reading `self.output`. */
function postconditionOf(json: any, kind: string): object {
  const [read] = Object.values(json.data.kubernetes_resources as Record<string, any>).filter(
    (r) => r.kind === kind && r.lifecycle !== undefined,
  );
  return JSON.parse(JSON.stringify(read.lifecycle.postcondition).replace(/self\.objects/g, 'self.output'));
}

/**
 * One `terraform_data` per case, each with the postcondition, its input the case's objects. They
 * pass through `gate`, created in the same apply, so no input is known at plan time and every
 * postcondition is evaluated during the apply: one failing at plan time would stop the run before
 * the others were evaluated.
 */
function checkConfig(postcondition: object, cases: Record<string, unknown[]>) {
  return {
    variable: { cases: { type: 'any' } },
    resource: {
      terraform_data: {
        gate: { input: '${jsonencode(var.cases)}' },
        ...Object.fromEntries(
          Object.keys(cases).map((name) => [
            name,
            { input: `\${jsondecode(terraform_data.gate.output).${name}}`, lifecycle: { postcondition } },
          ]),
        ),
      },
    },
  };
}

/**
 * Per case: `passed` when Terraform created its resource (the postcondition held), else the one
 * error Terraform reported for it, which must be a failed postcondition (not an evaluation error).
 */
function verdicts(run: TerraformRun, cases: Record<string, unknown>): Record<string, string> {
  const unplaced = run.diagnostics.filter((d) => d.resource === undefined);
  if (unplaced.length > 0) throw new Error(`diagnostics outside the cases:\n${run.log}`);
  return Object.fromEntries(
    Object.keys(cases).map((name) => {
      const errors = run.diagnostics.filter((d) => d.resource === `terraform_data.${name}`);
      if (errors.length === 0 && run.applied.includes(`terraform_data.${name}`)) return [name, 'passed'];
      if (errors.length !== 1 || errors[0].summary !== 'Resource postcondition failed') {
        throw new Error(
          `${name}: ${errors.map((e) => `${e.summary}: ${e.detail}`).join('\n') || 'neither created nor failed'}\n${run.log}`,
        );
      }
      return [name, errors[0].detail];
    }),
  );
}

// Deployment statuses as the Deployment controller writes them: counts of 0 are left out (omitempty),
// Progressing says NewReplicaSetAvailable once a rollout is complete and keeps it "until a new
// rollout is initiated", "even when availability of replicas changes"; ReplicaSetUpdated while it
// progresses; False, ProgressDeadlineExceeded when it failed. The failed one is the example of
// https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment.
const available = {
  type: 'Available',
  status: 'True',
  reason: 'MinimumReplicasAvailable',
  message: 'Deployment has minimum availability.',
};
const unavailable = {
  type: 'Available',
  status: 'False',
  reason: 'MinimumReplicasUnavailable',
  message: 'Deployment does not have minimum availability.',
};
const complete = {
  type: 'Progressing',
  status: 'True',
  reason: 'NewReplicaSetAvailable',
  message: 'ReplicaSet "shop-red-7d9c5b8f4" has successfully progressed.',
};
const progressing = {
  type: 'Progressing',
  status: 'True',
  reason: 'ReplicaSetUpdated',
  message: 'ReplicaSet "shop-red-6b7f9c4d8" is progressing.',
};
const deployment = (generation: number, replicas: number, status: Record<string, unknown> | null) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'shop-red', namespace: 'shop', generation },
  spec: { replicas },
  status,
});

const ROLLOUTS: Record<string, unknown[]> = {
  complete: [
    deployment(4, 3, {
      observedGeneration: 4,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [available, complete],
    }),
  ],
  // An autoscaler raised spec.replicas from 3 to 5 (a new generation); the 2 new pods still start.
  scaling_up: [
    deployment(5, 5, {
      observedGeneration: 5,
      replicas: 5,
      updatedReplicas: 5,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 2,
      conditions: [available, complete],
    }),
  ],
  // A node drain evicted a pod; its replacement still starts.
  drained: [
    deployment(4, 3, {
      observedGeneration: 4,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 1,
      conditions: [unavailable, complete],
    }),
  ],
  scaled_to_zero: [deployment(2, 0, { observedGeneration: 2, conditions: [available, complete] })],
  mid_rollout: [
    deployment(5, 3, {
      observedGeneration: 5,
      replicas: 4,
      updatedReplicas: 2,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 1,
      conditions: [available, progressing],
    }),
  ],
  // Every pod runs the new template and none of the old is left, but the new ones are not available
  // yet: an apply interrupted during the rollout of a single replica with maxUnavailable 1.
  interrupted: [
    deployment(2, 1, {
      observedGeneration: 2,
      replicas: 1,
      updatedReplicas: 1,
      unavailableReplicas: 1,
      conditions: [unavailable, progressing],
    }),
  ],
  not_yet_observed: [
    deployment(6, 3, {
      observedGeneration: 5,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [available, complete],
    }),
  ],
  just_created: [deployment(1, 3, null)],
  deadline_exceeded: [
    deployment(3, 3, {
      observedGeneration: 3,
      replicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 2,
      conditions: [
        available,
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "nginx-deployment-4262182780" has timed out progressing.',
        },
        {
          type: 'ReplicaFailure',
          status: 'True',
          reason: 'FailedCreate',
          message:
            'Error creating: pods "nginx-deployment-4262182780-" is forbidden: exceeded quota: object-counts, requested: pods=1, used: pods=3, limited: pods=2',
        },
      ],
    }),
  ],
  null_reason: [
    deployment(4, 3, {
      observedGeneration: 4,
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      conditions: [available, { type: 'Progressing', status: 'True', reason: null, message: null }],
    }),
  ],
  null_reason_failed: [
    deployment(3, 3, {
      observedGeneration: 3,
      replicas: 3,
      updatedReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: null, message: null }],
    }),
  ],
  not_found: [],
  empty_object: [{}],
};

const UNFINISHED =
  'red: the rollout of the Deployment shop/shop-red has not finished: it is in progress, or an earlier deploy was interrupted: ';
const WAIT =
  '. Wait for it (kubectl rollout status deployment/shop-red -n shop) and deploy red again; a rollout that makes no progress for progressDeadlineSeconds fails, and this check then says so.';
const FAILED =
  'red: the rollout of the Deployment shop/shop-red failed: it made no progress for progressDeadlineSeconds: ';
const FIX =
  '. Fix the image or settings of red and deploy again, or drain red to weight 0 (and deploy the router) while you look at its pods (kubectl describe / kubectl logs).';

const EXPECTED_ROLLOUTS: Record<string, string> = {
  complete: 'passed',
  scaling_up: 'passed',
  drained: 'passed',
  scaled_to_zero: 'passed',
  mid_rollout: `${UNFINISHED}2 of 3 pods updated, 3 available, 4 in total; generation 5, observed 5; Available is True (MinimumReplicasAvailable: Deployment has minimum availability.); Progressing is True (ReplicaSetUpdated: ReplicaSet "shop-red-6b7f9c4d8" is progressing.)${WAIT}`,
  interrupted: `${UNFINISHED}1 of 1 pods updated, 0 available, 1 in total; generation 2, observed 2; Available is False (MinimumReplicasUnavailable: Deployment does not have minimum availability.); Progressing is True (ReplicaSetUpdated: ReplicaSet "shop-red-6b7f9c4d8" is progressing.)${WAIT}`,
  not_yet_observed: `${UNFINISHED}3 of 3 pods updated, 3 available, 3 in total; generation 6, observed 5; Available is True (MinimumReplicasAvailable: Deployment has minimum availability.); Progressing is True (NewReplicaSetAvailable: ReplicaSet "shop-red-7d9c5b8f4" has successfully progressed.)${WAIT}`,
  just_created: `${UNFINISHED}0 of 3 pods updated, 0 available, 0 in total; generation 1, observed 0${WAIT}`,
  deadline_exceeded: `${FAILED}0 of 3 pods updated, 2 available, 2 in total; generation 3, observed 3; Available is True (MinimumReplicasAvailable: Deployment has minimum availability.); Progressing is False (ProgressDeadlineExceeded: ReplicaSet "nginx-deployment-4262182780" has timed out progressing.); ReplicaFailure is True (FailedCreate: Error creating: pods "nginx-deployment-4262182780-" is forbidden: exceeded quota: object-counts, requested: pods=1, used: pods=3, limited: pods=2)${FIX}`,
  null_reason: `${UNFINISHED}3 of 3 pods updated, 3 available, 3 in total; generation 4, observed 4; Available is True (MinimumReplicasAvailable: Deployment has minimum availability.); Progressing is True (no reason: no message)${WAIT}`,
  null_reason_failed: `${UNFINISHED}1 of 3 pods updated, 0 available, 3 in total; generation 3, observed 3; Progressing is False (no reason: no message)${WAIT}`,
  not_found:
    'red: the Deployment shop/shop-red was not found, so its rollout cannot be checked (was it deleted while Terraform ran?). Deploy red again: Terraform creates the Deployment when it is missing.',
  empty_object: `${UNFINISHED}0 of 1 pods updated, 0 available, 0 in total; generation 0, observed 0${WAIT}`,
};

// HTTPRoute statuses as Gateway API implementations write them: per parent, conditions with the
// generation they were written for (observedGeneration); the reasons are the API's own
// (https://gateway-api.sigs.k8s.io/reference/spec/#routeconditionreason).
const parentRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra' };
const condition = (
  type: string,
  status: string,
  reason: string | null,
  message: string | null,
  observedGeneration: number,
) => ({ type, status, reason, message, observedGeneration, lastTransitionTime: '2025-06-02T09:14:03Z' });
const httpRoute = (generation: number, parents: unknown[] | undefined) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'shop', namespace: 'shop', generation },
  ...(parents === undefined ? {} : { status: { parents } }),
});
const parent = (...conditions: unknown[]) => ({
  parentRef,
  controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
  conditions,
});
const accepted = (generation: number) => condition('Accepted', 'True', 'Accepted', 'Route is accepted', generation);
const resolved = (generation: number) =>
  condition('ResolvedRefs', 'True', 'ResolvedRefs', 'Resolved all the Object references for the Route', generation);

const ROUTES: Record<string, unknown[]> = {
  accepted: [httpRoute(3, [parent(accepted(3), resolved(3))])],
  previous_generation: [httpRoute(4, [parent(accepted(3), resolved(3))])],
  partly_current: [
    httpRoute(4, [
      parent(accepted(4), resolved(4)),
      { ...parent(accepted(3), resolved(3)), controllerName: 'example.net/other-controller' },
    ]),
  ],
  rejected: [
    httpRoute(4, [
      parent(
        condition(
          'Accepted',
          'False',
          'NotAllowedByListeners',
          'No listeners included by this parent ref allowed this attachment.',
          4,
        ),
        resolved(4),
      ),
    ]),
  ],
  backend_missing: [
    httpRoute(4, [
      parent(accepted(4), condition('ResolvedRefs', 'False', 'BackendNotFound', 'Service "shop-red" not found', 4)),
    ]),
  ],
  null_reason: [httpRoute(4, [parent(condition('Accepted', 'False', null, null, 4), resolved(4))])],
  no_status: [httpRoute(1, undefined)],
  not_found: [],
};

const NOT_ACCEPTED =
  'the HTTPRoute shop/shop is not accepted, or not all its backends resolve, at the Gateway infra/public: ';
const CHECK_GATEWAY =
  ". Check that the Gateway has a listener for this host that allows routes from this namespace (allowedRoutes), that every color's Service exists (deploy the color stacks first), and that the Gateway implementation supports the features the route uses; then deploy the router again.";
const STALE =
  'the status of the HTTPRoute shop/shop is not yet of its current generation: the Gateway infra/public has not yet reported on the latest change';
const AGAIN =
  '. Deploy the router again: a Gateway controller usually reports within seconds. If this persists, the controller of that Gateway is not processing the route: check that it runs, and its logs.';

const EXPECTED_ROUTES: Record<string, string> = {
  accepted: 'passed',
  previous_generation: `${STALE} (generation 4, status of generation 3)${AGAIN}`,
  partly_current: `${STALE} (generation 4, status of generation 4, 3)${AGAIN}`,
  rejected: `${NOT_ACCEPTED}Accepted is False (NotAllowedByListeners: No listeners included by this parent ref allowed this attachment.)${CHECK_GATEWAY}`,
  backend_missing: `${NOT_ACCEPTED}ResolvedRefs is False (BackendNotFound: Service "shop-red" not found)${CHECK_GATEWAY}`,
  null_reason: `${NOT_ACCEPTED}Accepted is False (no reason: no message)${CHECK_GATEWAY}`,
  no_status: `${NOT_ACCEPTED}no Gateway has written a status for it${CHECK_GATEWAY}`,
  not_found:
    'the HTTPRoute shop/shop was not found, so its status cannot be checked (was it deleted while Terraform ran?). Deploy the router again: Terraform creates the route when it is missing.',
};

function synthesized() {
  const stack = kubernetesStack();
  new KubernetesColor(stack, 'Red', { app: 'shop', color: 'red', image: 'ghcr.io/acme/shop:1.4.0' });
  new GatewayApiRouter(stack, 'Router', {
    app: 'shop',
    host: 'shop.example.com',
    gateway: { name: 'public', namespace: 'infra' },
    colors: [{ color: 'red', weight: 100 }],
  });
  return synthJson(stack);
}

/**
 * The router's `terraform_data` and the manifest's wait expression, the read before the apply replaced by
 * `var.previous`.
 */
function generationWait(json: any) {
  const [[id, generation]] = Object.entries(json.resource.terraform_data as Record<string, any>);
  const [manifest] = Object.values(json.resource.kubernetes_manifest as Record<string, any>);
  const [waitField, waitRegex] = Object.entries(manifest.wait.fields as Record<string, string>)[0];
  const input = (generation.input as string).replace(
    /data\.kubernetes_resources\.[A-Za-z0-9_]+\.objects/g,
    'var.previous',
  );
  return { id, input, lifecycle: generation.lifecycle, waitField, waitRegex };
}

const ROLLOUT_TESTS = Object.keys(EXPECTED_ROLLOUTS).length;
const ROUTE_TESTS = Object.keys(EXPECTED_ROUTES).length;

describeWithTerraform('the read-back checks, evaluated by Terraform', ROLLOUT_TESTS + ROUTE_TESTS + 4, (terraform) => {
  const json = synthesized();
  let rollouts: Record<string, string>;
  let routes: Record<string, string>;

  beforeAll(() => {
    rollouts = verdicts(
      terraform().apply(checkConfig(postconditionOf(json, 'Deployment'), ROLLOUTS), { cases: ROLLOUTS }),
      ROLLOUTS,
    );
    routes = verdicts(
      terraform().apply(checkConfig(postconditionOf(json, 'HTTPRoute'), ROUTES), { cases: ROUTES }),
      ROUTES,
    );
  });

  describe('the rollout check of a color', () => {
    it.each(Object.entries(EXPECTED_ROLLOUTS))('%s', (name, expected) => {
      expect(rollouts[name]).toBe(expected);
    });
  });

  describe('the status check of an HTTPRoute', () => {
    it.each(Object.entries(EXPECTED_ROUTES))('%s', (name, expected) => {
      expect(routes[name]).toBe(expected);
    });
  });

  describe('the wait for the status of an HTTPRoute change', () => {
    it("waits on the first condition's observedGeneration", () => {
      expect(generationWait(json).waitField).toBe('status.parents[0].conditions[0].observedGeneration');
    });

    it("matches exactly the generations above the one kept, as the provider's waiter matches them (RE2 on the decimal number)", () => {
      const { waitRegex, id } = generationWait(json);
      const kept = [0, 1, 8, 9, 10, 19, 99, 100, 109, 123, 1999];
      const observed = [
        0, 1, 2, 8, 9, 10, 11, 18, 19, 20, 98, 99, 100, 101, 108, 109, 110, 122, 123, 124, 200, 1998, 1999, 2000, 10000,
      ];
      const regex = waitRegex.slice(2, -1).replaceAll(`terraform_data.${id}.output`, 'g');
      const run = terraform().apply(
        {
          variable: { kept: { type: 'list(number)' }, observed: { type: 'list(number)' } },
          output: {
            above: {
              value: `\${{ for g in var.kept : g => [for o in var.observed : o if can(regex(${regex}, tostring(o)))] }}`,
            },
          },
        },
        { kept, observed },
      );
      expect(run.diagnostics).toEqual([]);
      expect(run.outputs.above).toEqual(
        Object.fromEntries(kept.map((g) => [String(g), observed.filter((o) => o > g)])),
      );
    });

    it("starts from the route's generation before the apply; one less for a route without the annotation; 0 for no route", () => {
      const { input } = generationWait(json);
      const route = (generation: number, annotations?: Record<string, string> | null) => [
        {
          metadata: {
            name: 'shop',
            namespace: 'shop',
            generation,
            ...(annotations === undefined ? {} : { annotations }),
          },
        },
      ];
      const previous = {
        annotated: route(7, { 'cdktf-rainbow/status-wait': 'generation' }),
        earlier_version: route(7),
        null_annotations: route(7, null),
        other_annotations: route(7, { 'example.com/owner': 'team-a' }),
        none: [],
      };
      const run = terraform().apply(
        {
          variable: { previous: { type: 'any' } },
          output: {
            from: {
              value: `\${{ for name, p in var.previous : name => ${input.slice(2, -1).replaceAll('var.previous', 'p')} }}`,
            },
          },
        },
        { previous },
      );
      expect(run.diagnostics).toEqual([]);
      expect(run.outputs.from).toEqual({
        annotated: 7,
        earlier_version: 6,
        null_annotations: 6,
        other_annotations: 6,
        none: 0,
      });
    });

    it("keeps the generation while the route's spec stays, and takes the new one when the spec changes", () => {
      const { lifecycle } = generationWait(json);
      const config = (generation: number, spec: object) => ({
        resource: { terraform_data: { generation: { input: generation, triggers_replace: spec, lifecycle } } },
        output: { kept: { value: '${terraform_data.generation.output}' } },
      });
      const weights9010 = {
        rules: [
          {
            backendRefs: [
              { name: 'shop-red', weight: 90 },
              { name: 'shop-orange', weight: 10 },
            ],
          },
        ],
      };
      const weights5050 = {
        rules: [
          {
            backendRefs: [
              { name: 'shop-red', weight: 50 },
              { name: 'shop-orange', weight: 50 },
            ],
          },
        ],
      };
      const first = terraform().apply(config(3, weights9010));
      // The next deploy reads the route at generation 4 (the last deploy changed it); its spec is the same.
      const unchanged = terraform().applyAgain(config(4, weights9010));
      const changed = terraform().applyAgain(config(4, weights5050));
      expect([first, unchanged, changed].map((run) => [run.diagnostics, run.outputs.kept])).toEqual([
        [[], 3],
        [[], 3],
        [[], 4],
      ]);
    });
  });
});
