#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, installed into two fresh cdktf programs (cdktf 0.21,
# constructs resolved by the program), one with only the Kubernetes provider, one with only the
# AWS provider, each importing its platform's entry point; type-checked with the `cdktf init`
# tsconfig (strict), and again with `skipLibCheck: false` (so every declaration the entry point
# reaches is checked: none may name the provider the program does not have), synthesized in
# library mode, and the installed `rainbow` command run on a spec. Needs the npm registry or a warm
# npm cache (--prefer-offline).
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
  # The bundled dependencies: the ones package.json names (bundleDependencies), each in its own folder.
  local bundled allowed
  bundled="$(node -p "require('$root/package.json').bundleDependencies.join('|')")" || return 1
  allowed='^(package\.json|README\.md|LICENSE|\.jsii|docs/[^/]+\.md|docs/images/[^/]+\.(svg|yaml)|dist/.+\.(js|d\.ts)|schema/rainbow\.schema\.json|(kubernetes|aws)/package\.json|node_modules/('"$bundled"')/.+)$'
  if grep -Ev "$allowed" "$work/contents"; then problems=1; fi
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

# The scripts npm runs, or warns about, when it installs a package: none may be in the tarball
# (`prepare` would build a checkout; the tarball is built already).
no_install_scripts() {
  tar -xzOf "$work/cdktf-rainbow.tgz" package/package.json | node -e '
    const { scripts = {} } = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
    const found = ["preinstall", "install", "postinstall", "prepare"].filter((name) => name in scripts);
    if (found.length > 0) {
      console.log(`the packed package.json has the scripts ${found.join(", ")}`);
      process.exit(1);
    }'
}

