#!/usr/bin/env bash
# Validate kupgrade-lint's reports and integrations with the real consumers:
#   - Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool) on SARIF
#   - xmllint (Debian libxml2-utils) against the Jenkins JUnit XSD on JUnit
#   - actionlint (Go module github.com/rhysd/actionlint) on the workflow and,
#     through its `uses: ./` step, on action.yml; shellcheck on the action's
#     scripts, which are also run in a simulated runner
#   - pre-commit (Debian) `try-repo` on a fixture repository, for both hooks,
#     and real commits through the installed hook
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
command -v chromium >/dev/null || need_apt+=(chromium)
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
# Every check below is a function that returns non-zero when the check fails,
# and each is also run on an input it must reject (a negative control), so a
# check that cannot fail is caught. The fake binaries stand in for a broken
# build: one always crashes, one prints different bytes on every run.
mkdir -p "$WORK/out" "$WORK/fake"
printf '#!/bin/sh\necho "panic: boom" >&2\nexit 2\n' >"$WORK/fake/crash"
# shellcheck disable=SC2016 # expanded by the fake binary, not here
printf '#!/bin/sh\necho "run $$ $(date +%%s%%N)"\n' >"$WORK/fake/flaky"
chmod +x "$WORK/fake/crash" "$WORK/fake/flaky"
control() { # description command... : the command must fail
  local what=$1; shift
  if "$@" >"$WORK/control.log" 2>&1; then fail "negative control: $what passed"; cat "$WORK/control.log"; else pass "negative control: $what fails"; fi
}

# scan_ok bin outdir name target path...: a real scan writes every report.
scan_ok() {
  local bin=$1 out=$2 name=$3 target=$4; shift 4
  local code=0 f
  mkdir -p "$out"
  "$bin" scan --target-version "$target" --fail-on none \
    --format "sarif=$out/$name.sarif" --format "junit=$out/$name.junit.xml" \
    --format "github=$out/$name.github.txt" --format "markdown=$out/$name.md" \
    "$@" >/dev/null 2>"$WORK/scan.err" || code=$?
  [ "$code" = 0 ] || { echo "  scan $name exited $code"; return 1; }
  for f in "$out/$name.sarif" "$out/$name.junit.xml" "$out/$name.md"; do
    [ -s "$f" ] || { echo "  $f is empty"; return 1; }
  done
}
for args in "manifests 1.33 testdata/manifests" "report-repo 1.29 testdata/report/repo"; do
  # shellcheck disable=SC2086 # the list is split on purpose
  if scan_ok "$BIN" "$WORK/out" $args; then pass "scan ${args%% *}"; else fail "scan ${args%% *}"; fi
done
control "scan with a crashing binary" scan_ok "$WORK/fake/crash" "$WORK/neg" crash 1.29 testdata/report/repo

# deterministic bin: the same scan under GOMAXPROCS=1 and 8 succeeds and
# gives the same, non-empty bytes in every format. A binary that crashes
# gives the same (empty) bytes twice, so exit codes and output are checked.
deterministic() {
  local bin=$1 ok=0 fmt c1 c8
  for fmt in sarif junit github markdown gitlab json text; do
    c1=0 c8=0
    GOMAXPROCS=1 "$bin" scan --target-version 1.29 --fail-on none --format "$fmt" testdata/report/repo >"$WORK/p1" 2>/dev/null || c1=$?
    GOMAXPROCS=8 "$bin" scan --target-version 1.29 --fail-on none --format "$fmt" -j 8 testdata/report/repo >"$WORK/p8" 2>/dev/null || c8=$?
    if [ "$c1" != 0 ] || [ "$c8" != 0 ]; then
      echo "  $fmt: exit $c1 and $c8"; ok=1
    elif [ ! -s "$WORK/p1" ]; then
      echo "  $fmt: no output"; ok=1
    elif ! cmp -s "$WORK/p1" "$WORK/p8"; then
      echo "  $fmt differs between GOMAXPROCS=1 and 8"; ok=1
    fi
  done
  return $ok
}
if deterministic "$BIN"; then pass "reports byte-identical across GOMAXPROCS=1 and 8"; else fail "reports differ across GOMAXPROCS"; fi
control "determinism check on a binary that always crashes" deterministic "$WORK/fake/crash"
control "determinism check on a binary whose output changes" deterministic "$WORK/fake/flaky"
cp testdata/report/golden/report.sarif "$WORK/out/golden.sarif"
cp testdata/report/golden/junit.xml "$WORK/out/golden.junit.xml"

