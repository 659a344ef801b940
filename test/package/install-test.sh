#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, installed into a fresh cdktf program (cdktf 0.21,
# constructs resolved by the program, only the Kubernetes provider), type-checked with the
# `cdktf init` tsconfig (strict), synthesized in library mode, and the installed `rainbow` command
# run on a spec. Needs the npm registry or a warm npm cache (--prefer-offline).
#
# Prints one line per check, "ok - <check>" or "not ok - <check>", then "N passed, N failed";
# exits 1 if any check failed. A check that cannot run because an earlier one failed counts as failed.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
fixture="$root/test/package/project"
work="$(mktemp -d "${TMPDIR:-/tmp}/cdktf-rainbow-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export CHECKPOINT_DISABLE=1 NO_COLOR=1 npm_config_update_notifier=false

passed=0
failed=0
blocked=""
log="$work/check.log"

# check <name> <command...>: runs the command quietly; on failure prints its output.
check() {
  local name="$1"; shift
  if [ -n "$blocked" ]; then
    echo "not ok - $name (not run: $blocked failed)"; failed=$((failed + 1)); return 1
  fi
  local began=$SECONDS
  if "$@" >"$log" 2>&1; then
    echo "ok - $name ($((SECONDS - began)) s)"; passed=$((passed + 1))
  else
    echo "not ok - $name ($((SECONDS - began)) s)"; sed 's/^/    /' "$log"; failed=$((failed + 1)); return 1
  fi
}
# require <name> <command...>: a check the later ones need.
require() { check "$@" || blocked="${blocked:-$1}"; }

pack() {
  (cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null) && mv "$work"/cdktf-rainbow-*.tgz "$work/cdktf-rainbow.tgz"
}

tarball_contents() {
  tar -tzf "$work/cdktf-rainbow.tgz" | sed 's|^package/||' | sort >"$work/contents"
  local problems=0
  for want in package.json README.md LICENSE .jsii dist/index.js dist/index.d.ts dist/cli/main.js dist/cli/main.bundle.js dist/main.js dist/main.bundle.js docs/library.md docs/getting-started.md schema/rainbow.schema.json kubernetes/package.json dist/kubernetes.js dist/kubernetes.d.ts aws/package.json dist/aws.js dist/aws.d.ts; do
    grep -qx "$want" "$work/contents" || { echo "missing: $want"; problems=1; }
  done
  # Only compiled code, declarations, the jsii assembly, docs (and the README's picture), the spec's JSON Schema and the
  # bundled dependencies (jsii requires a dependency without an assembly of its own to be bundled):
  # no sources, tests, bench, examples or CI files.
  if grep -Ev '^(package\.json|README\.md|LICENSE|\.jsii|docs/[^/]+\.md|docs/images/[^/]+\.(svg|yaml)|dist/.+\.(js|d\.ts)|schema/rainbow\.schema\.json|(kubernetes|aws)/package\.json|node_modules/(commander|yaml|zod)/.+)$' "$work/contents"; then problems=1; fi
  if grep -E '^dist/(examples|test|bench)/' "$work/contents"; then problems=1; fi
  # The bundled dependencies as they run: their TypeScript sources stay out (scripts/pack-bundled.js).
  if grep -E '\.[mc]?ts$' "$work/contents" | grep -Ev '\.d\.[mc]?ts$'; then problems=1; fi
  # sed reads to the end: head would close the pipe early and fail tar under pipefail.
  [ "$(tar -xzOf "$work/cdktf-rainbow.tgz" package/dist/cli/main.js | sed -n 1p)" = '#!/usr/bin/env node' ] \
    || { echo 'dist/cli/main.js does not start with #!/usr/bin/env node'; problems=1; }
  # The bin is the launcher of scripts/bundle.js, which runs the bundled command.
  tar -xzOf "$work/cdktf-rainbow.tgz" package/dist/cli/main.js | grep -qF "require('./main.bundle.js')" \
    || { echo 'dist/cli/main.js is not the launcher of the bundled command (scripts/bundle.js)'; problems=1; }
  return $problems
}