# install <folder> <program> <example> <provider>@<range>: a program in $work/<folder> with only
# that provider (main.ts copied from the fixture's <program>, the fixture's tsconfig.json, the
# example's rainbow.yaml); stays in the folder for the checks that follow.
install() {
  local folder="$work/$1" provider="${4%@*}" range="${4##*@}"
  mkdir -p "$folder" && cp "$fixture/$2" "$folder/main.ts" && cp "$fixture/tsconfig.json" "$folder/" \
    && cp "$root/examples/$3/rainbow.yaml" "$folder/" || return 1
  cd "$folder" || return 1
  cat >package.json <<EOF
{
  "name": "consumer",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "$provider": "$range",
    "cdktf": "^0.21.0",
    "cdktf-rainbow": "file:../cdktf-rainbow.tgz",
    "constructs": "^10.4.2"
  },
  "devDependencies": {
    "@types/node": "^22.12.0",
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

# no_provider <package>: the program did not get the other platform's provider.
no_provider() {
  [ ! -e "node_modules/$1" ] || { echo "$1 was installed although nothing asked for it"; return 1; }
}

# With skipLibCheck off, tsc checks every declaration file the program reaches, the package's
# included: a declaration of the entry point that names the other provider's types fails here
# (`Cannot find module '@cdktf/provider-aws/lib/...'`), where the cdktf init tsconfig hides it.
typecheck_lib() { npx --no-install tsc --noEmit --skipLibCheck false; }

# root_needs_both <installed provider> <its entry point>: the package root, in a program with only
# that provider, exits 1 with one line on stderr naming the entry point to import, and nothing else.
root_needs_both() {
  local status ok=0
  printf '%s\n' "cdktf-rainbow: the package root needs both @cdktf/provider-kubernetes and @cdktf/provider-aws; with only $1 installed, import from '$2'" >"$work/root.want"
  node -e "require('cdktf-rainbow')" >"$work/root.out" 2>"$work/root.err"
  status=$?
  [ "$status" = 1 ] || { echo "exit status $status, expected 1"; ok=1; }
  cmp -s "$work/root.want" "$work/root.err" || { echo 'stderr:'; cat "$work/root.err"; echo 'expected:'; cat "$work/root.want"; ok=1; }
  [ ! -s "$work/root.out" ] || { echo 'stdout:'; cat "$work/root.out"; ok=1; }
  return $ok
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

# static_api <entry point>: the static API other languages call, from that entry point: load the
# example spec and synthesize it.
static_api() {
  ENTRY="$1" node - <<'EOF'
const assert = require('node:assert/strict');
const { Rainbow } = require(process.env.ENTRY);
const { spec, problems } = Rainbow.loadSpec('rainbow.yaml');
assert.deepEqual(problems, []);
const result = Rainbow.synthesize(spec, 'api.out');
assert.deepEqual(result.stackNames, ['shop-red', 'shop-orange', 'shop-yellow', 'shop-router']);
EOF
}

# esm_import <entry point> <class>: an ES module imports the class by name from the entry point
# (through the package's "exports"; named, as Node finds the names of the jsii-built CommonJS).
esm_import() {
  node --input-type=module -e "import { $2 } from '$1'; if (typeof $2 !== 'function') process.exit(1);"
}

# The AWS program: two ECS colors behind one ALB listener rule, 90/10.
aws_library_synth() {
  OUTDIR=lib.out node main.js || return 1
  node - <<'EOF'
const assert = require('node:assert/strict');
const stack = require('./lib.out/stacks/shop/cdk.tf.json');
assert.deepEqual(Object.values(stack.resource.aws_ecs_service).map((s) => s.name).sort(), ['shop-blue', 'shop-green']);
const rules = Object.entries(stack.resource.aws_lb_listener_rule).filter(([id]) => id.startsWith('router_'));
assert.deepEqual(rules.map(([, rule]) => rule.action[0].forward.target_group.map((t) => t.weight)), [[90, 10]]);
assert.deepEqual(Object.values(stack.data.aws_lb_target_group).map((d) => d.name), ['shop-blue', 'shop-green']);
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

# The lines of rainbow.yaml that hold a value rainbow init leaves for the user to fill in
# (model/placeholders.ts): the word replace-me, an AWS account of zeros, a VPC, subnet, security
# group or AMI id of zeros. Comments (the header lists the fields) do not count.
placeholder_lines() {
  grep -nE '(replace-me|000000000000|(vpc|subnet|sg|ami)-0{16}[0-9])' rainbow.yaml | grep -vE '^[0-9]+:[[:space:]]*#' | cut -d: -f1
}

# cli_init <program folder> <platform...>: rainbow init in an empty folder beside the program (its
# node_modules linked), with the installed package. validate refuses the spec while it holds the
# placeholders init wrote (exit 1, naming each); with real-looking values put in their place, as a
# user would, validate and synth pass, and so does the app cdktf.json names, run as cdktf runs it
# (a shell, in the project folder).
cli_init() {
  local program="$1" platform line status
  shift
  for platform in "$@"; do
    mkdir "$work/init-$platform" && cd "$work/init-$platform" || return 1
    ln -s "$program/node_modules" node_modules || return 1
    npx --no-install rainbow init --app shop --platform "$platform" || return 1
    [ -n "$(placeholder_lines)" ] || { echo "rainbow init wrote no placeholder ($platform):"; cat rainbow.yaml; return 1; }
    npx --no-install rainbow validate >validate.out 2>&1
    status=$?
    [ "$status" = 1 ] || { echo "validate with the placeholders: exit status $status, expected 1 ($platform)"; cat validate.out; return 1; }
    # Each placeholder line is named by its position, as a problem of the placeholder kind.
    for line in $(placeholder_lines); do
      grep -qE "^\./rainbow\.yaml:$line:[0-9]+: .*a placeholder that rainbow init wrote; expected " validate.out \
        || { echo "validate does not name the placeholder on line $line ($platform):"; cat validate.out; return 1; }
    done
    sed -i -E -e 's/(vpc|subnet|sg|ami)-0{16}([0-9])/\1-0a1b2c3d4e5f6a7b\2/g' -e 's/000000000000/123456789012/g' \
      -e 's/replace-me\.invalid/example.com/g' -e 's/replace-me/acme/g' rainbow.yaml || return 1
    [ -z "$(placeholder_lines)" ] || { echo "placeholders left after replacing them ($platform), lines: $(placeholder_lines)"; return 1; }
    npx --no-install rainbow validate || return 1
    npx --no-install rainbow synth --out rainbow.out >/dev/null || return 1
    CDKTF_OUTDIR=cdktf.out sh -c "$(node -p "require('./cdktf.json').app")" || return 1
    for stack in shop-blue shop-router; do
      [ -f "rainbow.out/stacks/$stack/cdk.tf.json" ] || { echo "rainbow synth: missing stack $stack ($platform)"; return 1; }
      [ -f "cdktf.out/stacks/$stack/cdk.tf.json" ] || { echo "cdktf.json app: missing stack $stack ($platform)"; return 1; }
    done
  done
  cd "$program"
}

start=$SECONDS
require "npm pack builds the tarball: jsii compiles the package with 0 errors" pack
check "the tarball holds dist with declarations, the jsii assembly, README, LICENSE, docs, the JSON Schema and the bundled dependencies without their TypeScript sources, and nothing else" tarball_contents
check "the packed package.json has no prepare or install script" no_install_scripts
# A Kubernetes program: cdktf-rainbow/kubernetes, without the AWS provider.
require "installs into a cdktf 0.21 program with constructs resolved by the program" install app main.ts kubernetes-gateway @cdktf/provider-kubernetes@^12.1.1
check "the program has one copy of constructs and of cdktf" one_copy_each
check "a Kubernetes program installs no AWS provider" no_provider @cdktf/provider-aws
require "the program compiles with the cdktf init tsconfig (strict)" npx --no-install tsc
check "cdktf-rainbow/kubernetes type-checks with skipLibCheck: false (strict), without the AWS provider" typecheck_lib
check "the program synthesizes a KubernetesColor pair and a GatewayApiRouter" library_synth
check "the package root, with only the Kubernetes provider, exits 1 with one line naming cdktf-rainbow/kubernetes" root_needs_both @cdktf/provider-kubernetes cdktf-rainbow/kubernetes
check "the jsii assembly names the package, and every class and enum in it is exported" jsii_assembly
check "every public type, member and enum value has a doc comment, every optional field its @default" node "$root/test/package/api-docs.mjs" node_modules/cdktf-rainbow/.jsii
check "Rainbow.loadSpec and Rainbow.synthesize work from cdktf-rainbow/kubernetes, without the AWS provider" static_api cdktf-rainbow/kubernetes
check "an ES module imports KubernetesColor by name from cdktf-rainbow/kubernetes" esm_import cdktf-rainbow/kubernetes KubernetesColor
check "jsii-pacmak generates the Python package, and it compiles" python_package
check "the installed rainbow validates a spec" cli_validate
check "the installed rainbow synthesizes a spec's stacks" cli_synth
check "the installed rainbow init refuses to overwrite a rainbow.yaml" cli_init_refuses
check "rainbow init on kubernetes: validate refuses its placeholders, naming each; filled in, validate, synth and the cdktf.json app work" cli_init "$work/app" kubernetes
# An AWS program: cdktf-rainbow/aws, without the Kubernetes provider.
require "installs into a cdktf 0.21 program with only the AWS provider" install aws-app aws.ts aws-ecs-rainbow @cdktf/provider-aws@^21.22.1
check "the AWS program has one copy of constructs and of cdktf" one_copy_each
check "an AWS program installs no Kubernetes provider" no_provider @cdktf/provider-kubernetes
require "the AWS program compiles with the cdktf init tsconfig (strict)" npx --no-install tsc
check "cdktf-rainbow/aws type-checks with skipLibCheck: false (strict), without the Kubernetes provider" typecheck_lib
check "the AWS program synthesizes two EcsColors behind an AlbRouter, 90/10" aws_library_synth
check "the package root, with only the AWS provider, exits 1 with one line naming cdktf-rainbow/aws" root_needs_both @cdktf/provider-aws cdktf-rainbow/aws
check "Rainbow.loadSpec and Rainbow.synthesize work from cdktf-rainbow/aws, without the Kubernetes provider" static_api cdktf-rainbow/aws
check "an ES module imports EcsColor by name from cdktf-rainbow/aws" esm_import cdktf-rainbow/aws EcsColor
check "rainbow init on ecs and ec2: validate refuses their placeholders, naming each; filled in, validate, synth and the cdktf.json app work" cli_init "$work/aws-app" ecs ec2
echo "package test took $((SECONDS - start)) s"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
