package rules

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// PDBNoMatch flags PodDisruptionBudgets that select no workload of the scan.
var PDBNoMatch = &Rule{
	ID:       "pdb-no-match",
	Title:    "PodDisruptionBudget selects no workload",
	Severity: model.SeverityWarning,
	Summary:  "A PodDisruptionBudget's selector matches the pod template of no workload in its namespace, so it protects nothing during node drains.",
	Doc: `A PodDisruptionBudget only protects the pods its selector matches in its own namespace. A
budget whose labels drifted from the workload's pod template (a renamed app label, a chart that
changed its selector labels, a budget rendered into another namespace) silently protects
nothing, and the next node drain can take the workload fully down although a budget exists.

The rule matches the selector, with Kubernetes label-selector semantics, against the pod
template labels of every object in the scan that has a pod template in the same namespace,
including custom workloads with a spec.template such as Argo Rollouts. A missing selector
selects nothing; an empty selector selects every pod in policy/v1 and nothing in
policy/v1beta1. Pods created by an operator from a custom resource cannot be seen in
manifests; suppress the finding for such budgets.`,
	Remediation: "Make the selector match the labels of the workload's pod template (spec.template.metadata.labels) and put the budget in the workload's namespace, or delete the budget if the workload is gone.",
	Tags:        []string{"availability", "drain", "upgrade"},
	Global:      true,
	Check: func(p *Pass) {
		idx := workloadsOf(p)
		for _, pi := range idx.PDBs {
			if len(pi.Workloads) > 0 || pi.Selector == nil {
				continue
			}
			if pi.SelectsNone {
				pi.Facts.specPos.report(p, pi.Obj, Diagnostic{Path: "spec",
					Message: "spec.selector is missing or empty, so the budget selects no pod; add a selector with the labels of the pods to protect"})
				continue
			}
			msg := fmt.Sprintf("selector %s matches no pod template in namespace %q of the scanned files, so the budget protects nothing during node drains", selectorText(pi), pi.NS)
			if ws := idx.elsewhere(pi); len(ws) > 0 {
				msg += fmt.Sprintf("; %s in namespace %q has matching labels", kindName(ws[0].Obj), ws[0].NS)
			}
			pi.Facts.selectorPos.report(p, pi.Obj, Diagnostic{Path: "spec.selector", Message: msg})
		}
	},
}

func selectorText(pi *pdbInfo) string {
	s := pi.Selector.String()
	if s == "" {
		return "{}"
	}
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return strings.TrimSpace(s)
}
