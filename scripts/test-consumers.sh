#!/usr/bin/env bash
# Validate kupgrade-lint's reports and integrations with the real consumers:
#   - Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool) on SARIF
#   - xmllint (Debian libxml2-utils) against the Jenkins JUnit XSD on JUnit
#   - actionlint (Go module github.com/rhysd/actionlint) on the workflow and,
#     through its `uses: ./` step, on action.yml; shellcheck on the action's
#     scripts, which are also run in a simulated runner
#   - pre-commit (Debian) `try-repo` on a fixture repository, for both hooks
# Installs what it needs (apt, npm, Go proxy). Called by `make test-consumers`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/bin/kupgrade-lint}
mkdir -p "$(dirname "$BIN")"
BINDIR=$(cd "$(dirname "$BIN")" && pwd)
SARIF_MULTITOOL_VERSION=5.7.0
ACTIONLINT_VERSION=v1.7.12

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failed=0
passed=0
pass() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# --- tools -----------------------------------------------------------------
need_apt=()
command -v xmllint >/dev/null || need_apt+=(libxml2-utils)
command -v pre-commit >/dev/null || need_apt+=(pre-commit)
command -v shellcheck >/dev/null || need_apt+=(shellcheck)
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import yaml' 2>/dev/null || need_apt+=(python3-yaml)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
npm install --prefix "$WORK/npm" --no-audit --no-fund --loglevel=error \
  "@microsoft/sarif-multitool@$SARIF_MULTITOOL_VERSION" >/dev/null
