package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// MissingPriorityClass flags node agents and kube-system workloads without a
// priority class.
var MissingPriorityClass = &Rule{
	ID:       "missing-priority-class",
	Title:    "system workload without a priorityClassName",
	Severity: model.SeverityInfo,
	Summary:  "A DaemonSet, or a workload in kube-system, runs without a priorityClassName, so it can be left pending or preempted when capacity is short during an upgrade.",
	Doc: `While nodes are drained and replaced, capacity is short and the scheduler decides which
pods run first by priority. Node agents (CNI, CSI, log and metrics collectors, usually
DaemonSets) and cluster services in kube-system (DNS, metrics-server, controllers) are needed
by everything else; at the default priority of zero they compete with application pods, can stay
pending on a fresh node, or be preempted by a higher-priority application.

The rule looks at DaemonSets in every namespace and at every workload (Deployment,
StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod) in kube-system.`,
	Remediation: "Set spec.template.spec.priorityClassName to system-node-critical (node agents) or system-cluster-critical (cluster services), or to a PriorityClass of your own with a high value.",
	Tags:        []string{"scheduling", "upgrade"},
	Kinds:       workloadKinds,
	Check: func(p *Pass) {
		o := p.Object
		if o.Kind != "DaemonSet" && o.EffectiveNamespace() != "kube-system" {
			return
		}
		t, ok := servingPodTemplate(o)
		if !ok {
			return
		}
		if v, set := t.Spec["priorityClassName"]; set && v != nil && v != "" {
			return
		}
		where := "runs on every node"
		if o.Kind != "DaemonSet" {
			where = "runs in kube-system"
		}
		p.Report(Diagnostic{Path: t.SpecPath,
			Message: fmt.Sprintf("pod template of %s has no priorityClassName although it %s; when capacity is short during node drains its pods can stay pending or be preempted", kindName(o), where)})
	},
}