# Paths from the repository root: a copy of the fixture repository as a git
# work tree, scanned from a subdirectory, from outside by absolute path, and
# with a file outside the repository.
GITREPO=$WORK/gitrepo
cp -r testdata/report/repo "$GITREPO"
git -C "$GITREPO" init -q
mkdir -p "$WORK/outside"
cp testdata/report/repo/deploy/all.yaml "$WORK/outside/outside.yaml"
(cd "$GITREPO/deploy" && "$BIN" scan --target-version 1.29 --fail-on none --format "sarif=$WORK/out/subdir.sarif" --format "github=$WORK/out/subdir.github.txt" .) || fail "scan from a subdirectory"
(cd / && "$BIN" scan --target-version 1.29 --fail-on none --format "sarif=$WORK/out/absolute.sarif" "$GITREPO") || fail "scan by absolute path"
(cd "$GITREPO" && "$BIN" scan --target-version 1.29 --fail-on none --format "sarif=$WORK/out/outside.sarif" "$WORK/outside/outside.yaml") || fail "scan of a file outside the repository"

# repo_paths sarif root want...: every result is a repository path under
# %SRCROOT% (which names root) or an absolute file:// URI, and each wanted
# URI is among them.
repo_paths() {
  python3 - "$@" <<'EOF2'
import json, sys
path, root, want = sys.argv[1], sys.argv[2], set(sys.argv[3:])
run = json.load(open(path))["runs"][0]
bad = 0
base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri")
if base != "file://" + root.rstrip("/") + "/":
    print("  originalUriBaseIds %%SRCROOT%% = %r, want file://%s/" % (base, root)); bad += 1
seen = set()
for r in run.get("results", []):
    for loc in r.get("locations", []):
        a = loc.get("physicalLocation", {}).get("artifactLocation", {})
        uri, b = a.get("uri", ""), a.get("uriBaseId")
        seen.add(uri)
        if b == "%SRCROOT%" and not (uri.startswith("/") or uri.startswith("..") or ":" in uri):
            continue
        if b is None and uri.startswith("file:///"):
            continue
        print("  result at %r (uriBaseId %r)" % (uri, b)); bad += 1
for w in sorted(want - seen):
    print("  no result at %s" % w); bad += 1
sys.exit(1 if bad else 0)
EOF2
}
if repo_paths "$WORK/out/subdir.sarif" "$GITREPO" deploy/all.yaml; then pass "SARIF from a subdirectory names repository paths"; else fail "SARIF from a subdirectory"; fi
if repo_paths "$WORK/out/absolute.sarif" "$GITREPO" deploy/all.yaml charts/web/templates/cronjob.yaml base/ingress.yaml; then pass "SARIF of an absolute path names repository paths"; else fail "SARIF of an absolute path"; fi
if repo_paths "$WORK/out/outside.sarif" "$GITREPO" "file://$WORK/outside/outside.yaml"; then pass "SARIF names a file outside the repository by its file:// URI"; else fail "SARIF of an outside file"; fi
if grep -q '^::error file=deploy/all.yaml,' "$WORK/out/subdir.github.txt"; then pass "annotations from a subdirectory name repository paths"; else fail "annotations from a subdirectory"; head -3 "$WORK/out/subdir.github.txt"; fi
# Negative control: the working-directory-relative log the old code wrote.
sed 's#"uri": "deploy/all.yaml"#"uri": "../deploy/all.yaml"#' "$WORK/out/subdir.sarif" >"$WORK/relative.sarif"
control "repository-path check on a working-directory-relative URI" repo_paths "$WORK/relative.sarif" "$GITREPO" deploy/all.yaml

