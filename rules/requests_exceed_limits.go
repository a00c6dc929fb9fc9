package rules

import (
	"fmt"
	"sort"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// RequestsExceedLimits flags requests above their limits.
var RequestsExceedLimits = &Rule{
	ID:       "requests-exceed-limits",
	Title:    "resource request above its limit",
	Severity: model.SeverityError,
	Summary:  "A container requests more of a resource than its limit allows, which the API server rejects.",
	Doc: `The API server validates that every request is at most the matching limit. A pod template
that breaks this is rejected: the workload's controller cannot create pods, so after the
upgrade evicts the old pods nothing replaces them. The mistake often hides in values files,
where a request was raised and the limit forgotten.

Quantities are compared with Kubernetes quantity semantics (500m is less than 1, 1Gi is more
than 1G). Values that are not valid quantities, such as unrendered template text, are skipped.`,
	Remediation: "Lower the request or raise the limit so that every request is at most its limit.",
	Tags:        []string{"resources", "validation"},
	Kinds:       workloadKinds,
	Check: func(p *Pass) {
		t, ok := podTemplateOf(p.Object)
		if !ok {
			return
		}
		for _, c := range t.containers() {
			r := resourcesOf(c)
			names := make([]string, 0, len(r.Requests))
			for k := range r.Requests {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, name := range names {
				req, ok1 := parseQuantity(r.Requests[name])
				lim, ok2 := parseQuantity(r.Limits[name])
				if !ok1 || !ok2 || req.Cmp(lim) <= 0 {
					continue
				}
				p.Report(Diagnostic{Path: model.JoinKey(r.Base+".requests", name), Key: c.Name + "/" + name,
					Message: fmt.Sprintf("%s of %s requests %s %s but its limit is %s; the API server rejects the pod because a request may not exceed its limit",
						c.Label(), kindName(p.Object), text(r.Requests[name]), name, text(r.Limits[name]))})
			}
		}
	},
}
