package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// MissingMemoryLimit flags containers without a memory limit.
var MissingMemoryLimit = &Rule{
	ID:       "missing-memory-limit",
	Title:    "container without a memory limit",
	Severity: model.SeverityInfo,
	Summary:  "A container or init container sets no memory limit, so it can use all of a node's memory.",
	Doc: `While nodes are drained, the remaining nodes run more pods than usual. A container without a
memory limit can grow until the node runs out of memory; the kubelet then evicts or the kernel
OOM-kills pods that did nothing wrong, which turns a rolling upgrade into cascading restarts.
Unlike CPU, memory cannot be throttled, so a memory limit is the only bound.

A limit counts as set when resources.limits.memory is set, when the pod sets pod-level
spec.resources.limits.memory, or when a LimitRange of type Container in the same namespace of
the scan provides a default memory limit.`,
	Remediation: "Set resources.limits.memory on the container (commonly equal to the memory request), or add a LimitRange with a default memory limit in the namespace.",
	Tags:        []string{"resources", "upgrade"},
	Kinds:       workloadKinds,
	Scanwide:    true, // LimitRange defaults of the namespace
	Check: func(p *Pass) {
		pod := servingPod(p.Object)
		if pod == nil {
			return
		}
		lr := limitRangesOf(p)[p.Object.EffectiveNamespace()]
		if pod.podLim.has("memory") || lr != nil && lr.Limits["memory"] {
			return
		}
		for _, cf := range pod.containers {
			if cf.lim.has("memory") {
				continue
			}
			cf.limPos.report(p, p.Object, Diagnostic{Path: cf.limPath(pod.specPath), Key: cf.name,
				Message: fmt.Sprintf("%s of %s has no memory limit; it can exhaust a node's memory while drained pods are packed onto fewer nodes", cf.label(), kindName(p.Object))})
		}
	},
}
