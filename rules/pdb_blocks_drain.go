package rules

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// PDBBlocksDrain flags PodDisruptionBudgets that never allow an eviction.
var PDBBlocksDrain = &Rule{
	ID:       "pdb-blocks-drain",
	Title:    "PodDisruptionBudget allows no eviction",
	Severity: model.SeverityError,
	Summary:  "A PodDisruptionBudget can never allow an eviction for the pods it selects, or overlaps another budget, so draining their node hangs.",
	Doc: `kubectl drain, cluster-autoscaler and every managed node upgrade evict pods through the
eviction API, which refuses an eviction that would break a PodDisruptionBudget. A budget that
never allows a disruption turns a routine node upgrade into a drain that retries forever: the
upgrade stalls or, on managed platforms, the node is force-deleted after a timeout.

A budget blocks every eviction when maxUnavailable is 0 or 0%, when minAvailable is 100%, or
when minAvailable is at least the number of pods the selected workloads run (percentages are
rounded up, as the disruption controller does, so 50% of one replica is one pod). The pod
count is the sum of the replicas of every Deployment, StatefulSet, ReplicaSet,
ReplicationController or Pod the selector matches in the scan; an unset spec.replicas counts as
one, and a workload scaled by a HorizontalPodAutoscaler counts with its minReplicas, the size it
shrinks to. DaemonSet pods are ignored because kubectl drain skips them. When a replica count is
unrendered template text the count-based check is skipped.

A pod covered by two budgets cannot be evicted at all: the eviction API answers "This pod has
more than one PodDisruptionBudget, which the eviction subresource does not support"
(k8s.io/kubernetes pkg/registry/core/pod/storage/eviction.go). The rule therefore also reports
a budget whose selector matches the pods of a workload that another budget in the namespace
already covers.`,
	Remediation: "Allow at least one disruption: set maxUnavailable: 1 (or a percentage that rounds to at least one pod), or keep minAvailable below the replica count, for example by running one more replica.",
	Tags:        []string{"availability", "drain", "upgrade"},
	Global:      true,
	Check: func(p *Pass) {
		idx := workloadsOf(p)
		for _, pi := range idx.PDBs {
			checkPDBBlocks(p, pi)
		}
		checkPDBOverlap(p, idx)
	},
}

// checkPDBOverlap reports budgets that cover a workload another budget
// already covers, once per budget.
func checkPDBOverlap(p *Pass, idx *workloadIndex) {
	reported := map[*pdbInfo]bool{}
	for _, w := range idx.Workloads {
		if w.Obj.Kind == "DaemonSet" || len(w.PDBs) < 2 {
			continue
		}
		for _, pi := range w.PDBs[1:] {
			if reported[pi] {
				continue
			}
			reported[pi] = true
			pi.Facts.selectorPos.report(p, pi.Obj, Diagnostic{Path: "spec.selector", Key: "overlap",
				Message: fmt.Sprintf("selector also matches the pods of %s, which PodDisruptionBudget %s already covers; the eviction API refuses to evict a pod with more than one budget, so kubectl drain retries forever and the node upgrade hangs",
					kindName(w.Obj), w.PDBs[0].Obj.Name)})
		}
	}
}

func checkPDBBlocks(p *Pass, pi *pdbInfo) {
	var evictable []*workload
	for _, w := range pi.Workloads {
		if w.Obj.Kind != "DaemonSet" {
			evictable = append(evictable, w)
		}
	}
	if len(pi.Workloads) > 0 && len(evictable) == 0 {
		return // only DaemonSet pods: drain does not evict them
	}
	total, known := 0, len(evictable) > 0
	for _, w := range evictable {
		n, ok := w.minReplicas()
		if !ok {
			known = false
			break
		}
		total += n
	}
	names := make([]string, len(evictable))
	for i, w := range evictable {
		names[i] = w.describe()
	}
	list := strings.Join(names, " and ")
	who := "the pods it selects"
	if list != "" {
		who = "the pods of " + list
	}
	const hang = "kubectl drain retries the eviction forever and the node upgrade hangs"

	if v := pi.Facts.maxUnavailable; pi.Facts.maxUnavailableOK && v.Value == 0 {
		pi.Facts.maxPos.report(p, pi.Obj, Diagnostic{Path: "spec.maxUnavailable",
			Message: fmt.Sprintf("maxUnavailable is %s, so none of %s can ever be evicted; %s", v.Text, who, hang)})
	}
	v, ok := pi.Facts.minAvailable, pi.Facts.minAvailableOK
	switch {
	case !ok:
		return
	case v.IsPercent && v.Value >= 100:
		pi.Facts.minPos.report(p, pi.Obj, Diagnostic{Path: "spec.minAvailable",
			Message: fmt.Sprintf("minAvailable is %s, so none of %s can ever be evicted; %s", v.Text, who, hang)})
	case known && total > 0 && v.scaled(total) >= total:
		need := fmt.Sprintf("minAvailable %s", v.Text)
		if v.IsPercent {
			need += fmt.Sprintf(" of %s rounds up to %d", plural(total, "pod"), v.scaled(total))
		}
		pi.Facts.minPos.report(p, pi.Obj, Diagnostic{Path: "spec.minAvailable",
			Message: fmt.Sprintf("%s, which needs all %s of %s to stay up, so none can be evicted; %s", need, plural(total, "pod"), list, hang)})
	}
}