MULTITOOL=$WORK/npm/node_modules/.bin/sarif-multitool
(cd "$WORK" && GOBIN="$WORK" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION")
ACTIONLINT=$WORK/actionlint
[ -x "$BIN" ] || make build
echo "kupgrade-lint: $("$BIN" version | head -1)"

# --- reports -----------------------------------------------------------------
# Real scans of the bundled fixtures, plus the golden files of the Go tests.
mkdir -p "$WORK/out"
scan() { # name target path...
  local name=$1 target=$2; shift 2
  local code=0
  "$BIN" scan --target-version "$target" --fail-on none \
    --format "sarif=$WORK/out/$name.sarif" --format "junit=$WORK/out/$name.junit.xml" \
    --format "github=$WORK/out/$name.github.txt" --format "markdown=$WORK/out/$name.md" \
    "$@" >/dev/null || code=$?
  if [ "$code" = 0 ]; then pass "scan $name"; else fail "scan $name exited $code"; fi
}
scan manifests 1.33 testdata/manifests
scan report-repo 1.29 testdata/report/repo
# The same scan under different parallelism must give the same bytes.
same=1
for fmt in sarif junit github markdown gitlab json text; do
  GOMAXPROCS=1 "$BIN" scan --target-version 1.29 --fail-on none --format "$fmt" testdata/report/repo >"$WORK/p1" 2>/dev/null || true
  GOMAXPROCS=8 "$BIN" scan --target-version 1.29 --fail-on none --format "$fmt" -j 8 testdata/report/repo >"$WORK/p8" 2>/dev/null || true
  cmp -s "$WORK/p1" "$WORK/p8" || { same=0; echo "  $fmt differs between GOMAXPROCS=1 and 8"; }
done
if [ "$same" = 1 ]; then pass "reports byte-identical across GOMAXPROCS=1 and 8"; else fail "reports differ across GOMAXPROCS"; fi
cp testdata/report/golden/report.sarif "$WORK/out/golden.sarif"
cp testdata/report/golden/junit.xml "$WORK/out/golden.junit.xml"

# The npm wrapper passes its arguments through a shell, hence the inner
# quotes around the ';'-separated rule kinds (SARIF spec rules plus GitHub
# code scanning's ingestion rules).
validate() { "$MULTITOOL" validate "$1" -o "$WORK/validation.sarif" --log ForceOverwrite --rule-kind '"Sarif;Gh"' >/dev/null 2>&1 || true; }
for f in "$WORK"/out/*.sarif; do
  name=$(basename "$f")
  validate "$f"
  # The validator exits 0 even when the log is invalid: read its results.
  # Any result fails, except SARIF2017's warning for a file-level finding
  # whose line is unknown: kupgrade-lint never invents a line.
  if problems=$(python3 - "$WORK/validation.sarif" <<'EOF'
import json, sys
log = json.load(open(sys.argv[1]))
n = 0
for run in log["runs"]:
    for r in run.get("results", []):
        msg = r["message"].get("arguments", r["message"].get("text"))
        if r["ruleId"] == "SARIF2017" and r["message"].get("id") == "Warning_MissingRegion":
            print("  allowed: %s %s (finding without a known line)" % (r["ruleId"], msg))
            continue
        n += 1
        print("  %s %s %s" % (r.get("level", "warning"), r["ruleId"], msg))
    for inv in run.get("invocations", []):
        if not inv.get("executionSuccessful", False):
            n += 1
            print("  validator did not run successfully")
sys.exit(1 if n else 0)
EOF
  ); then
    pass "sarif-multitool validate $name"
    [ -z "$problems" ] || echo "$problems"
  else
    fail "sarif-multitool validate $name"
    echo "$problems"
  fi
done
# Negative control: the validator must reject a broken log.
echo '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":""}},"results":[{"message":{},"ruleId":"x","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":0}}}]}]}]}' >"$WORK/broken.sarif"
validate "$WORK/broken.sarif"
if python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["runs"][0].get("results") else 1)' "$WORK/validation.sarif"; then
  pass "sarif-multitool rejects a broken log"
else
  fail "sarif-multitool accepted a broken log (validator not working?)"
fi

for f in "$WORK"/out/*.junit.xml; do
  if xmllint --noout --schema testdata/schemas/junit.xsd "$f" 2>"$WORK/xmllint.err"; then
    pass "xmllint $(basename "$f")"
  else
    fail "xmllint $(basename "$f")"
    cat "$WORK/xmllint.err"
  fi
done

# --- GitHub Action and workflow ----------------------------------------------
# actionlint checks action.yml's metadata and inputs through the `uses: ./`
# step of ci.yml.
if "$ACTIONLINT" .github/workflows/ci.yml; then pass "actionlint ci.yml (+ action.yml)"; else fail "actionlint ci.yml"; fi
mkdir -p "$WORK/wf/.github/workflows"
cp action.yml "$WORK/wf/"
git -C "$WORK/wf" init -q # actionlint resolves ./ from the repository root
cat >"$WORK/wf/.github/workflows/bad.yml" <<'EOF'
on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: ./
        with:
          target-versoin: "1.33"
EOF
if (cd "$WORK/wf" && "$ACTIONLINT" .github/workflows/bad.yml >/dev/null 2>&1); then
  fail "actionlint accepted a misspelled action input (action.yml not read?)"
else
  pass "actionlint rejects a misspelled action input"
fi

# The composite steps' scripts: shellcheck them, then run the scan step the
# way a runner would (env from inputs, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).
python3 - "$WORK/steps" <<'EOF'
import os, sys, yaml
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
action = yaml.safe_load(open("action.yml"))
for i, step in enumerate(action["runs"]["steps"]):
    if "run" not in step:
        continue
    name = step.get("id") or "step%d" % i
    with open(os.path.join(out, name + ".sh"), "w") as f:
        f.write("#!/usr/bin/env bash\n" + step["run"])
    with open(os.path.join(out, name + ".env"), "w") as f:
        for k, v in (step.get("env") or {}).items():
            f.write("%s\t%s\n" % (k, v))
EOF
if shellcheck -s bash -e SC2086 "$WORK"/steps/*.sh; then pass "shellcheck action.yml scripts"; else fail "shellcheck action.yml scripts"; fi

run_action_scan() { # fail-on paths -> prints exit-code output
  local fail_on=$1 paths=$2 d=$WORK/runner
  rm -rf "$d" && mkdir -p "$d/temp"
  : >"$d/output"; : >"$d/summary"
  (
    cd "$ROOT"
    # shellcheck disable=SC2030 # the subshell is the runner's step
    export PATH="$BINDIR:$PATH" GITHUB_OUTPUT="$d/output" GITHUB_STEP_SUMMARY="$d/summary"
    # The env values are the literal ${{ }} expressions of action.yml.
    # shellcheck disable=SC2016
    while IFS=$'\t' read -r k v; do
      case "$v" in
        '${{ inputs.target-version }}') v=1.29 ;;
        '${{ inputs.paths }}') v=$paths ;;
        '${{ inputs.fail-on }}') v=$fail_on ;;
        '${{ inputs.sarif-file }}') v=$d/scan.sarif ;;
        '${{ inputs.annotations }}' | '${{ inputs.summary }}') v=true ;;
        '${{ runner.temp }}'*) v=$d/temp${v#'${{ runner.temp }}'} ;;
        *) v= ;;
      esac
      export "$k=$v"
    done <"$WORK/steps/scan.env"
    bash --noprofile --norc -eo pipefail "$WORK/steps/scan.sh" >"$d/stdout"
  )
}
run_action_scan error testdata/report/repo
d=$WORK/runner
if grep -qx 'exit-code=1' "$d/output" && grep -q "sarif-file=$d/scan.sarif" "$d/output" &&
  grep -q '^::error file=' "$d/stdout" && grep -q '^## kupgrade-lint' "$d/summary"; then
  pass "action scan step: findings give exit-code=1, SARIF, annotations, job summary"
else
  fail "action scan step (fail-on error)"; cat "$d/output" "$d/stdout"
fi
run_action_scan none testdata/report/repo
if grep -qx 'exit-code=0' "$d/output"; then pass "action scan step: fail-on none gives exit-code=0"; else fail "action scan step (fail-on none)"; cat "$d/output"; fi

# --- pre-commit ----------------------------------------------------------------
# A fixture repository with a removed API: both hooks must fail; after the
# fix they must pass.
export PRE_COMMIT_HOME=$WORK/pre-commit-home
# The golang hook builds with `go install ./...` in its own GOPATH; share the
# module cache so it does not download every dependency again.
GOMODCACHE=$(go env GOMODCACHE)
export GOMODCACHE
# try-repo on this checkout also picks up uncommitted changes to tracked files.
HOOKREPO=$ROOT
FIX=$WORK/fixture
mkdir -p "$FIX/deploy"
cat >"$FIX/.kupgrade-lint.yaml" <<'EOF'
targetVersion: "1.29"
EOF
cat >"$FIX/deploy/cronjob.yaml" <<'EOF'
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox:1.36
EOF
git -C "$FIX" init -q
git -C "$FIX" add -A
for hook in kupgrade-lint kupgrade-lint-system; do
  # shellcheck disable=SC2031 # PATH is only changed in subshells
  hookpath=$PATH
  # shellcheck disable=SC2031
  [ "$hook" = kupgrade-lint-system ] && hookpath="$BINDIR:$PATH"
  sed -i 's#^apiVersion: batch/v1$#apiVersion: batch/v1beta1#' "$FIX/deploy/cronjob.yaml"
  git -C "$FIX" add -A
  if (cd "$FIX" && PATH=$hookpath pre-commit try-repo "$HOOKREPO" "$hook" --all-files >"$WORK/pc.log" 2>&1); then
    fail "pre-commit $hook passed on a removed API"; cat "$WORK/pc.log"
  elif grep -q 'removed-api' "$WORK/pc.log"; then
    pass "pre-commit $hook fails on a removed API"
  else
    fail "pre-commit $hook failed for another reason"; cat "$WORK/pc.log"
  fi
  sed -i 's#^apiVersion: batch/v1beta1$#apiVersion: batch/v1#' "$FIX/deploy/cronjob.yaml"
  git -C "$FIX" add -A
  if (cd "$FIX" && PATH=$hookpath pre-commit try-repo "$HOOKREPO" "$hook" --all-files >"$WORK/pc.log" 2>&1); then
    pass "pre-commit $hook passes after the fix"
  else
    fail "pre-commit $hook fails after the fix"; cat "$WORK/pc.log"
  fi
done

echo "test-consumers: $passed passed, $failed failed"
[ "$failed" = 0 ]
