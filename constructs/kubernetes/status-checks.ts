import { DataKubernetesResources } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resources';
import type { ManifestFieldManager, ManifestWait } from '@cdktf/provider-kubernetes/lib/manifest';
import { ITerraformDependable, TerraformResource } from '../core';
import { Construct } from 'constructs';
import { CONSTRUCT_MESSAGES } from '../messages';

/**
 * Server-side apply as the provider's default manager `Terraform`, taking over any field another
 * manager (a `kubectl edit`, a controller) set since: the spec is the source of truth, and
 * without force every later apply would fail on the conflict.
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/manifest#field_manager
 */
export const ROUTER_FIELD_MANAGER: ManifestFieldManager = { name: 'Terraform', forceConflicts: true };

/**
 * How long the provider waits after creating or updating an HTTPRoute for its status (the manifest's create/update
 * timeout).
 */
export const ROUTE_STATUS_TIMEOUT = '5m';

/**
 * Set on every HTTPRoute: a route that has it was last applied with the generation wait
 * ({@link routeStatusWait}), so its next spec change is waited for from its current generation.
 * A route without it (applied by an earlier version) is waited for from one generation back, so the
 * update that adds the annotation, which leaves the generation as it is, does not wait in vain.
 */
export const ROUTE_STATUS_WAIT_ANNOTATION = { key: 'cdktf-rainbow/status-wait', value: 'generation' } as const;

/** `${...}`: a Terraform expression inside a JSON string. */
const tf = (expression: string) => `\${${expression}}`;

/**
 * A message inside a Terraform template, where `%{` would start a directive. `${` stays: in a
 * message it can only be a token (a namespace of another resource, in library mode), which must
 * still interpolate.
 */
