// Comparing synthesized output: Terraform JSON stacks (ours against the hand-written baseline) and
// Kubernetes objects (ours, converted from the Terraform resources, against cdk8s's YAML).
// Used by bench/check-baseline.mjs and by bench/synth.mjs before it measures anything.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** { <stack name>: parsed cdk.tf.json } of a cdktf output directory. */
export function readTerraformStacks(outdir) {
  const stacksDir = path.join(outdir, 'stacks');
  const stacks = {};
  if (!existsSync(stacksDir)) return stacks;
  for (const entry of readdirSync(stacksDir, { withFileTypes: true })) {
    const file = path.join(stacksDir, entry.name, 'cdk.tf.json');
    if (entry.isDirectory() && existsSync(file)) stacks[entry.name] = JSON.parse(readFileSync(file, 'utf8'));
  }
  return stacks;
}

/** A copy without cdktf's metadata: every "//" key, at any depth. */
export function stripMetadata(value) {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) if (k !== '//') out[k] = stripMetadata(v);
  return out;
}

/** JSON with object keys sorted at every depth (array order kept: it is meaningful in Terraform). */
function canonical(value) {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
  return out;
}

/** Every string in `value` passed through `fn`. */
function mapStrings(value, fn) {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
  return out;
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const hash = (text) => createHash('sha1').update(text).digest('hex').slice(0, 12);

/** What a resource is called, for people: its Kubernetes or AWS name, else its logical id. */
function naturalName(attrs, id) {
  const name =
    attrs.metadata?.name ?? attrs.manifest?.metadata?.name ?? attrs.name ?? attrs.family ?? attrs.cluster_name;
  if (name !== undefined) return String(name);
  if (attrs.priority !== undefined) return `priority ${attrs.priority}`;
  return id;
}

/**
 * A stack's resources and data sources with construct-id-derived logical ids normalised away.
 *
 * A logical id appears in the block's key and in references to it (`${type.id.attr}` in any
 * string, `type.id` in depends_on). Each block gets a label computed from its type and attribute
 * values, where references are replaced by the referenced block's label (a fixed number of
 * rounds, deeper than any reference chain here): two blocks get the same label exactly when they
 * have the same type and the same attributes, references included. The stack is then the multiset
 * of `kind type attributes` with every reference written as the label it points to.
 */
export function normaliseStack(stackJson) {
  const clean = stripMetadata(stackJson);
  const blocks = [];
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ]) {
    for (const [type, byId] of Object.entries(clean[kind] ?? {})) {
      for (const [id, attrs] of Object.entries(byId))
        blocks.push({ kind, type, id, address: `${prefix}${type}.${id}`, attrs });
    }
  }
  const addresses = blocks.map((b) => b.address).sort((a, b) => b.length - a.length);
  const pattern =
    addresses.length === 0 ? null : new RegExp(`(?<![\\w.-])(${addresses.map(escapeRegExp).join('|')})(?![\\w-])`, 'g');
  const withRefs = (attrs, nameOf) =>
    pattern === null ? attrs : mapStrings(attrs, (s) => s.replace(pattern, (address) => `<ref ${nameOf(address)}>`));

  let labels = new Map(blocks.map((b) => [b.address, `${b.kind} ${b.type}`]));
  for (let round = 0; round < 6; round++) {
    const next = new Map();
    for (const b of blocks)
      next.set(b.address, `${b.kind} ${b.type} #${hash(canonical(withRefs(b.attrs, (a) => labels.get(a))))}`);
    labels = next;
  }
  const display = new Map(
    blocks.map((b) => [b.address, `${b.kind === 'data' ? 'data.' : ''}${b.type}[${naturalName(b.attrs, b.id)}]`]),
  );
  return {
    provider: clean.provider ?? {},
    terraform: clean.terraform ?? {},
    items: blocks.map((b) => ({
      key: `${b.kind} ${b.type} ${canonical(withRefs(b.attrs, (a) => labels.get(a)))}`,
      display: display.get(b.address),
      // For reports: the attributes with references written as readable names.
      readable: withRefs(b.attrs, (a) => display.get(a)),
    })),
  };
}

