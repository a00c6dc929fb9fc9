package rules_test

// A testdata harness in the manner of go/analysis's analysistest. Each rule
// has rules/testdata/<rule-id>/ holding a `target` file (the default target
// Kubernetes version, e.g. 1.33) and case directories: plain manifests, a
// small Helm chart, a small Kustomize overlay. A case directory may hold its
// own `target` file. A `current` file (in the case or the rule directory)
// sets the current version, for rules that judge the upgrade path. A line a finding must point at carries a YAML comment
//
//	kind: Deployment # want "regexp" "another regexp"
//
// with one regexp per finding on that line, matched against the message
// (inside double quotes only \" is an escape, so regexp escapes read as in
// a regexp; back quotes are also accepted). In a Helm chart the comment sits
// on the template line the finding points at; in an overlay, on the line of
// the base file, or of the patch that wrote the field.
//
// Each case directory is scanned on its own the way `kupgrade-lint scan`
// scans a path (discovery, sandboxed Helm and Kustomize rendering, schemas,
// suppressions, dedupe) with only the rule under test enabled. Every finding
// must match a want on its exact file and line; a finding without a want
// and a want without a finding both fail. Files without wants are clean
// cases. The harness lives in the external package rules_test because
// pkg/scan imports package rules.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/config"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// testdataRoot holds one directory per rule ID.
const testdataRoot = "testdata"

// scanOne runs exactly one rule over dir at target through the scan
// pipeline. It is the harness's only coupling to the engine's API: adapt it
// when scan.Options or rule selection change.
func scanOne(dir string, rule *rules.Rule, target kubeversion.Version) (*model.Report, error) {
	on, off := true, false
	cfg := &config.Config{Rules: map[string]config.RuleConfig{}}
	for _, r := range rules.All() {
		if r.ID == rule.ID {
			cfg.Rules[r.ID] = config.RuleConfig{Enabled: &on}
		} else {
			cfg.Rules[r.ID] = config.RuleConfig{Enabled: &off}
		}
	}
	current, err := readCurrent(dir)
	if err != nil {
		return nil, err
	}
	return scan.Run(context.Background(), scan.Options{
		Target: target, Current: current, Config: cfg, FailOn: model.SeverityNone,
		Render: render.Options{Paths: []string{dir}},
	})
}

// pos is a file (slash path as findings show it) and a 1-based line.
type pos struct {
	file string
	line int
}

func (p pos) String() string { return fmt.Sprintf("%s:%d", p.file, p.line) }

// expectation is one want regexp on one line.
type expectation struct {
	re   *regexp.Regexp
	used bool
}

// wantRE finds a want comment: "#", optional spaces, "want", then the
// quoted regexps. Anything before the "#" is the line's YAML or template.
var wantRE = regexp.MustCompile(`#\s*want\s+(.*)$`)

// parseWants reads every regular file below dir and returns the want
// expectations by position.
func parseWants(dir string) (map[pos][]*expectation, error) {
	wants := map[pos][]*expectation{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		file := filepath.ToSlash(path)
		for i, line := range strings.Split(string(b), "\n") {
			m := wantRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			res, err := parseQuoted(m[1])
			if err != nil {
				return fmt.Errorf("%s:%d: %w", file, i+1, err)
			}
			p := pos{file, i + 1}
			for _, s := range res {
				re, err := regexp.Compile(s)
				if err != nil {
					return fmt.Errorf("%s:%d: %w", file, i+1, err)
				}
				wants[p] = append(wants[p], &expectation{re: re})
			}
		}
		return nil
	})
	return wants, err
}

