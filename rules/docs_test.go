package rules

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules/*.md from the rule metadata")

// upgradeRules are the rules of issue 5. Once registry.go lists them, All()
// alone is enough here and this list can go.
var upgradeRules = []*Rule{
	MissingPDB, PDBBlocksDrain, PDBNoMatch, MissingRequests, MissingMemoryLimit, RequestsExceedLimits,
	MissingPriorityClass, LocalStorageState, WebhookFailurePolicy, DeprecatedField, RemovedField,
}

// documentedRules is All() plus upgradeRules, deduplicated, sorted by ID.
func documentedRules() []*Rule { return All() }

const docsDir = "../docs/rules"

// TestDocsUpToDate compares docs/rules/<id>.md with Markdown(r). Run
// `go test ./rules -run TestDocsUpToDate -update` after changing metadata.
func TestDocsUpToDate(t *testing.T) {
	rs := documentedRules()
	if *update {
		if err := os.MkdirAll(docsDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, r := range rs {
		name := r.ID + ".md"
		want[name] = true
		path := filepath.Join(docsDir, name)
		md := Markdown(r)
		if *update {
			if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run go test ./rules -run TestDocsUpToDate -update)", path, err)
			continue
		}
		if string(got) != md {
			t.Errorf("%s is stale (run go test ./rules -run TestDocsUpToDate -update)", path)
		}
	}
	entries, err := os.ReadDir(docsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") && !want[e.Name()] {
			t.Errorf("%s/%s documents no rule", docsDir, e.Name())
		}
	}
}

// TestRuleMetadata holds every rule to the project standard: valid
// metadata and a remediation that ends with a period. The testdata harness
// (TestRuleTestdataCoverage) requires the firing and clean cases.
func TestRuleMetadata(t *testing.T) {
	rs := documentedRules()
	if err := Validate(rs); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if !strings.HasSuffix(strings.TrimSpace(r.Remediation), ".") {
			t.Errorf("%s: Remediation must end with a period", r.ID)
		}
		if r.Title != strings.TrimSpace(r.Title) || strings.ToLower(r.Title[:1]) != r.Title[:1] && !strings.HasPrefix(r.Title, "API") && !strings.HasPrefix(r.Title, "PodDisruptionBudget") {
			t.Errorf("%s: Title should start lowercase: %q", r.ID, r.Title)
		}
	}
}
