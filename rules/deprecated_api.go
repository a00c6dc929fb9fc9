package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// DeprecatedAPI flags objects whose apiVersion is deprecated at the target.
var DeprecatedAPI = &Rule{
	ID:       "deprecated-api",
	Title:    "API version deprecated at the target",
	Severity: model.SeverityWarning,
	Summary:  "The object's apiVersion is still served by the target version but deprecated and scheduled for removal.",
	Doc: `A deprecated API version still works, but the API server returns a warning on every
request and a later release removes it. Migrating while both versions are served is the cheap
moment: after the removal the manifest fails to apply. Custom resources are deprecated when a
CustomResourceDefinition in the scanned tree marks their version ` + "`deprecated: true`" + `; the
message then carries the CRD's deprecationWarning.`,
	Remediation: "Move to the replacement apiVersion named in the message while both versions are served.",
	Tags:        []string{"api", "upgrade"},
	Check: func(p *Pass) {
		o := p.Object
		if msg, _, deprecated, handled := crdAPIStatus(p); handled {
			if deprecated {
				p.Report(Diagnostic{Path: "apiVersion", Message: msg})
			}
			return
		}
		a, ok := p.Lifecycle.Lookup(o.APIVersion, o.Kind)
		if !ok || !a.DeprecatedAt(p.Target) {
			return
		}
		msg := fmt.Sprintf("%s %s is deprecated since Kubernetes %s", a.APIVersion(), a.Kind, a.Deprecated)
		switch {
		case a.Projected:
			msg += fmt.Sprintf(" and is projected to be removed in %s (the default for alpha APIs, not a scheduled removal)", a.Removed)
		case !a.Removed.IsZero():
			msg += fmt.Sprintf(" and will be removed in %s", a.Removed)
		}
		p.Report(Diagnostic{
			Path:        "apiVersion",
			Message:     msg + "; " + replacementAdvice(p.Lifecycle, a, p.Target),
			Since:       a.Deprecated,
			Remediation: replacementAdvice(p.Lifecycle, a, p.Target),
		})
	},
}