/** Paths where two JSON values differ, as `path: a != b` lines (at most `limit`). */
export function deepDiff(a, b, where = '', out = [], limit = 20) {
  if (out.length >= limit) return out;
  const isObj = (v) => v !== null && typeof v === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a)
      ? [...Array(Math.max(a.length, b.length)).keys()]
      : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) deepDiff(a[k], b[k], Array.isArray(a) ? `${where}[${k}]` : `${where}.${k}`, out, limit);
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${where || '.'}: ${short(a)} != ${short(b)}`);
  return out;
}

const short = (v) => {
  const text = v === undefined ? '(absent)' : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/**
 * Compares two cdktf outputs stack by stack: the `provider` and `terraform` sections as they are,
 * the `resource` and `data` sections as multisets of normalised blocks (see normaliseStack).
 * Returns { equal, stacks, blocks, differences: string[] } with labels `a` and `b` in the messages.
 */
export function compareTerraform(dirA, dirB, labelA = 'ours', labelB = 'baseline') {
  const a = readTerraformStacks(dirA);
  const b = readTerraformStacks(dirB);
  const differences = [];
  let blocks = 0;
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  if (names.length === 0) differences.push('no stacks in either output');
  for (const stack of names) {
    if (!(stack in a) || !(stack in b)) {
      differences.push(`stack ${stack}: only in ${stack in a ? labelA : labelB}`);
      continue;
    }
    const na = normaliseStack(a[stack]);
    const nb = normaliseStack(b[stack]);
    for (const section of ['provider', 'terraform']) {
      for (const d of deepDiff(na[section], nb[section]))
        differences.push(`stack ${stack}, ${section}${d.startsWith('.') ? '' : ' '}${d} (${labelA} != ${labelB})`);
    }
    blocks += na.items.length;
    const count = new Map();
    for (const item of na.items) count.set(item.key, (count.get(item.key) ?? 0) + 1);
    for (const item of nb.items) count.set(item.key, (count.get(item.key) ?? 0) - 1);
    const onlyA = na.items.filter((item) => count.get(item.key) > 0);
    const onlyB = nb.items.filter((item) => count.get(item.key) < 0);
    // Report by readable name: pairs with the same name show their differing attributes.
    const byDisplay = new Map(onlyB.map((item) => [item.display, item]));
    for (const item of onlyA) {
      const other = byDisplay.get(item.display);
      if (other === undefined) {
        differences.push(`stack ${stack}: ${item.display} only in ${labelA}`);
        continue;
      }
      byDisplay.delete(item.display);
      const lines = deepDiff(item.readable, other.readable);
      differences.push(
        `stack ${stack}: ${item.display} differs (${labelA} != ${labelB}):${lines.map((l) => `\n    ${l}`).join('')}`,
      );
    }
    for (const item of byDisplay.values()) differences.push(`stack ${stack}: ${item.display} only in ${labelB}`);
  }
  return { equal: differences.length === 0, stacks: names.length, blocks, differences };
}

// --- Kubernetes objects: ours (Terraform) against cdk8s (YAML) ------------------------------------

const KINDS = {
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment' },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service' },
  kubernetes_pod_disruption_budget_v1: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
};

/**
 * Terraform blocks (lists) whose Kubernetes field has another name; SINGLE: one object where Terraform has a list of
 * one.
 */
const RENAMED = {
  container: 'containers',
  port: 'ports',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  image_pull_secrets: 'imagePullSecrets',
};
const SINGLE = new Set(['pre_stop', 'post_start']);
/** Maps whose keys are data (labels), not field names. */
const MAPS = new Set(['labels', 'annotations', 'match_labels', 'selector', 'requests', 'limits', 'node_selector']);
/** IntOrString fields, which the provider sends as numbers when they are numeric strings. */
const INT_OR_STRING = new Set(['max_surge', 'max_unavailable', 'min_available', 'target_port', 'port']);

const camel = (key) => key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** The Kubernetes form of a Terraform kubernetes_* block, the way the provider sends it. */
function toKubernetes(value, key) {
  if (Array.isArray(value)) {
    const items = value.map((v) => toKubernetes(v, key));
    return SINGLE.has(key) ? items[0] : items;
  }
  if (value !== null && typeof value === 'object') {
    if (MAPS.has(key) && Object.values(value).every((v) => typeof v === 'string')) return { ...value };
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v) && v.length === 0) continue; // an empty list is the same as none
      out[(Array.isArray(v) ? RENAMED[k] : undefined) ?? camel(k)] = toKubernetes(v, k);
    }
    return out;
  }
  if (typeof value === 'string' && INT_OR_STRING.has(key) && /^[0-9]+$/.test(value)) return Number(value);
  return value;
}

/** { "<stack>": { "<Kind> <namespace>/<name>": object } } from our Terraform output. */
export function kubernetesObjectsFromTerraform(outdir) {
  const result = {};
  for (const [stack, json] of Object.entries(readTerraformStacks(outdir))) {
    const objects = {};
    const resources = stripMetadata(json).resource ?? {};
    for (const [type, byId] of Object.entries(resources)) {
      // Terraform's own resources (the route's terraform_data generation) send nothing to Kubernetes.
      if (!type.startsWith('kubernetes_')) continue;
      for (const attrs of Object.values(byId)) {
        let object;
        if (type === 'kubernetes_manifest') object = attrs.manifest;
        else if (KINDS[type] !== undefined) {
          object = {
            ...KINDS[type],
            metadata: toKubernetes(attrs.metadata, 'metadata'),
            spec: toKubernetes(attrs.spec, 'spec'),
          };
          // Terraform's replicas is a string ("3"); the API's is an integer.
          if (typeof object.spec.replicas === 'string') object.spec.replicas = Number(object.spec.replicas);
        } else object = { unsupported: type };
        objects[objectKey(object)] = object;
      }
    }
    result[stack] = objects;
  }
  return result;
}

/** The same from a cdk8s output directory: one `<chart>.k8s.yaml` per stack. */
export function kubernetesObjectsFromYaml(outdir) {
  const { parseAllDocuments } = require('yaml');
  const result = {};
  for (const file of readdirSync(outdir)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .sort()) {
    const objects = {};
    for (const doc of parseAllDocuments(readFileSync(path.join(outdir, file), 'utf8'))) {
      const object = doc.toJS();
      if (object !== null) objects[objectKey(object)] = object;
    }
    result[file.replace(/\.k8s\.yaml$/, '')] = objects;
  }
  return result;
}

const objectKey = (o) => `${o.kind ?? o.unsupported} ${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Compares the Kubernetes objects of our output (Terraform) and of cdk8s's (YAML), whole. */
export function compareKubernetes(oursDir, cdk8sDir) {
  const a = kubernetesObjectsFromTerraform(oursDir);
  const b = kubernetesObjectsFromYaml(cdk8sDir);
  const differences = [];
  let objects = 0;
  for (const stack of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!(stack in a) || !(stack in b)) {
      differences.push(`${stack}: only in ${stack in a ? 'ours' : 'cdk8s'}`);
      continue;
    }
    for (const key of [...new Set([...Object.keys(a[stack]), ...Object.keys(b[stack])])].sort()) {
      if (!(key in a[stack]) || !(key in b[stack])) {
        differences.push(`${stack}: ${key} only in ${key in a[stack] ? 'ours' : 'cdk8s'}`);
        continue;
      }
      objects += 1;
      const lines = deepDiff(a[stack][key], b[stack][key]);
      if (lines.length > 0)
        differences.push(`${stack}: ${key} differs (ours != cdk8s):${lines.map((l) => `\n    ${l}`).join('')}`);
    }
  }
  return { equal: differences.length === 0, stacks: Object.keys(a).length, objects, differences };
}
