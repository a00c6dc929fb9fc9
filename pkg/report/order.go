package report

import (
	"sort"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// rulePriority ranks rules within one severity: lower is shown first. The
// order says how surely and how soon a finding breaks the upgrade: objects
// the target rejects outright and inputs that were not checked at all come
// first, then what refuses to install or hangs a drain, then what breaks in
// a later release, and capacity hygiene last. It lives here, keyed by rule
// ID, so the rules registry needs no report concern.
var rulePriority = map[string]int{
	"removed-api":            10,
	"render-error":           11,
	"parse-error":            12,
	"removed-field":          20,
	"chart-kube-version":     21,
	"requests-exceed-limits": 22,
	"schema-invalid":         23,
	"addon-incompatible":     24,
	"pdb-blocks-drain":       25,
	"deprecated-api":         30,
	"deprecated-field":       31,
	"addon-version-skew":     32,
	"addon-untested":         33,
	"addon-retired":          34,
	"webhook-failure-policy": 35,
	"pdb-no-match":           40,
	"local-storage-state":    41,
	"missing-pdb":            42,
	"missing-requests":       50,
	"missing-memory-limit":   51,
	"missing-priority-class": 52,
	"unknown-schema":         60,
	"addon-unknown-version":  61,
}

// defaultPriority places rules missing from the table after the API and
// drain rules but before hygiene, so a new rule is never buried last.
const defaultPriority = 45

func priority(rule string) int {
	if p, ok := rulePriority[rule]; ok {
		return p
	}
	return defaultPriority
}

// blockerLess orders findings blockers first: higher severity, then rule
// priority, then rule ID. Ties keep the scan's order (file, line, column),
// which groups a rule's findings by file.
func blockerLess(a, b *model.Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if pa, pb := priority(a.Rule), priority(b.Rule); pa != pb {
		return pa < pb
	}
	return a.Rule < b.Rule
}

// blockersFirst returns the indexes of fs in blockers-first order.
func blockersFirst(fs []model.Finding) []int {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return blockerLess(&fs[idx[a]], &fs[idx[b]]) })
	return idx
}

// shown applies --min-severity: a copy of r without the findings below
// opt.MinSeverity, and how many were hidden. Summary and exit code are
// kept, so every format still tells the whole count.
func shown(r *model.Report, opt Options) (*model.Report, int) {
	if opt.MinSeverity <= model.SeverityInfo {
		return r, 0
	}
	out := *r
	out.Findings = make([]model.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if f.Severity >= opt.MinSeverity {
			out.Findings = append(out.Findings, f)
		}
	}
	return &out, len(r.Findings) - len(out.Findings)
}
