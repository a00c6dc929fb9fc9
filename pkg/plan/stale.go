package plan

import (
	"fmt"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// objKey identifies one chart object across the per-minor renders; the
// apiVersion is left out because that is what a chart following
// .Capabilities changes.
type objKey struct{ origin, file, kind, ns, name string }

// staleReleases finds chart objects that render an API at the current
// minor which a later hop removes, while the chart renders another version
// by the time of the removal. Helm keeps the manifest of the last deploy;
// if that still holds the removed API, `helm upgrade` fails after the hop
// ("unable to build kubernetes objects from current release manifest").
// The window is the run of minors just before the removal in which the
// chart already renders the replacement: redeploying there refreshes the
// stored manifest.
func staleReleases(in Input, minors []kubeversion.Version) []model.Finding {
	if in.Lifecycle == nil || len(minors) < 2 {
		return nil
	}
	at := make([]map[objKey]model.ObjectRef, len(minors))
	for i, rep := range in.Reports {
		at[i] = map[objKey]model.ObjectRef{}
		for _, o := range rep.Objects {
			if o.SourceKind != model.SourceHelm {
				continue
			}
			at[i][objKey{o.Origin, o.File, o.Kind, o.Namespace, o.Name}] = o
		}
	}
	var out []model.Finding
	for _, o := range in.Reports[0].Objects {
		if o.SourceKind != model.SourceHelm {
			continue
		}
		api, ok := in.Lifecycle.Lookup(o.APIVersion, o.Kind)
		if !ok || api.Removed.IsZero() {
			continue
		}
		r := -1 // index of the minor that removes the API
		for i, m := range minors {
			if i > 0 && api.RemovedAt(m) {
				r = i
				break
			}
		}
		if r < 0 {
			continue
		}
		k := objKey{o.Origin, o.File, o.Kind, o.Namespace, o.Name}
		atR, ok := at[r][k]
		if !ok || atR.APIVersion == o.APIVersion {
			// Gone, or still rendered with the removed API: removed-api
			// reports that at the hop.
			continue
		}
		start := r
		for start-1 > 0 {
			prev, ok := at[start-1][k]
			if !ok || prev.APIVersion == o.APIVersion {
				break
			}
			start--
		}
		removed, rm := minors[r], minors[r-1]
		var msg, fix string
		if start < r {
			msg = fmt.Sprintf("chart %s renders %s %s as %s until %s and as %s from %s; redeploy it on %s, before the hop to %s removes %s, or helm upgrade fails on the stored release manifest",
				o.Origin, o.Kind, o.Name, o.APIVersion, minors[start-1], atR.APIVersion, minors[start], window(minors[start], rm), removed, o.APIVersion)
			fix = fmt.Sprintf("Run helm upgrade for this release while the control plane runs %s so the stored manifest holds %s; otherwise rewrite the stored release with helm mapkubeapis before the hop to %s.", window(minors[start], rm), atR.APIVersion, removed)
		} else {
			msg = fmt.Sprintf("chart %s renders %s %s as %s until %s and as %s only from %s: no minor of the plan refreshes the stored release before the hop to %s removes %s, so helm upgrade fails on the stored release manifest",
				o.Origin, o.Kind, o.Name, o.APIVersion, rm, atR.APIVersion, removed, removed, o.APIVersion)
			fix = fmt.Sprintf("Rewrite the stored release with helm mapkubeapis (to %s) before the hop to %s, or make the chart render %s earlier and redeploy.", atR.APIVersion, removed, atR.APIVersion)
		}
		out = append(out, model.Finding{
			Rule: StaleReleaseRule, Severity: in.StaleReleaseSeverity, Message: msg,
			File: o.File, Line: o.Line, APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name,
			Origin: o.Origin, SourceKind: o.SourceKind, Remediation: fix, Since: removed.String(),
			Timing: "upgrade", Hop: hopName(rm, removed),
			Fingerprint: fingerprint(StaleReleaseRule, o.Origin, o.File, o.Kind, o.Namespace, o.Name, o.APIVersion),
		})
	}
	return out
}

func window(from, to kubeversion.Version) string {
	if from == to {
		return from.String()
	}
	return from.String() + "–" + to.String()
}
