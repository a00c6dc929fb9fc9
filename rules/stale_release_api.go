package rules

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// StaleReleaseAPI flags Helm chart objects whose stored release manifest
// will still hold an API that the upgrade removes.
var StaleReleaseAPI = &Rule{
	ID:       "stale-release-api",
	Title:    "stored Helm release holds an API the upgrade removes",
	Severity: model.SeverityError,
	Summary:  "A chart that follows .Capabilities renders an API today that a later hop removes, so helm upgrade fails on the stored release manifest unless the chart is redeployed in time.",
	Doc: `Helm stores the manifest of every release it deploys and reads it back on the next
` + "`helm upgrade`" + `. Charts that branch on ` + "`.Capabilities.APIVersions`" + ` render the newest API
the cluster serves, so the release deployed today holds today's API version. When a later
control-plane hop removes that version, the next upgrade fails with "unable to build kubernetes
objects from current release manifest", even though the chart itself already renders the
replacement.

This rule needs the current version (` + "`--current-version`" + `). In ` + "`scan`" + ` it infers the
stored API from the lifecycle data: the object renders an API for the target that the current
version does not serve yet, so the release deployed today holds an older version that the
upgrade removes (a chart that keeps rendering the old version while both are served is not
visible this way). ` + "`kupgrade-lint plan`" + ` renders every chart for each minor and reports
what each minor actually renders, including that case. Both say in which window of minors a redeploy refreshes the stored
manifest, in the hop that removes the old API.`,
	Remediation: "Run helm upgrade for the release while the control plane runs a minor in the window the message names, so the stored manifest holds the replacement; otherwise rewrite the stored release with helm mapkubeapis before the hop that removes the old API.",
	Tags:        []string{"api", "helm", "upgrade"},
	Check: func(p *Pass) {
		o := p.Object
		if p.Current.IsZero() || o.Source.Kind != model.SourceHelm {
			return
		}
		now, ok := p.Lifecycle.Lookup(o.APIVersion, o.Kind)
		if !ok || now.ServedAt(p.Current) || now.Introduced.IsZero() {
			return
		}
		old := storedAPI(p.Lifecycle, now, p.Current, p.Target)
		if old == nil {
			return
		}
		start := newerFrom(p.Lifecycle, old)
		if start.IsZero() || start.Less(p.Current.Next()) {
			start = p.Current.Next()
		}
		last := kubeversion.Version{Major: old.Removed.Major, Minor: old.Removed.Minor - 1}
		msg := fmt.Sprintf("chart %s renders %s %s as %s for %s, which %s does not serve, so the release deployed today holds %s",
			o.Source.Origin, o.Kind, o.Name, o.APIVersion, p.Target, p.Current, old.APIVersion())
		if last.Less(start) {
			msg += fmt.Sprintf(" and no minor before %s removes it serves a newer version: rewrite the stored release with helm mapkubeapis before that hop", old.Removed)
		} else {
			win := start.String()
			if start != last {
				win += "–" + last.String()
			}
			msg += fmt.Sprintf("; redeploy it on %s, before the hop to %s removes %s, or helm upgrade fails on the stored release manifest", win, old.Removed, old.APIVersion())
		}
		p.Report(Diagnostic{Path: "apiVersion", Message: msg, Since: old.Removed})
	},
}

// storedAPI is the API of kind a.Kind that a chart following .Capabilities
// rendered on current (the newest served there whose replacement chain
// leads to a) when the upgrade to target removes it; nil otherwise.
func storedAPI(db *kubeversion.DB, a *kubeversion.API, current, target kubeversion.Version) *kubeversion.API {
	var best *kubeversion.API
	apis := db.APIs()
	for i := range apis {
		c := &apis[i]
		if c.Kind != a.Kind || !c.ServedAt(current) || !c.RemovedAt(target) || c.DefaultOff {
			continue
		}
		if r, ok := db.ReplacementAt(c, target); !ok || r.GVK() != a.GVK() {
			continue
		}
		if best == nil || best.Introduced.Less(c.Introduced) {
			best = c
		}
	}
	return best
}

// newerFrom is the first minor that serves a newer version of old's kind
// (same group, or on old's replacement chain): from there a chart that
// follows .Capabilities stops rendering old. Zero when none is known.
func newerFrom(db *kubeversion.DB, old *kubeversion.API) kubeversion.Version {
	var first kubeversion.Version
	consider := func(b *kubeversion.API) {
		if b.Introduced.IsZero() || !old.Introduced.Less(b.Introduced) || b.DefaultOff {
			return
		}
		if first.IsZero() || b.Introduced.Less(first) {
			first = b.Introduced
		}
	}
	apis := db.APIs()
	for i := range apis {
		if b := &apis[i]; b.Kind == old.Kind && b.Group == old.Group && b.GVK() != old.GVK() {
			consider(b)
		}
	}
	if r, ok := db.ReplacementAt(old, old.Removed); ok {
		consider(r)
	}
	return first
}
