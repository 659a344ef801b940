import { terminationGracePeriodSeconds } from './color';
import { isDnsSubdomain } from './fields';
import { EXPECTED, MESSAGES, received } from './messages';
import { formatPath, Problem } from './problem';
import { KUBERNETES_NAME_LIMITS, KubernetesRouter } from './types';

/**
 * Kubernetes annotation rules (k8s.io/apimachinery, ValidateAnnotations): each key a qualified
 * name (checked in lowercase), and all keys and values of one object together at most 256 KiB.
 */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export const isAnnotationKey = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  const key = v.toLowerCase();
  const slash = key.indexOf('/');
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (slash !== -1 && !isDnsSubdomain(key.slice(0, slash))) return false;
  return name.length <= KUBERNETES_NAME_LIMITS.qualifiedNameLength && QUALIFIED_NAME.test(name);
};

/** What Kubernetes counts against the limit: the bytes of every key and value. */
export function annotationsBytes(annotations: Readonly<Record<string, string>>): number {
  return Object.entries(annotations).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

/** Istio's per-pod ProxyConfig override; the istio router sets it on every color's pods. */
export const ISTIO_PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/**
 * The sidecar's ProxyConfig: it keeps proxying for the pod's whole termination grace period
 * (drainSeconds of preStop pause, then 10 s for the app to exit), instead of Istio's default 5 s.
 */
export function istioProxyConfig(drainSeconds: number): string {
  return `terminationDrainDuration: ${terminationGracePeriodSeconds(drainSeconds)}s`;
}

/**
 * Problems of pod annotations as a raw spec block (`podAnnotations`, at `path`): keys, string
 * values, and the key the istio router owns. The size limit is checked on the merged result.
 */
export function podAnnotationProblems(annotations: unknown, path: string, router: unknown): Problem[] {
  if (typeof annotations !== 'object' || annotations === null || Array.isArray(annotations)) return [];
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    const where = `${path}${formatPath(['x', key]).slice(1)}`;
    if (!isAnnotationKey(key)) problems.push({ path: where, message: received(key, EXPECTED.annotationKey) });
    else if (router === KubernetesRouter.ISTIO && key.toLowerCase() === ISTIO_PROXY_CONFIG_ANNOTATION)
      problems.push({ path: where, message: MESSAGES.annotationSetByRouter(key, 'istio') });
    if (typeof value !== 'string') problems.push({ path: where, message: received(value, EXPECTED.annotationValue) });
  }
  return problems;
}

/** The size problem of a color's merged pod annotations, if any. */
export function annotationSizeProblems(annotations: Readonly<Record<string, string>>, path: string): Problem[] {
  const bytes = annotationsBytes(annotations);
  return bytes > MAX_ANNOTATIONS_BYTES
    ? [{ path, message: MESSAGES.annotationsTooLarge(bytes, MAX_ANNOTATIONS_BYTES) }]
    : [];
}
