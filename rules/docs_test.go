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

// casesByRule maps every rule to its test table.
var casesByRule = map[string][]ruleCase{
	"render-error":                renderErrorCases,
	"chart-kube-version":          chartKubeVersionCases,
	"missing-pdb":                 missingPDBCases,
	"pdb-blocks-drain":            pdbBlocksDrainCases,
	"pdb-no-match":                pdbNoMatchCases,
	"missing-requests":            missingRequestsCases,
	"missing-memory-limit":        missingMemoryLimitCases,
	"requests-exceed-limits":      requestsExceedLimitsCases,
	"missing-priority-class":      missingPriorityClassCases,
	"local-storage-state":         localStorageStateCases,
	"webhook-failure-policy":      webhookFailurePolicyCases,
	"deprecated-field":            deprecatedFieldCases,
	"removed-field":               removedFieldCases,
	"removed-api":                 removedAPICases,
	"deprecated-api":              deprecatedAPICases,
	"parse-error":                 parseErrorCases,
	"backup-coverage":             backupCoverageCases,
	"deprecated-component-config": deprecatedComponentConfigCases,
}

// testedElsewhere lists rules whose tables live in another harness (inline
// in their own test function), so this test cannot count their cases.
// Moving such a table into a package-level variable and adding it to
// casesByRule removes the entry here.
var testedElsewhere = map[string]string{
	"addon-incompatible":    "TestAddonIncompatible (checkAddonRule)",
	"addon-retired":         "TestAddonRetired (checkAddonRule)",
	"addon-unknown-version": "TestAddonUnknownVersion (checkAddonRule)",
	"addon-untested":        "TestAddonUntested (checkAddonRule)",
	"addon-version-skew":    "TestAddonVersionSkew (checkAddonRule)",
	"schema-invalid":        "TestSchemaInvalid, TestSchemaInvalidDuplicateKey, TestSchemaInvalidPerHop",
	"unknown-schema":        "TestUnknownSchema, TestUnknownSchemaUnusableCRD",
}

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

// TestRuleMetadataAndCases holds every rule to the project standard: valid
// metadata, a remediation that ends with a period, and a test table with at
// least one firing and one clean case.
func TestRuleMetadataAndCases(t *testing.T) {
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
		cases, ok := casesByRule[r.ID]
		if !ok {
			if testedElsewhere[r.ID] == "" {
				t.Errorf("%s: no test table in casesByRule", r.ID)
			}
			continue
		}
		fires, clean := 0, 0
		for _, c := range cases {
			if len(c.want) > 0 {
				fires++
			} else {
				clean++
			}
		}
		if fires == 0 || clean == 0 {
			t.Errorf("%s: needs a firing and a clean case (have %d firing, %d clean)", r.ID, fires, clean)
		}
	}
	for id := range casesByRule {
		found := false
		for _, r := range rs {
			found = found || r.ID == id
		}
		if !found {
			t.Errorf("casesByRule has %s, which is not a rule", id)
		}
	}
}
