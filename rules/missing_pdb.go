package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// MissingPDB flags replicated workloads that no PodDisruptionBudget protects.
var MissingPDB = &Rule{
	ID:       "missing-pdb",
	Title:    "replicated workload without a PodDisruptionBudget",
	Severity: model.SeverityWarning,
	Summary:  "A Deployment, StatefulSet or ReplicaSet runs more than one replica but no PodDisruptionBudget in its namespace selects its pods.",
	Doc: `An upgrade drains every node, one after the other or several at a time. Without a
PodDisruptionBudget nothing stops the eviction API from taking down all replicas of a workload
at once when they happen to share a node, or when the drains of two nodes overlap: the service
goes fully down although it runs several replicas.

The rule looks at Deployments, StatefulSets and ReplicaSets with more than one replica, or with
a HorizontalPodAutoscaler (autoscaling/v1, v2, v2beta1 or v2beta2) whose minReplicas is above
one. An unset spec.replicas counts as one, so single-replica workloads are left alone. Budgets
are looked up in the whole scan (every file, chart and overlay together), in the workload's
namespace after defaulting (an unset namespace is ` + "`default`" + ` or the namespace the chart or
overlay is rendered into), and matched against the pod template labels with Kubernetes
label-selector semantics, matchExpressions included. A budget with the same labels in another
namespace does not count.`,
	Remediation: "Add a PodDisruptionBudget in the workload's namespace whose selector matches the pod template labels, with maxUnavailable: 1 (or minAvailable below the replica count).",
	Tags:        []string{"availability", "drain", "upgrade"},
	Global:      true,
	Check: func(p *Pass) {
		for _, w := range workloadsOf(p).Workloads {
			if !w.scalable() || len(w.PDBs) > 0 {
				continue
			}
			n, ok := w.Replicas, w.ReplicasOK
			by := ""
			if w.HPA != nil && w.HPAMinOK && (!ok || w.HPAMin > n) {
				n, ok = w.HPAMin, true
				by = fmt.Sprintf(" (HorizontalPodAutoscaler %s keeps at least %d)", w.HPA.Name, w.HPAMin)
			}
			if !ok || n <= 1 {
				continue
			}
			path := "spec.replicas"
			if !w.ReplicasSet {
				path = "spec.template.metadata.labels"
			}
			w.Facts.pdbPos.report(p, w.Obj, Diagnostic{
				Path: path,
				Message: fmt.Sprintf("no PodDisruptionBudget in namespace %q selects the pods of %s with %s%s; a node drain during the upgrade may evict all of them at once",
					w.NS, kindName(w.Obj), plural(n, "replica"), by),
			})
		}
	},
}