// parseQuoted splits `"a" "b"` into its strings; it needs at least one.
// Inside double quotes only \" is an escape (a literal quote), so regexp
// escapes are written as in a regexp: "Kubernetes 1\.16". Back-quoted
// strings are taken as they are.
func parseQuoted(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if strings.HasPrefix(s, "#") {
			break // a trailing comment after the wants
		}
		open := s[0]
		if open != '"' && open != '`' {
			return nil, fmt.Errorf("want needs quoted regexps, got %q", s)
		}
		var b strings.Builder
		i, closed := 1, false
		for ; i < len(s); i++ {
			c := s[i]
			if open == '"' && c == '\\' && i+1 < len(s) && s[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			if c == open {
				closed = true
				break
			}
			b.WriteByte(c)
		}
		if !closed {
			return nil, fmt.Errorf("unterminated want regexp in %q", s)
		}
		out = append(out, b.String())
		s = s[i+1:]
	}
	if len(out) == 0 {
		return nil, errors.New("want without a regexp")
	}
	return out, nil
}

// reporter is the part of testing.TB the checker uses, so a negative
// control can run it on a recorder.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// checkWants matches findings to wants: each finding consumes the first
// unused want on its file and line whose regexp matches its message.
func checkWants(t reporter, wants map[pos][]*expectation, findings []model.Finding) {
	t.Helper()
	for _, f := range findings {
		p := pos{f.File, f.Line}
		matched := false
		for _, w := range wants[p] {
			if !w.used && w.re.MatchString(f.Message) {
				w.used, matched = true, true
				break
			}
		}
		if !matched {
			t.Errorf("%s: unexpected finding: %s %s/%s at %s: %q", p, f.Rule, f.Kind, f.Name, f.FieldPath, f.Message)
		}
	}
	var missing []string
	for p, ws := range wants {
		for _, w := range ws {
			if !w.used {
				missing = append(missing, fmt.Sprintf("%s: missing finding matching `%s`", p, w.re))
			}
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s", m)
	}
}

// testCase is one directory scanned on its own, at its target version.
type testCase struct {
	dir    string
	target kubeversion.Version
}

// readCurrent reads the `current` file of a case directory, else of its
// rule directory; zero when neither has one.
func readCurrent(dir string) (kubeversion.Version, error) {
	for _, d := range []string{dir, filepath.Dir(dir)} {
		v, ok, err := readVersionFile(d, "current")
		if ok || err != nil {
			return v, err
		}
	}
	return kubeversion.Version{}, nil
}

// readTarget reads a `target` file (a Kubernetes version on one line).
func readTarget(dir string) (kubeversion.Version, bool, error) {
	return readVersionFile(dir, "target")
}

func readVersionFile(dir, name string) (kubeversion.Version, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return kubeversion.Version{}, false, nil
	}
	if err != nil {
		return kubeversion.Version{}, false, err
	}
	v, err := kubeversion.Parse(strings.TrimSpace(string(b)))
	if err != nil {
		return kubeversion.Version{}, false, fmt.Errorf("%s/%s: %w", dir, name, err)
	}
	return v, true, nil
}

// ruleCases lists a rule's cases: every directory below
// testdata/<rule-id>/, each scanned on its own (so cross-object rules see
// only that case's objects), at the version in its own `target` file or
// else the rule directory's.
func ruleCases(ruleID string) ([]testCase, error) {
	root := filepath.Join(testdataRoot, ruleID)
	def, ok, err := readTarget(root)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s/target is missing (the default target version of the cases)", root)
	}
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []testCase
	for _, e := range ents {
		if !e.IsDir() {
			if e.Name() != "target" && e.Name() != "current" {
				return nil, fmt.Errorf("%s: only case directories, a target and a current file belong here, found %s", root, e.Name())
			}
			continue
		}
		dir := filepath.Join(root, e.Name())
		v, ok, err := readTarget(dir)
		if err != nil {
			return nil, err
		}
		if !ok {
			v = def
		}
		out = append(out, testCase{dir: dir, target: v})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s has no case directories", root)
	}
	return out, nil
}

// caseResult is what one target directory gave, for the coverage test.
type caseResult struct {
	wants    int
	report   *model.Report
	wantsPer map[string]int // file → number of wants
}