install() {
  mkdir -p "$work/app" && cp "$fixture/main.ts" "$fixture/tsconfig.json" "$root/examples/kubernetes-gateway/rainbow.yaml" "$work/app/" || return 1
  cd "$work/app" || return 1
  cat >package.json <<'EOF'
{
  "name": "consumer",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "@cdktf/provider-kubernetes": "^12.1.1",
    "cdktf": "^0.21.0",
    "cdktf-rainbow": "file:../cdktf-rainbow.tgz",
    "constructs": "^10.4.2"
  },
  "devDependencies": {
    "@types/node": "^20.19.0",
    "typescript": "~5.9.3"
  }
}
EOF
  npm install --prefer-offline --no-audit --no-fund --loglevel=error
}

# One copy of each: npm ls fails on an invalid or missing peer, and lists every copy's path.
one_copy_each() {
  npm ls --all --parseable constructs cdktf >"$work/copies" || { npm ls constructs cdktf; return 1; }
  local pkg copies
  for pkg in constructs cdktf; do
    copies="$(grep -c "/node_modules/$pkg\$" "$work/copies")"
    [ "$copies" = 1 ] || { echo "$pkg: $copies copies"; cat "$work/copies"; return 1; }
  done
}

no_aws_provider() {
  [ ! -e node_modules/@cdktf/provider-aws ] || { echo '@cdktf/provider-aws was installed although nothing asked for it'; return 1; }
}

library_synth() {
  OUTDIR=lib.out node main.js || return 1
  node - <<'EOF'
const assert = require('node:assert/strict');
const stack = require('./lib.out/stacks/shop/cdk.tf.json');
const deployments = Object.values(stack.resource.kubernetes_deployment_v1).map((d) => d.metadata.name);
assert.deepEqual(deployments.sort(), ['shop-blue', 'shop-green']);
const [route] = Object.values(stack.resource.kubernetes_manifest).map((m) => m.manifest);
assert.equal(route.kind, 'HTTPRoute');
assert.deepEqual(route.spec.rules[0].backendRefs.map((b) => [b.name, b.weight]), [['shop-blue', 90], ['shop-green', 10]]);
EOF
}

# The jsii assembly in the tarball names the package and its version, and every class and enum it
# lists is what the installed package exports under that name (the assembly is the API other
# languages get: it must not describe something the JavaScript does not have).
jsii_assembly() {
  # The package root loads every platform: the AWS provider, which this program does not have, is
  # taken from the repository for this check alone.
  NODE_PATH="$root/node_modules" node - <<'EOF'
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const assembly = JSON.parse(readFileSync('node_modules/cdktf-rainbow/.jsii', 'utf8'));
const pkg = require('cdktf-rainbow/package.json');
assert.equal(assembly.schema, 'jsii/0.10.0');
assert.equal(assembly.name, 'cdktf-rainbow');
assert.equal(assembly.version, pkg.version);
const api = require('cdktf-rainbow');
const runtime = Object.values(assembly.types).filter((t) => t.kind === 'class' || t.kind === 'enum');
for (const type of runtime) assert.equal(typeof api[type.name], type.kind === 'class' ? 'function' : 'object', type.fqn);
for (const name of ['KubernetesColor', 'GatewayApiRouter', 'EcsColor', 'AlbRouter', 'RollingUpdatePolicy', 'Rainbow', 'Backend', 'Platform']) {
  assert.ok(assembly.types[`cdktf-rainbow.${name}`], name);
}
EOF
}

# The static API other languages call: load the example spec and synthesize it.
static_api() {
  node - <<'EOF'
const assert = require('node:assert/strict');
const { Rainbow } = require('cdktf-rainbow/kubernetes');
const { spec, problems } = Rainbow.loadSpec('rainbow.yaml');
assert.deepEqual(problems, []);
const result = Rainbow.synthesize(spec, 'api.out');
assert.deepEqual(result.stackNames, ['shop-red', 'shop-orange', 'shop-yellow', 'shop-router']);
EOF
}

