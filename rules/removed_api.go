package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// RemovedAPI flags objects whose apiVersion/kind the target no longer serves.
var RemovedAPI = &Rule{
	ID:       "removed-api",
	Title:    "API version no longer served at the target",
	Severity: model.SeverityError,
	Summary:  "The object's apiVersion and kind are not served by the target Kubernetes version, so applying it fails.",
	Doc: `Kubernetes removes beta and alpha API versions on a published schedule. Once a release
stops serving an apiVersion, ` + "`kubectl apply`" + `, Helm and GitOps controllers fail with
"no matches for kind" and the object cannot be created or updated. Objects already stored in
the cluster are converted by the API server, but every manifest, chart and overlay that still
uses the old version breaks the next deploy after the upgrade.

The data comes from the lifecycle tags of k8s.io/api, k8s.io/apiextensions-apiserver and
k8s.io/kube-aggregator, and from the OpenAPI documents of every Kubernetes release (see
` + "`kupgrade-lint apis`" + `). For custom resources, a CustomResourceDefinition in the scanned
tree that marks the version ` + "`served: false`" + ` (or does not define it) makes the same
finding.`,
	Remediation: "Change apiVersion to the replacement named in the message and adapt the fields that changed between the versions (the Kubernetes deprecation guide lists them). Do this before the upgrade: the replacement is already served by the current release.",
	Tags:        []string{"api", "upgrade"},
	Check: func(p *Pass) {
		o := p.Object
		if msg, removed, _, handled := crdAPIStatus(p); handled {
			if removed {
				p.Report(Diagnostic{Path: "apiVersion", Message: msg})
			}
			return
		}
		a, ok := p.Lifecycle.Lookup(o.APIVersion, o.Kind)
		if !ok || !a.RemovedAt(p.Target) {
			return
		}
		p.Report(Diagnostic{
			Path:        "apiVersion",
			Message:     removedMessage(p.Lifecycle, a, p.Target),
			Since:       a.Removed,
			Remediation: replacementAdvice(p.Lifecycle, a, p.Target),
		})
	},
}

func removedMessage(db *kubeversion.DB, a *kubeversion.API, target kubeversion.Version) string {
	msg := fmt.Sprintf("%s %s was removed in Kubernetes %s", a.APIVersion(), a.Kind, a.Removed)
	if !a.Deprecated.IsZero() {
		msg += fmt.Sprintf(" (deprecated since %s)", a.Deprecated)
	}
	return msg + "; " + replacementAdvice(db, a, target)
}

// replacementAdvice names the replacement served at the target (following
// chains such as flowcontrol v1beta1 → v1beta3 → v1) and when it became
// available.
func replacementAdvice(db *kubeversion.DB, a *kubeversion.API, target kubeversion.Version) string {
	r, ok := db.ReplacementAt(a, target)
	if !ok {
		if a.Notes != "" {
			return "no direct replacement: " + a.Notes
		}
		return "no replacement API exists"
	}
	s := "use " + r.APIVersion()
	if r.Kind != a.Kind {
		s += " " + r.Kind
	}
	if !r.Introduced.IsZero() {
		s += fmt.Sprintf(" (available since %s)", r.Introduced)
	}
	if a.Notes != "" {
		s += "; " + a.Notes
	}
	return s
}