// runDir scans one target directory with one rule and checks the wants.
func runDir(t reporter, rule *rules.Rule, dir string, target kubeversion.Version) (*caseResult, error) {
	t.Helper()
	wants, err := parseWants(dir)
	if err != nil {
		return nil, err
	}
	rep, err := scanOne(dir, rule, target)
	if err != nil {
		return nil, err
	}
	res := &caseResult{report: rep, wantsPer: map[string]int{}}
	for p, ws := range wants {
		res.wants += len(ws)
		res.wantsPer[p.file] += len(ws)
	}
	for _, f := range rep.Findings {
		if f.Rule != rule.ID {
			t.Errorf("%s:%d: finding of another rule %s: %s", f.File, f.Line, f.Rule, f.Message)
		}
		if m := f.Message; m == "" || strings.HasSuffix(m, ".") || strings.ToLower(m[:1]) != m[:1] {
			t.Errorf("%s:%d: message style (lowercase start, no final period): %q", f.File, f.Line, m)
		}
	}
	checkWants(t, wants, rep.Findings)
	return res, nil
}

// TestRuleTestdata runs every rule over its testdata directories.
func TestRuleTestdata(t *testing.T) {
	for _, r := range rules.All() {
		cases, err := ruleCases(r.ID)
		if err != nil {
			t.Errorf("%s: %v", r.ID, err)
			continue
		}
		for _, c := range cases {
			t.Run(r.ID+"/"+filepath.Base(c.dir), func(t *testing.T) {
				if _, err := runDir(t, r, c.dir, c.target); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// The test binary serves as its own render worker, so charts and overlays
// render in the sandbox exactly as in the CLI.
func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

// notRendered lists the rules (by "<id>/<source kind>") that need no Helm or
// Kustomize case, and why.
var notRendered = map[string]string{
	"parse-error/" + string(model.SourceHelm):             "rendered output that is not YAML is a render-error",
	"parse-error/" + string(model.SourceKustomize):        "kustomize reads its inputs itself: invalid YAML is a render-error",
	"chart-kube-version/" + string(model.SourceKustomize): "the constraint lives in a chart's Chart.yaml",
	"stale-release-api/" + string(model.SourceKustomize):  "only Helm stores release manifests",
}

// TestRuleTestdataCoverage holds every rule to the same standard: a
// testdata directory with at least one want and at least one clean file (a
// file whose objects were scanned and which carries no want).
func TestRuleTestdataCoverage(t *testing.T) {
	for _, r := range rules.All() {
		cases, err := ruleCases(r.ID)
		if err != nil {
			t.Errorf("%s: no usable testdata: %v", r.ID, err)
			continue
		}
		wants, clean := 0, 0
		renderedWants := map[model.SourceKind]int{}
		for _, c := range cases {
			res, err := runDir(discard{}, r, c.dir, c.target)
			if err != nil {
				t.Errorf("%s: %v", r.ID, err)
				continue
			}
			wants += res.wants
			if res.wants > 0 {
				for _, u := range res.report.Units {
					renderedWants[u.Kind]++
				}
			}
			seen := map[string]bool{}
			for _, o := range res.report.Objects {
				if !seen[o.File] && res.wantsPer[o.File] == 0 {
					seen[o.File] = true
					clean++
				}
			}
		}
		if wants == 0 || clean == 0 {
			t.Errorf("%s: testdata has %d wants and %d clean files; want at least one of each", r.ID, wants, clean)
		}
		for _, k := range []model.SourceKind{model.SourceHelm, model.SourceKustomize} {
			if renderedWants[k] == 0 && notRendered[r.ID+"/"+string(k)] == "" {
				t.Errorf("%s: no %s case with a want; rules that see rendered objects need one (or an entry in notRendered saying why not)", r.ID, k)
			}
		}
	}
}

// discard ignores reports (TestRuleTestdata already checks them).
type discard struct{}

func (discard) Helper()               {}
func (discard) Errorf(string, ...any) {}

// recorder keeps what the checker reports, for the negative controls.
type recorder struct{ msgs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

// TestHarnessFailsOnMismatch is the harness's negative control: run on a
// recorder, the checker must complain about a missing finding, an extra
// finding, a finding one line off and a message the regexp does not match,
// and stay quiet when findings and wants agree.
func TestHarnessFailsOnMismatch(t *testing.T) {
	dir := filepath.Join(testdataRoot, "removed-api", "apps-v1beta1-deployment-at-1-16")
	rule, _ := rules.ByID("removed-api")
	rep, err := scanOne(dir, rule, kubeversion.MustParse("1.16"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) == 0 {
		t.Fatal("the control directory gives no findings")
	}
	f0 := rep.Findings[0]
	offByOne, otherMsg := f0, f0
	offByOne.Line++
	otherMsg.Message = "something else entirely"
	for _, tc := range []struct {
		name     string
		findings []model.Finding
		want     []string // substrings, one per expected complaint, in order
	}{
		{"agree", rep.Findings, nil},
		{"missing", rep.Findings[1:], []string{f0.File + ":1: missing finding matching"}},
		{"extra", append(append([]model.Finding(nil), rep.Findings...), f0), []string{f0.File + ":1: unexpected finding: removed-api Deployment/web"}},
		{"off by one line", append([]model.Finding{offByOne}, rep.Findings[1:]...), []string{f0.File + ":2: unexpected finding", f0.File + ":1: missing finding"}},
		{"message mismatch", append([]model.Finding{otherMsg}, rep.Findings[1:]...), []string{`unexpected finding: removed-api Deployment/web at apiVersion: "something else entirely"`, f0.File + ":1: missing finding"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wants, err := parseWants(dir)
			if err != nil {
				t.Fatal(err)
			}
			var r recorder
			checkWants(&r, wants, tc.findings)
			if len(r.msgs) != len(tc.want) {
				t.Fatalf("checker reported %q, want %d complaints %q", r.msgs, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(r.msgs[i], w) {
					t.Errorf("complaint %d = %q, want it to contain %q", i, r.msgs[i], w)
				}
			}
		})
	}
	// A whole directory run through runDir must fail as well when a want
	// is missing: the same control through the full path.
	tmp := t.TempDir()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	noWant := regexp.MustCompile(`\s*# want .*`).ReplaceAll(b, nil)
	if err := os.WriteFile(filepath.Join(tmp, "deploy.yaml"), noWant, 0o644); err != nil {
		t.Fatal(err)
	}
	var r recorder
	if _, err := runDir(&r, rule, tmp, kubeversion.MustParse("1.16")); err != nil {
		t.Fatal(err)
	}
	if len(r.msgs) != 1 || !strings.Contains(r.msgs[0], "unexpected finding") {
		t.Errorf("runDir on a file without its want reported %q, want one unexpected finding", r.msgs)
	}
}

// TestParseQuoted pins the want syntax.
func TestParseQuoted(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{`"a\.b"`, []string{`a\.b`}, false},
		{`"x" "y"`, []string{"x", "y"}, false},
		{"`q\"` \"say \\\"hi\\\"\"", []string{`q"`, `say "hi"`}, false},
		{`"a" # note`, []string{"a"}, false},
		{`a`, nil, true},
		{`"open`, nil, true},
		{``, nil, true},
	} {
		got, err := parseQuoted(tc.in)
		if (err != nil) != tc.err || strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
			t.Errorf("parseQuoted(%s) = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestTestdataDirsAreRules catches a case directory filed under a misspelt
// or retired rule ID, which no test would ever run.
func TestTestdataDirsAreRules(t *testing.T) {
	other := map[string]bool{"charts": true} // fixtures of TestChartReplicasFromValues
	ents, err := os.ReadDir(testdataRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if _, ok := rules.ByID(e.Name()); !ok && !other[e.Name()] {
			t.Errorf("%s/%s is not a rule ID", testdataRoot, e.Name())
		}
	}
}
