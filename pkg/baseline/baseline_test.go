package baseline

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// fixture reads the findings of the report fixture shared with pkg/report.
func fixture(t *testing.T) *model.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "report", "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r model.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) == 0 {
		t.Fatal("fixture has no findings")
	}
	return &r
}

func write(t *testing.T, r *model.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoundTrip(t *testing.T) {
	r := fixture(t)
	b, err := Load(write(t, r))
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != len(r.Findings) || b.TargetVersion != "1.29" {
		t.Fatalf("loaded %d fingerprints for %s, want %d for 1.29", b.Len(), b.TargetVersion, len(r.Findings))
	}

	// Same findings, lines moved and messages reworded: all suppressed.
	moved := append([]model.Finding(nil), r.Findings...)
	for i := range moved {
		moved[i].Line += 3
		moved[i].Message += " (reworded)"
	}
	kept, n := b.Filter(moved)
	if len(kept) != 0 || n != len(r.Findings) {
		t.Errorf("moved findings: kept %d, suppressed %d", len(kept), n)
	}

	// A new finding and one without a fingerprint are kept, in order.
	extra := []model.Finding{
		{Rule: "removed-api", File: "new.yaml", Fingerprint: "ffffffffffffffffffffffffffffffff"},
		r.Findings[0],
		{Rule: "removed-api", File: "nofp.yaml"},
	}
	kept, n = b.Filter(extra)
	if n != 1 || len(kept) != 2 || kept[0].File != "new.yaml" || kept[1].File != "nofp.yaml" {
		t.Errorf("kept %+v, suppressed %d", kept, n)
	}
}

func TestWriteDeterministic(t *testing.T) {
	r := fixture(t)
	var a, b bytes.Buffer
	if err := Write(&a, r); err != nil {
		t.Fatal(err)
	}
	// Reversed and duplicated input gives the same file.
	rev := &model.Report{TargetVersion: r.TargetVersion}
	for i := len(r.Findings) - 1; i >= 0; i-- {
		rev.Findings = append(rev.Findings, r.Findings[i], r.Findings[i])
	}
	if err := Write(&b, rev); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("baseline depends on finding order:\n%s\n---\n%s", a.String(), b.String())
	}
	lines := strings.Split(strings.TrimSpace(a.String()), "\n")
	if len(lines) != len(r.Findings)+6 {
		t.Errorf("want one line per finding, got:\n%s", a.String())
	}
	if !strings.Contains(a.String(), `"object":"Ingress/shop-prod/shop"`) {
		t.Errorf("entries lack the object for humans:\n%s", a.String())
	}
	// Empty report: still a valid, loadable file.
	var e bytes.Buffer
	if err := Write(&e, &model.Report{}); err != nil {
		t.Fatal(err)
	}
	if b, err := Parse(e.Bytes()); err != nil || b.Len() != 0 {
		t.Errorf("empty baseline: %v\n%s", err, e.String())
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, content, want string
	}{
		{"garbage.json", "not json", "not a kupgrade-lint baseline"},
		{"version.json", `{"version": 9, "findings": []}`, "unsupported baseline version 9"},
		{"nofp.json", `{"version": 1, "findings": [{"rule": "x"}]}`, "finding 1 has no fingerprint"},
		{"unknown.json", `{"version": 1, "findings": [], "extra": true}`, "unknown field"},
		{"sarif.json", `{"version": "2.1.0", "runs": []}`, "not a kupgrade-lint baseline"},
	}
	for _, tc := range tests {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s: error %v, want it to mention %q and the file", tc.name, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}
