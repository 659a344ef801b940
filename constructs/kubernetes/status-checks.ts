import { DataKubernetesResource } from '@cdktf/provider-kubernetes/lib/data-kubernetes-resource';
import type { ManifestFieldManager, ManifestWait } from '@cdktf/provider-kubernetes/lib/manifest';
import { ITerraformDependable } from '../core';
import { Construct } from 'constructs';
import { MESSAGES } from '../../spec/messages';

/**
 * Server-side apply as the provider's default manager `Terraform`, taking over any field another
 * manager (a `kubectl edit`, a controller) set since: the spec is the source of truth, and
 * without force every later apply would fail on the conflict.
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/manifest#field_manager
 */
export const ROUTER_FIELD_MANAGER: ManifestFieldManager = { name: 'Terraform', forceConflicts: true };

/**
 * The provider waits after creating an HTTPRoute until a Gateway controller has written a status
 * condition for it (any value: the postcondition of {@link routeAcceptedCheck} judges it), so the
 * check does not read a route that no controller has looked at yet. It waits at most
 * ROUTE_STATUS_TIMEOUT, the manifest's create/update timeout.
 * @see https://registry.terraform.io/providers/hashicorp/kubernetes/2.38.0/docs/resources/manifest#using-wait-to-block-create-and-update-calls
 */
export const ROUTE_STATUS_WAIT: ManifestWait = { fields: { 'status.parents[0].conditions[0].status': '^(True|False|Unknown)$' } };
export const ROUTE_STATUS_TIMEOUT = '5m';

/** `${...}`: a Terraform expression inside a JSON string. */
const tf = (expression: string) => `\${${expression}}`;

const ROUTE_OK = [
  'length(self.object.status.parents) > 0',
  'alltrue([for p in self.object.status.parents : anytrue([for c in p.conditions : c.type == "Accepted" && c.status == "True"]) && anytrue([for c in p.conditions : c.type == "ResolvedRefs" && c.status == "True"])])',
].join(' && ');

const ROUTE_PROBLEMS = 'join("; ", flatten([for p in self.object.status.parents : [for c in p.conditions : "${c.type} is ${c.status} (${c.reason}: ${c.message})" if c.status != "True"]]))';

/**
 * Reads an HTTPRoute back after it was applied (`depends_on`) and fails the plan or apply unless
 * every Gateway that reports on it has it Accepted with ResolvedRefs. Read at plan time when the
 * route has no change, so a retry of a failed apply fails again rather than going green.
 * @see https://developer.hashicorp.com/terraform/language/expressions/custom-conditions#resources-and-data-sources
 */
export function routeAcceptedCheck(scope: Construct, id: string, route: ITerraformDependable, name: string, namespace: string, gateway: string): DataKubernetesResource {
  return new DataKubernetesResource(scope, id, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    dependsOn: [route],
    lifecycle: {
      postcondition: [{
        condition: tf(`try(${ROUTE_OK}, false)`),
        errorMessage: `${MESSAGES.routeNotAccepted(`${namespace}/${name}`, gateway)}: ${tf(`try(length(self.object.status.parents) == 0 ? "no Gateway has written a status for it" : ${ROUTE_PROBLEMS}, "no Gateway has written a status for it")`)}. ${MESSAGES.routeWhatToDo}`,
      }],
    },
  });
}

const ROLLED_OUT = [
  'self.object.status.observedGeneration == self.object.metadata.generation',
  'coalesce(self.object.status.updatedReplicas, 0) == self.object.spec.replicas',
  'coalesce(self.object.status.availableReplicas, 0) == self.object.spec.replicas',
  'coalesce(self.object.status.replicas, 0) == self.object.spec.replicas',
  'coalesce(self.object.status.unavailableReplicas, 0) == 0',
].join(' && ');

const ROLLOUT_COUNTS = 'format("%d of %d pods updated, %d available, %d unavailable, %d in total; generation %d, observed %d", '
  + 'coalesce(self.object.status.updatedReplicas, 0), self.object.spec.replicas, coalesce(self.object.status.availableReplicas, 0), '
  + 'coalesce(self.object.status.unavailableReplicas, 0), coalesce(self.object.status.replicas, 0), '
  + 'self.object.metadata.generation, coalesce(self.object.status.observedGeneration, 0))';

const ROLLOUT_CONDITIONS = 'join("", [for c in self.object.status.conditions : "; ${c.type} is ${c.status} (${c.reason}: ${c.message})" if c.status != "True"])';

/**
 * Reads a color's Deployment back after it was applied (`depends_on`, so after `wait_for_rollout`)
 * and fails the plan or apply unless the rollout is complete and every pod available:
 * observedGeneration is the generation, and updated, available and total replicas all equal the
 * desired count, with none unavailable. Without a change the read happens at plan time, so a CI
 * retry of a rollout that failed (whose new spec the provider already saved) fails again.
 * @see https://developer.hashicorp.com/terraform/language/expressions/custom-conditions#resources-and-data-sources
 */
export function rolloutCheck(scope: Construct, id: string, deployment: ITerraformDependable, color: string, name: string, namespace: string): DataKubernetesResource {
  return new DataKubernetesResource(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    dependsOn: [deployment],
    lifecycle: {
      postcondition: [{
        condition: tf(`try(${ROLLED_OUT}, false)`),
        errorMessage: `${MESSAGES.rolloutNotAvailable(color, `${namespace}/${name}`)}: ${tf(`try(${ROLLOUT_COUNTS}, "it was not found")`)}${tf(`try(${ROLLOUT_CONDITIONS}, "")`)}. ${MESSAGES.rolloutWhatToDo(color)}`,
      }],
    },
  });
}