const text = (message: string) => message.replace(/%\{/g, '%%{');

/**
 * A number of the object, or `fallback` where it is absent or null: the API server leaves out
 * counts that are 0, a status a controller has not written yet has no fields at all, and the
 * provider gives an object's absent fields as null.
 */
const num = (path: string, fallback: number) => `try(coalesce(${path}, ${fallback}), ${fallback})`;

/** A string of the object, or `fallback` where it is absent, null or empty. */
const str = (path: string, fallback: string) => `try(coalesce(${path}, "${fallback}"), "${fallback}")`;

/**
 * Reads one object by name after `dependsOn` was applied. The plural `kubernetes_resources`, with
 * a field selector on the name, because its singular twin gives no object at all for a missing one,
 * which Terraform refuses before any postcondition runs ("Provider produced null object",
 * terraform-provider-kubernetes#1955); the list is empty instead, and the postcondition says so.
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/data-sources/resources
 */
function readObject(
  scope: Construct,
  id: string,
  kind: { apiVersion: string; kind: string },
  name: string,
  namespace: string,
  dependsOn: ITerraformDependable[],
  postcondition?: { condition: string; errorMessage: string },
): DataKubernetesResources {
  return new DataKubernetesResources(scope, id, {
    ...kind,
    namespace,
    fieldSelector: `metadata.name=${name}`,
    ...(dependsOn.length === 0 ? {} : { dependsOn }),
    ...(postcondition === undefined ? {} : { lifecycle: { postcondition: [postcondition] } }),
  });
}

// The Deployment read back, and the parts of its status the rollout check looks at.
const DEPLOYMENT = 'self.objects[0]';
const FOUND = 'try(length(self.objects) > 0, false)';
const GENERATION = num(`${DEPLOYMENT}.metadata.generation`, 0);
const OBSERVED = num(`${DEPLOYMENT}.status.observedGeneration`, 0);
// The API's default, as in the provider's own rollout wait.
const DESIRED = num(`${DEPLOYMENT}.spec.replicas`, 1);
const UPDATED = num(`${DEPLOYMENT}.status.updatedReplicas`, 0);
const AVAILABLE = num(`${DEPLOYMENT}.status.availableReplicas`, 0);
const TOTAL = num(`${DEPLOYMENT}.status.replicas`, 0);
const PROGRESSING_REASON = str(
  `[for c in ${DEPLOYMENT}.status.conditions : c.reason if c.type == "Progressing"][0]`,
  'none',
);

/**
 * The rollout of the current generation is finished: the controller has seen the current spec,
 * every pod it wants runs the current template and no pod of an older one is left (kubectl's
 * `rollout status`, and the provider's `wait_for_rollout`), and the controller has itself declared
 * the rollout complete (Progressing, reason NewReplicaSetAvailable). It keeps that reason "until a
 * new rollout is initiated", "even when availability of replicas changes", so pods an autoscaler
 * added, or a node drain replaced, that are not available yet do not count, while the pods of an
 * unfinished rollout do.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#complete-deployment
 */
const ROLLED_OUT = [
  FOUND,
  `${OBSERVED} >= ${GENERATION}`,
  `${UPDATED} >= ${DESIRED}`,
  `${TOTAL} <= ${UPDATED}`,
  `${PROGRESSING_REASON} == "NewReplicaSetAvailable"`,
].join(' && ');

/**
 * The rollout of the current generation failed: the controller gave up on it (Progressing False,
 * ProgressDeadlineExceeded).
 */
const ROLLOUT_FAILED = `try(${OBSERVED} >= ${GENERATION} && ${PROGRESSING_REASON} == "ProgressDeadlineExceeded", false)`;

const ROLLOUT_COUNTS = `format("%d of %d pods updated, %d available, %d in total; generation %d, observed %d", ${UPDATED}, ${DESIRED}, ${AVAILABLE}, ${TOTAL}, ${GENERATION}, ${OBSERVED})`;

/**
 * Every condition, as `; Progressing is False (ProgressDeadlineExceeded: ...)`, with a reason or message that is null
 * or absent named so.
 */
const conditionList = (conditions: string) =>
  `try(join("", [for c in ${conditions} : "; \${${str('c.type', 'a condition')}} is \${${str('c.status', 'Unknown')}} (\${${str('c.reason', 'no reason')}}: \${${str('c.message', 'no message')}})"]), "")`;

const ROLLOUT_DETAILS = `${tf(ROLLOUT_COUNTS)}${tf(conditionList(`${DEPLOYMENT}.status.conditions`))}`;

/**
 * The postcondition of a color's rollout check. Its condition and message read only `self.objects`,
 * so a test can evaluate them with Terraform on sample objects.
 */
export function rolloutPostcondition(
  color: string,
  name: string,
  namespace: string,
): { condition: string; errorMessage: string } {
  const deployment = `${namespace}/${name}`;
  return {
    condition: tf(`try(${ROLLED_OUT}, false)`),
    errorMessage:
      `%{ if ${FOUND} }%{ if ${ROLLOUT_FAILED} }${text(CONSTRUCT_MESSAGES.rolloutFailed(color, deployment))}%{ else }${text(CONSTRUCT_MESSAGES.rolloutUnfinished(color, deployment))}%{ endif }` +
      `: ${ROLLOUT_DETAILS}. %{ if ${ROLLOUT_FAILED} }${text(CONSTRUCT_MESSAGES.rolloutWhatToDo(color))}%{ else }${text(CONSTRUCT_MESSAGES.rolloutUnfinishedWhatToDo(color, name, namespace))}%{ endif }` +
      `%{ else }${text(CONSTRUCT_MESSAGES.rolloutNotFound(color, deployment))}%{ endif }`,
  };
}

/**
 * Reads a color's Deployment back after it was applied (`depends_on`, so after `wait_for_rollout`)
 * and fails the plan or apply while the rollout of its current generation has failed or has not
 * finished (see {@link rolloutPostcondition}); pods that are merely not available yet do not fail
 * it. Without a change the read happens at plan time, so a CI retry of a rollout that failed or was
 * interrupted (whose new spec the provider already saved) fails again.
 * @see https://developer.hashicorp.com/terraform/language/expressions/custom-conditions#resources-and-data-sources
 */
export function rolloutCheck(
  scope: Construct,
  id: string,
  deployment: ITerraformDependable,
  color: string,
  name: string,
  namespace: string,
): DataKubernetesResources {
  return readObject(
    scope,
    id,
    { apiVersion: 'apps/v1', kind: 'Deployment' },
    name,
    namespace,
    [deployment],
    rolloutPostcondition(color, name, namespace),
  );
}

// The HTTPRoute read back, and its status.
const ROUTE = 'self.objects[0]';
const ROUTE_GENERATION = num(`${ROUTE}.metadata.generation`, 0);
const ROUTE_REPORTED = `try(length(${ROUTE}.status.parents) > 0, false)`;
/**
 * Every condition of every parent is of the route's current generation (the conformance suite's
 * HTTPRouteMustHaveLatestConditions).
 */
const ROUTE_CURRENT = `try(alltrue(flatten([for p in ${ROUTE}.status.parents : [for c in p.conditions : ${num('c.observedGeneration', 0)} == ${ROUTE_GENERATION}]])), false)`;
const ROUTE_ACCEPTED = `try(alltrue([for p in ${ROUTE}.status.parents : anytrue([for c in p.conditions : c.type == "Accepted" && c.status == "True"]) && anytrue([for c in p.conditions : c.type == "ResolvedRefs" && c.status == "True"])]), false)`;
const ROUTE_OBSERVED = `try(join(", ", distinct(flatten([for p in ${ROUTE}.status.parents : [for c in p.conditions : tostring(${num('c.observedGeneration', 0)})]]))), "none")`;
const ROUTE_PROBLEMS = `try(join("; ", flatten([for p in ${ROUTE}.status.parents : [for c in p.conditions : "\${${str('c.type', 'a condition')}} is \${${str('c.status', 'Unknown')}} (\${${str('c.reason', 'no reason')}}: \${${str('c.message', 'no message')}})" if try(c.status != "True", true)]])), "")`;

/** The postcondition of a route's acceptance check; like {@link rolloutPostcondition}, it reads only `self.objects`. */
export function routePostcondition(
  name: string,
  namespace: string,
  gateway: string,
): { condition: string; errorMessage: string } {
  const route = `${namespace}/${name}`;
  return {
    condition: tf(`${FOUND} && ${ROUTE_REPORTED} && ${ROUTE_CURRENT} && ${ROUTE_ACCEPTED}`),
    errorMessage:
      `%{ if !${FOUND} }${text(CONSTRUCT_MESSAGES.routeNotFound(route))}` +
      `%{ else }%{ if !${ROUTE_REPORTED} }${text(CONSTRUCT_MESSAGES.routeNotAccepted(route, gateway))}: no Gateway has written a status for it. ${text(CONSTRUCT_MESSAGES.routeWhatToDo)}` +
      `%{ else }%{ if !${ROUTE_CURRENT} }${text(CONSTRUCT_MESSAGES.routeStatusStale(route, gateway))} (generation ${tf(ROUTE_GENERATION)}, status of generation ${tf(ROUTE_OBSERVED)}). ${text(CONSTRUCT_MESSAGES.routeStatusStaleWhatToDo)}` +
      `%{ else }${text(CONSTRUCT_MESSAGES.routeNotAccepted(route, gateway))}: ${tf(ROUTE_PROBLEMS)}. ${text(CONSTRUCT_MESSAGES.routeWhatToDo)}%{ endif }%{ endif }%{ endif }`,
  };
}

/**
 * Reads an HTTPRoute back after it was applied (`depends_on`) and fails the plan or apply unless
 * its status is of its current generation (every condition's `observedGeneration` is the route's
 * `metadata.generation`) and every Gateway that reports on it has it Accepted with ResolvedRefs.
 * Read at plan time when the route has no change, so a retry of a failed apply fails again rather
 * than going green.
 * @see https://developer.hashicorp.com/terraform/language/expressions/custom-conditions#resources-and-data-sources
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#routeparentstatus
 */
export function routeAcceptedCheck(
  scope: Construct,
  id: string,
  route: ITerraformDependable,
  name: string,
  namespace: string,
  gateway: string,
): DataKubernetesResources {
  return readObject(
    scope,
    id,
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
    name,
    namespace,
    [route],
    routePostcondition(name, namespace, gateway),
  );
}

/**
 * The generation to wait past, from the route as read before the apply: its generation, or one
 * less when it lacks {@link ROUTE_STATUS_WAIT_ANNOTATION}; 0 when there is no route yet.
 */
export function generationBefore(objects: string): string {
  const { key, value } = ROUTE_STATUS_WAIT_ANNOTATION;
  return `try(${objects}[0].metadata.generation - (try(${objects}[0].metadata.annotations["${key}"], "") == "${value}" ? 0 : 1), 0)`;
}

/**
 * A regular expression (RE2, as Terraform's and the provider's Go code use) that matches the
 * decimal numbers above the whole number `generation`: longer ones, and those of the same length
 * that equal it up to a digit and are greater there.
 */
export function aboveGeneration(generation: string): string {
  const g = `tostring(${generation})`;
  return (
    `format("^(%s)$", join("|", concat(["[1-9][0-9]{\${length(${g})},}"], ` +
    `[for i in range(length(${g})) : "\${substr(${g}, 0, i)}[\${tonumber(substr(${g}, i, 1)) + 1}-9][0-9]{\${length(${g}) - i - 1}}" if substr(${g}, i, 1) != "9"])))`
  );
}

/**
 * Makes the provider wait, after it applied an HTTPRoute, until a Gateway has reported on this
 * change: until the first condition's `observedGeneration` is above the route's generation before
 * the apply. The provider's `wait` can only match fields against fixed regular expressions
 * (FieldWaiter in manifest/provider/waiter.go), and a change of the `wait` block is itself a change
 * of the manifest, so the generation must not move the expression between deploys that leave the
 * route alone. Hence:
 * - a read of the route with no dependency, which Terraform does at plan time, before the apply;
 * - a `terraform_data` that keeps that generation, replaced only when the route's spec changes
 *   (`triggers_replace`; `ignore_changes` keeps the generation it was created with otherwise),
 *   so the expression changes exactly when the route does and a metadata-only change waits for nothing.
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/manifest#using-wait-to-block-create-and-update-calls
 * @see https://developer.hashicorp.com/terraform/language/resources/terraform-data
 */
export function routeStatusWait(
  scope: Construct,
  idPrefix: string,
  name: string,
  namespace: string,
  spec: unknown,
): ManifestWait {
  const previous = readObject(
    scope,
    `${idPrefix}Previous`,
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
    name,
    namespace,
    [],
  );
  const generation = new TerraformResource(scope, `${idPrefix}Generation`, {
    terraformResourceType: 'terraform_data',
    terraformGeneratorMetadata: { providerName: 'terraform' },
    lifecycle: { ignoreChanges: ['input'] },
  });
  generation.addOverride(
    'input',
    tf(generationBefore(`data.kubernetes_resources.${previous.friendlyUniqueId}.objects`)),
  );
  generation.addOverride('triggers_replace', spec);
  return {
    fields: {
      'status.parents[0].conditions[0].observedGeneration': tf(
        aboveGeneration(`terraform_data.${generation.friendlyUniqueId}.output`),
      ),
    },
  };
}