# jsii-pacmak turns the assembly into a Python package, whose every module compiles. (Running a
# Python program needs the jsii runtime, cdktf and constructs from PyPI, which this CI cannot reach.)
python_package() {
  # The tarball packed above is what pacmak packs again, without the prepack rebuild.
  (cd "$root" && npm_config_ignore_scripts=true npx --no-install jsii-pacmak --targets python --code-only -o "$work/pacmak") || return 1
  python3 -m compileall -q "$work/pacmak/python/src" || return 1
  grep -q '^class KubernetesColor(' "$work/pacmak/python/src/cdktf_rainbow/__init__.py" || { echo 'no KubernetesColor class in the Python package'; return 1; }
}

cli_validate() { npx --no-install rainbow validate --spec rainbow.yaml; }

cli_synth() {
  npx --no-install rainbow synth --spec rainbow.yaml --out cli.out || return 1
  for stack in shop-red shop-orange shop-yellow shop-router; do
    [ -f "cli.out/stacks/$stack/cdk.tf.json" ] || { echo "missing stack $stack"; return 1; }
  done
}

# rainbow init in a folder that already has a rainbow.yaml: exit 1, nothing written.
cli_init_refuses() {
  local before after
  before="$(ls -A)"
  npx --no-install rainbow init --app shop --platform kubernetes && { echo 'init overwrote an existing rainbow.yaml'; return 1; }
  after="$(ls -A)"
  [ "$before" = "$after" ] || { echo "init wrote files although it refused: $after"; return 1; }
}

# rainbow init in an empty folder of the project, then validate and synth with the installed
# package, and the app its cdktf.json names, run as cdktf runs it (a shell, in the project folder).
cli_init() {
  local platform
  # Kubernetes only: the program has no AWS provider (see no_aws_provider).
  for platform in kubernetes; do
    mkdir "$work/init-$platform" && cd "$work/init-$platform" || return 1
    ln -s "$work/app/node_modules" node_modules || return 1
    npx --no-install rainbow init --app shop --platform "$platform" || return 1
    npx --no-install rainbow validate || return 1
    npx --no-install rainbow synth --out rainbow.out >/dev/null || return 1
    CDKTF_OUTDIR=cdktf.out sh -c "$(node -p "require('./cdktf.json').app")" || return 1
    for stack in shop-blue shop-router; do
      [ -f "rainbow.out/stacks/$stack/cdk.tf.json" ] || { echo "rainbow synth: missing stack $stack ($platform)"; return 1; }
      [ -f "cdktf.out/stacks/$stack/cdk.tf.json" ] || { echo "cdktf.json app: missing stack $stack ($platform)"; return 1; }
    done
  done
  cd "$work/app"
}

start=$SECONDS
require "npm pack builds the tarball: jsii compiles the package with 0 errors" pack
check "the tarball holds dist with declarations, the jsii assembly, README, LICENSE, docs, the JSON Schema and the bundled dependencies without their TypeScript sources, and nothing else" tarball_contents
require "installs into a cdktf 0.21 program with constructs resolved by the program" install
check "the program has one copy of constructs and of cdktf" one_copy_each
check "a Kubernetes program installs no AWS provider" no_aws_provider
require "the program compiles with the cdktf init tsconfig (strict)" npx --no-install tsc
check "the program synthesizes a KubernetesColor pair and a GatewayApiRouter" library_synth
check "the jsii assembly names the package, and every class and enum in it is exported" jsii_assembly
check "every public type, member and enum value has a doc comment, every optional field its @default" node "$root/test/package/api-docs.mjs" node_modules/cdktf-rainbow/.jsii
check "Rainbow.loadSpec and Rainbow.synthesize work from cdktf-rainbow/kubernetes, without the AWS provider" static_api
check "jsii-pacmak generates the Python package, and it compiles" python_package
check "the installed rainbow validates a spec" cli_validate
check "the installed rainbow synthesizes a spec's stacks" cli_synth
check "the installed rainbow init refuses to overwrite a rainbow.yaml" cli_init_refuses
check "rainbow init in an empty folder: validate, synth and the cdktf.json app work" cli_init
echo "package test took $((SECONDS - start)) s"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
