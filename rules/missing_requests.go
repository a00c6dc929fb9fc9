package rules

import (
	"fmt"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// MissingRequests flags containers without CPU or memory requests.
var MissingRequests = &Rule{
	ID:       "missing-requests",
	Title:    "container without CPU or memory requests",
	Severity: model.SeverityWarning,
	Summary:  "A container or init container sets no CPU or no memory request, so the scheduler cannot place it reliably when nodes are drained.",
	Doc: `During an upgrade every pod is evicted and scheduled again, often onto fewer nodes while
one is drained. The scheduler places pods by their requests: a container without requests
counts as needing nothing, so pods are packed onto nodes that cannot actually run them, get
throttled or OOM-killed, or evict others (pods without requests are BestEffort and are the
first to go under node pressure).

A request counts as set when resources.requests names it, when resources.limits names it (the
API server then defaults the request to the limit), when the pod sets pod-level
spec.resources.requests, or when a LimitRange of type Container in the same namespace of the
scan provides a default or defaultRequest. Init containers are checked too: their requests
take part in scheduling.`,
	Remediation: "Set resources.requests.cpu and resources.requests.memory on every container to what it really uses (for example from monitoring), or add a LimitRange with defaultRequest in the namespace.",
	Tags:        []string{"resources", "scheduling", "upgrade"},
	Kinds:       workloadKinds,
	Scanwide:    true, // LimitRange defaults of the namespace
	Check: func(p *Pass) {
		pod := servingPod(p.Object)
		if pod == nil {
			return
		}
		lr := limitRangesOf(p)[p.Object.EffectiveNamespace()]
		for _, cf := range pod.containers {
			var missing []string
			for _, res := range []struct{ key, label string }{{"cpu", "CPU"}, {"memory", "memory"}} {
				if cf.req.has(res.key) || cf.lim.has(res.key) || pod.podReq.has(res.key) || lr != nil && lr.Requests[res.key] {
					continue
				}
				missing = append(missing, res.label)
			}
			if len(missing) == 0 {
				continue
			}
			cf.reqPos.report(p, p.Object, Diagnostic{Path: cf.reqPath(pod.specPath), Key: cf.name,
				Message: fmt.Sprintf("%s of %s has no %s request; the scheduler cannot place its pods reliably when nodes are drained during the upgrade",
					cf.label(), kindName(p.Object), strings.Join(missing, " or "))})
		}
	},
}
