package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// noisy is a report whose file order puts hygiene first: what the issue saw
// on real repositories, where the first removed-api was on line 452.
func noisy() *model.Report {
	f := func(rule string, sev model.Severity, file string, line int) model.Finding {
		return model.Finding{Rule: rule, Severity: sev, Message: rule + " at " + file, File: file, Line: line, Column: 1, Kind: "Deployment", Name: file}
	}
	return &model.Report{TargetVersion: "1.33", FailOn: model.SeverityError, Findings: []model.Finding{
		f("missing-requests", model.SeverityWarning, "a.yaml", 3),
		f("missing-memory-limit", model.SeverityInfo, "a.yaml", 3),
		f("missing-requests", model.SeverityError, "a.yaml", 9), // raised by config
		f("removed-api", model.SeverityError, "b.yaml", 1),
		f("deprecated-api", model.SeverityWarning, "b.yaml", 1),
		f("some-new-rule", model.SeverityWarning, "c.yaml", 1),
		f("parse-error", model.SeverityError, "c.yaml", 5),
		f("removed-api", model.SeverityError, "d.yaml", 1),
		f("missing-pdb", model.SeverityWarning, "d.yaml", 1),
	}, Summary: model.Summary{Findings: 9, Errors: 4, Warnings: 4, Infos: 1}}
}

// wantOrder is noisy's findings blockers first: severity, then rule
// priority, grouped by file within a rule; an unknown rule sits before
// hygiene.
var wantOrder = []string{
	"removed-api at b.yaml", "removed-api at d.yaml", "parse-error at c.yaml", "missing-requests at a.yaml",
	"deprecated-api at b.yaml", "missing-pdb at d.yaml", "some-new-rule at c.yaml", "missing-requests at a.yaml",
	"missing-memory-limit at a.yaml",
}

func TestTextBlockersFirst(t *testing.T) {
	out := string(render(t, "text", noisy(), Options{}))
	lines := strings.Split(out, "\n")
	wantHead := []string{
		"9 findings by rule, blockers first:",
		"  2  error   removed-api           fails the check",
		"  1  error   parse-error           fails the check",
		"  1  error   missing-requests      fails the check",
		"  1  warning deprecated-api",
		"  1  warning missing-pdb",
		"  1  warning some-new-rule",
		"  1  warning missing-requests",
		"  1  info    missing-memory-limit",
		"",
		"b.yaml",
		"  1:1     error   removed-api  Deployment/b.yaml",
	}
	if got := strings.Join(lines[:len(wantHead)], "\n"); got != strings.Join(wantHead, "\n") {
		t.Errorf("text opens with\n%s\nwant\n%s", got, strings.Join(wantHead, "\n"))
	}
	// --quiet: the findings alone, in the same order.
	if q := string(render(t, "text", noisy(), Options{Quiet: true})); !strings.HasPrefix(q, "b.yaml\n") || strings.Contains(q, "by rule") || strings.Contains(q, "target 1.33") {
		t.Errorf("quiet text:\n%s", q)
	}
	var msgs []string
	for _, l := range lines {
		if strings.HasPrefix(l, "          ") {
			msgs = append(msgs, strings.TrimSpace(l))
		}
	}
	if strings.Join(msgs, "|") != strings.Join(wantOrder, "|") {
		t.Errorf("text order\n%q\nwant\n%q", msgs, wantOrder)
	}
}

func TestAnnotationsSARIFMarkdownBlockersFirst(t *testing.T) {
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(render(t, "github", noisy(), Options{}))), "\n") {
		_, msg, _ := strings.Cut(l[2:], "::")
		got = append(got, msg)
	}
	if strings.Join(got, "|") != strings.Join(wantOrder, "|") {
		t.Errorf("annotations\n%q\nwant\n%q", got, wantOrder)
	}
	got = nil
	var l struct {
		Runs []struct {
			Results []struct {
				Message struct{ Text string } `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, "sarif", noisy(), Options{}), &l); err != nil {
		t.Fatal(err)
	}
	for _, r := range l.Runs[0].Results {
		got = append(got, r.Message.Text)
	}
	if strings.Join(got, "|") != strings.Join(wantOrder, "|") {
		t.Errorf("SARIF results\n%q\nwant\n%q", got, wantOrder)
	}
	md := string(render(t, "markdown", noisy(), Options{}))
	_, top, ok := strings.Cut(md, "### Top findings")
	if !ok {
		t.Fatalf("markdown has no top findings\n%s", md)
	}
	last := -1
	for _, m := range wantOrder[:4] {
		i := strings.Index(top, m)
		if i <= last {
			t.Errorf("markdown top findings: %q out of order\n%s", m, top)
		}
		last = i
	}
	// JSON keeps its documented order (file, line).
	js := string(render(t, "json", noisy(), Options{}))
	if strings.Index(js, "missing-requests at a.yaml") > strings.Index(js, "removed-api at b.yaml") {
		t.Error("JSON findings are no longer in file order")
	}
}

// TestMinSeverity: hidden findings leave every format, the counts and the
// exit code stay whole, and the text says how many were hidden.
func TestMinSeverity(t *testing.T) {
	opt := Options{MinSeverity: model.SeverityWarning}
	for _, format := range Formats() {
		out := string(render(t, format, noisy(), opt))
		if strings.Contains(out, "missing-memory-limit at a.yaml") {
			t.Errorf("%s shows an info finding under --min-severity warning", format)
		}
		if !strings.Contains(out, "deprecated-api at b.yaml") {
			t.Errorf("%s lost a warning under --min-severity warning", format)
		}
	}
	text := string(render(t, "text", noisy(), opt))
	for _, want := range []string{
		"8 findings by rule, blockers first (1 below warning not shown):",
		"9 findings: 4 errors, 4 warnings, 1 info (1 below --min-severity warning, not shown)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q\n%s", want, text)
		}
	}
	errorsOnly := string(render(t, "github", noisy(), Options{MinSeverity: model.SeverityError}))
	if n := strings.Count(errorsOnly, "\n"); n != 4 || strings.Contains(errorsOnly, "::warning") {
		t.Errorf("--min-severity error: %d annotations\n%s", n, errorsOnly)
	}
	// The report itself is not changed for the next writer.
	r := noisy()
	var buf bytes.Buffer
	if err := Write(&buf, "text", r, opt); err != nil || len(r.Findings) != 9 {
		t.Errorf("Write changed the report: %d findings, %v", len(r.Findings), err)
	}
}

// TestPriorityTableNamesRealRules catches a misspelt rule ID in the table,
// which would silently fall back to the default rank.
func TestPriorityTableNamesRealRules(t *testing.T) {
	for id := range rulePriority {
		if _, ok := rules.ByID(id); !ok {
			t.Errorf("rulePriority names %q, which is not a rule", id)
		}
	}
	for _, r := range rules.All() {
		if _, ok := rulePriority[r.ID]; !ok {
			t.Logf("rule %s has no priority; it ranks at the default %d", r.ID, defaultPriority)
		}
	}
}