# The npm wrapper passes its arguments through a shell, hence the inner
# quotes around the ';'-separated rule kinds (SARIF spec rules plus GitHub
# code scanning's ingestion rules).
validate() { "$MULTITOOL" validate "$1" -o "$WORK/validation.sarif" --log ForceOverwrite --rule-kind '"Sarif;Gh"' >/dev/null 2>&1 || true; }
# sarif_valid file: the validator reports nothing. It exits 0 even when the
# log is invalid, so its own results are read. Any result fails, except
# SARIF2017's warning for a file-level finding whose line is unknown:
# kupgrade-lint never invents a line.
sarif_valid() {
  rm -f "$WORK/validation.sarif"
  validate "$1"
  [ -s "$WORK/validation.sarif" ] || { echo "  the validator wrote no log"; return 1; }
  python3 - "$WORK/validation.sarif" <<'EOF2'
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
EOF2
}
for f in "$WORK"/out/*.sarif; do
  if sarif_valid "$f" >"$WORK/problems"; then
    pass "sarif-multitool validate $(basename "$f")"
  else
    fail "sarif-multitool validate $(basename "$f")"
  fi
  cat "$WORK/problems"
done
# Negative controls: the validator must reject a broken log, and a
# repository URI that escapes the root.
echo '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":""}},"results":[{"message":{},"ruleId":"x","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":0}}}]}]}]}' >"$WORK/broken.sarif"
control "sarif-multitool on a broken log" sarif_valid "$WORK/broken.sarif"
sed 's#"uri": "file:///#"uriBaseId": "%SRCROOT%", "uri": "file:///#' "$WORK/out/outside.sarif" >"$WORK/absbase.sarif"
control "sarif-multitool on an absolute URI under %SRCROOT%" sarif_valid "$WORK/absbase.sarif"

# JUnit: the Jenkins XSD plus testcase@file (which GitLab reads and Jenkins
# ignores), and at most one failure or error per test case.
python3 - testdata/schemas/junit.xsd "$WORK/junit-file.xsd" <<'EOF2'
import sys
src = open(sys.argv[1]).read()
anchor = '<xs:attribute name="classname" type="xs:string" use="optional"/>'
assert src.count(anchor) == 1, "junit.xsd changed: no single classname attribute"
open(sys.argv[2], "w").write(src.replace(anchor, anchor + '<xs:attribute name="file" type="xs:string" use="optional"/>'))
EOF2
junit_valid() {
  xmllint --noout --schema "$WORK/junit-file.xsd" "$1" || return 1
  local many
  many=$(xmllint --xpath 'count(//testcase[count(failure) + count(error) > 1])' "$1") || return 1
  [ "$many" = 0 ] || { echo "  $many test cases with more than one failure or error"; return 1; }
}
for f in "$WORK"/out/*.junit.xml; do
  if junit_valid "$f" 2>"$WORK/xmllint.err"; then
    pass "xmllint $(basename "$f")"
  else
    fail "xmllint $(basename "$f")"
    cat "$WORK/xmllint.err"
  fi
done
echo '<testsuites><testsuite name="x" tests="1"><testcase classname="x"/></testsuite></testsuites>' >"$WORK/noname.xml"
control "xmllint on a test case without a name" junit_valid "$WORK/noname.xml"
echo '<testsuites><testsuite name="x" tests="1"><testcase name="a"><failure message="1"/><failure message="2"/></testcase></testsuite></testsuites>' >"$WORK/twofail.xml"
control "JUnit check on a test case with two failures" junit_valid "$WORK/twofail.xml"

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
# shellcheck disable=SC2016 # a deliberately bad script
printf '#!/usr/bin/env bash\nfor f in $(ls); do cd "$f"; done\n' >"$WORK/bad-step.sh"
control "shellcheck on a script with unchecked cd and ls parsing" shellcheck -s bash -e SC2086 "$WORK/bad-step.sh"

run_action_scan() { # fail-on paths [bindir] -> prints exit-code output
  local fail_on=$1 paths=$2 bindir=${3:-$BINDIR} d=$WORK/runner
  rm -rf "$d" && mkdir -p "$d/temp"
  : >"$d/output"; : >"$d/summary"
  (
    cd "$ROOT"
    # shellcheck disable=SC2030 # the subshell is the runner's step
    export PATH="$bindir:$PATH" GITHUB_OUTPUT="$d/output" GITHUB_STEP_SUMMARY="$d/summary"
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
d=$WORK/runner
# action_findings_ok bindir: findings give exit-code=1, SARIF, annotations
# whose first one is a removed API (blockers first), and a job summary.
action_findings_ok() {
  run_action_scan error testdata/report/repo "$1" || return 1
  grep -qx 'exit-code=1' "$d/output" && grep -q "sarif-file=$d/scan.sarif" "$d/output" &&
    head -1 "$d/stdout" | grep -q '^::error file=.*title=removed-api ' && grep -q '^## kupgrade-lint' "$d/summary"
}
if action_findings_ok "$BINDIR"; then
  pass "action scan step: findings give exit-code=1, SARIF, blockers-first annotations, job summary"
else
  fail "action scan step (fail-on error)"; cat "$d/output" "$d/stdout"
fi
mkdir -p "$WORK/crashbin" && cp "$WORK/fake/crash" "$WORK/crashbin/kupgrade-lint"
control "action scan step with a crashing binary" action_findings_ok "$WORK/crashbin"
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

# --- pre-commit commits --------------------------------------------------------
# A real `git commit` through the installed hook judges what the commit stages:
# untracked and ignored manifests with a removed API (one of them a template of
# a chart the commit changes) never block it, a staged one does. The hook
# repository is a committed copy of this checkout's .pre-commit-hooks.yaml; the
# system hook runs the binary built here. The negative control is the same
# check with hooks that scan the whole tree, which an untracked file blocks.
# shellcheck disable=SC2031 # PATH is only changed in subshells
syspath=$BINDIR:$PATH
hook_repo() { # dir hooks-file: a one-commit git repository holding the hooks file
  rm -rf "$1" && mkdir -p "$1" && cp "$2" "$1/.pre-commit-hooks.yaml"
  git -C "$1" init -q && git -C "$1" add -A && git -C "$1" commit -q -m hooks
}
commits_judged_on_what_they_stage() { # hook repository
  local repo=$1 c=$WORK/commits
  rm -rf "$c" && mkdir -p "$c/deploy" "$c/ignored" "$c/charts/web/templates"
  cat >"$c/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $repo
    rev: $(git -C "$repo" rev-parse HEAD)
    hooks:
      - id: kupgrade-lint-system
        args: [--target-version, "1.29"]
EOF
  printf 'ignored/\n' >"$c/.gitignore"
  printf 'apiVersion: v2\nname: web\nversion: 0.1.0\n' >"$c/charts/web/Chart.yaml"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n' >"$c/charts/web/templates/cm.yaml"
  sed 's#^apiVersion: batch/v1beta1$#apiVersion: batch/v1#' "$FIX/deploy/cronjob.yaml" >"$c/deploy/ok.yaml"
  git -C "$c" init -q && git -C "$c" add -A && git -C "$c" commit -q --no-verify -m base
  (cd "$c" && pre-commit install >/dev/null) || return 1
  # Broken and never staged: untracked, ignored, and a chart template.
  sed 's#^apiVersion: batch/v1$#apiVersion: batch/v1beta1#' "$c/deploy/ok.yaml" >"$c/deploy/untracked.yaml"
  cp "$c/deploy/untracked.yaml" "$c/ignored/broken.yaml"
  printf 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n' >"$c/charts/web/templates/pdb.yaml"
  echo '{"name": "app"}' >"$c/package.json"
  git -C "$c" add package.json
  (cd "$c" && env PATH="$syspath" git commit -q -m "package.json only") >"$WORK/commit.log" 2>&1 ||
    { echo "a commit of package.json was blocked"; return 1; }
  printf '  labels:\n    app: web\n' >>"$c/charts/web/templates/cm.yaml"
  sed -i 's#^  name: nightly$#  name: nightly-report#' "$c/deploy/ok.yaml"
  git -C "$c" add charts/web/templates/cm.yaml deploy/ok.yaml
  (cd "$c" && env PATH="$syspath" git commit -q -m "clean changes") >"$WORK/commit.log" 2>&1 ||
    { echo "a commit of clean changes was blocked"; return 1; }
  git -C "$c" add deploy/untracked.yaml
  if (cd "$c" && env PATH="$syspath" git commit -q -m "a removed API") >"$WORK/commit.log" 2>&1; then
    echo "a commit staging a removed API passed"; return 1
  fi
  grep -q 'removed-api' "$WORK/commit.log" && grep -q 'deploy/untracked.yaml' "$WORK/commit.log" &&
    ! grep -q 'ignored/broken.yaml\|charts/web/templates/pdb.yaml' "$WORK/commit.log"
}
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
hook_repo "$WORK/hooks" "$ROOT/.pre-commit-hooks.yaml"
if commits_judged_on_what_they_stage "$WORK/hooks" >"$WORK/commits.log" 2>&1; then
  pass "pre-commit commits: untracked, ignored and unstaged chart files never block; a staged removed API does"
else
  fail "pre-commit commits judged on what they stage"; cat "$WORK/commits.log" "$WORK/commit.log"
fi
sed -e 's#^  pass_filenames: true$#  pass_filenames: false#' -e 's# --allow-empty$##' "$ROOT/.pre-commit-hooks.yaml" >"$WORK/whole-tree-hooks.yaml"
hook_repo "$WORK/hooks-whole-tree" "$WORK/whole-tree-hooks.yaml"
control "pre-commit commits with hooks that scan the whole tree" commits_judged_on_what_they_stage "$WORK/hooks-whole-tree"

# --- plan HTML in a real browser ------------------------------------------------
# Headless Chromium loads the page; the DOM it builds must hold the timeline
# (one column per hop), the sections, and no element a scanned name could
# have injected; the screenshot must not be blank.
chrome() { timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage "$@" 2>/dev/null; }
html_ok() { # page.html hops
  local dom=$WORK/dom.html png=$WORK/page.png
  chrome --dump-dom "file://$1" >"$dom" || return 1
  grep -q '<h2[^>]*>Timeline</h2>' "$dom" || return 1
  [ "$(grep -o '<th[^>]*>[0-9.]* → [0-9.]*</th>' "$dom" | wc -l)" -eq "$2" ] || return 1
  grep -q 'Already broken at' "$dom" || return 1
  if grep -qi '<script\|<img' "$dom"; then return 1; fi
  rm -f "$png"
  chrome --screenshot="$png" --window-size=1280,900 "file://$1" >/dev/null || return 1
  # A blank page compresses to a few KB.
  [ -s "$png" ] && [ "$(stat -c %s "$png")" -gt 20000 ]
}
HOSTILE=$WORK/hostile-plan
rm -rf "$HOSTILE" && mkdir -p "$HOSTILE"
cat >"$HOSTILE/cronjob.yaml" <<'EOF'
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: "x<script>alert(1)</script><img src=x onerror=alert(2)>"
spec:
  schedule: "* * * * *"
  jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: busybox}], restartPolicy: Never}}}}
EOF
"$BIN" plan testdata/plan/repo "$HOSTILE" --current-version 1.25 --target-version 1.32 --format html -o "$WORK/out/plan.html" >/dev/null 2>&1 || true
if html_ok "$WORK/out/plan.html" 7; then pass "chromium renders the plan HTML (7 hop columns, hostile names inert, not blank)"; else fail "chromium plan HTML"; fi
# Negative controls: an injected script, and a page with no timeline.
sed 's#</body>#<script>document.title="x"</script></body>#' "$WORK/out/plan.html" >"$WORK/out/injected.html"
control "chromium check on a page with a script element" html_ok "$WORK/out/injected.html" 7
printf '<!DOCTYPE html><html><body><p>empty</p></body></html>\n' >"$WORK/out/blank.html"
control "chromium check on a blank page" html_ok "$WORK/out/blank.html" 7

echo "test-consumers: $passed passed, $failed failed"
[ "$failed" = 0 ]
