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
func staleReleases(in Input, minors []kubeversion.Version) ([]model.Finding, []RedeployWindow) {
	if in.Lifecycle == nil || len(minors) < 2 {
		return nil, nil
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
	var wins []RedeployWindow
	for _, o := range in.Reports[0].Objects {
		if o.SourceKind != model.SourceHelm {
			continue
		}
		k := objKey{o.Origin, o.File, o.Kind, o.Namespace, o.Name}
		// seq[i] is the apiVersion the chart renders at minors[i] ("" when
		// it renders no such object there).
		seq := make([]string, len(minors))
		for i := range minors {
			seq[i] = at[i][k].APIVersion
		}
		// Every apiVersion the release may be stored with: today's, and
		// those of the minors a redeploy may happen on during the walk.
		done := map[string]bool{}
		for _, av := range seq {
			if av == "" || done[av] {
				continue
			}
			done[av] = true
			if f, w, ok := staleFinding(in, minors, o, seq, av); ok {
				out = append(out, f)
				if w.From != "" {
					wins = append(wins, w)
				}
			}
		}
	}
	return out, wins
}

// staleFinding reports the release of object o stored with apiVersion av
// when a hop removes av while the chart renders another version there.
func staleFinding(in Input, minors []kubeversion.Version, o model.ObjectRef, seq []string, av string) (model.Finding, RedeployWindow, bool) {
	api, ok := in.Lifecycle.Lookup(av, o.Kind)
	if !ok || api.Removed.IsZero() {
		return model.Finding{}, RedeployWindow{}, false
	}
	r := -1 // index of the minor that removes av
	for i, m := range minors {
		if i > 0 && api.RemovedAt(m) {
			r = i
			break
		}
	}
	if r < 0 || seq[r] == "" || seq[r] == av {
		// Not removed in the range, gone, or still rendered with the
		// removed API: removed-api reports that at the hop.
		return model.Finding{}, RedeployWindow{}, false
	}
	last := -1 // the last minor before r that renders av
	for i := 0; i < r; i++ {
		if seq[i] == av {
			last = i
		}
	}
	if last < 0 {
		return model.Finding{}, RedeployWindow{}, false
	}
	removed, rm := minors[r], minors[r-1]
	next := seq[last+1]
	var msg, fix string
	fp := fingerprint(StaleReleaseRule, o.Origin, o.File, o.Kind, o.Namespace, o.Name, av)
	var win RedeployWindow
	if last+1 < r {
		win = RedeployWindow{Fingerprint: fp, From: minors[last+1].String(), To: rm.String()}
		msg = fmt.Sprintf("chart %s renders %s %s as %s until %s and as %s from %s; redeploy it on %s, before the hop to %s removes %s, or helm upgrade fails on the stored release manifest",
			o.Origin, o.Kind, o.Name, av, minors[last], next, minors[last+1], window(minors[last+1], rm), removed, av)
		fix = fmt.Sprintf("Run helm upgrade for this release while the control plane runs %s so the stored manifest holds %s; otherwise rewrite the stored release with helm mapkubeapis before the hop to %s.", window(minors[last+1], rm), next, removed)
	} else {
		msg = fmt.Sprintf("chart %s renders %s %s as %s until %s and as %s only from %s: no minor of the plan refreshes the stored release before the hop to %s removes %s, so helm upgrade fails on the stored release manifest",
			o.Origin, o.Kind, o.Name, av, rm, next, removed, removed, av)
		fix = fmt.Sprintf("Rewrite the stored release with helm mapkubeapis (to %s) before the hop to %s, or make the chart render %s earlier and redeploy.", next, removed, next)
	}
	return model.Finding{
		Rule: StaleReleaseRule, Severity: in.StaleReleaseSeverity, Message: msg,
		File: o.File, Line: o.Line, APIVersion: av, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name,
		Origin: o.Origin, SourceKind: o.SourceKind, Remediation: fix, Since: removed.String(),
		Timing: "upgrade", Hop: hopName(rm, removed),
		Fingerprint: fp,
	}, win, true
}

func window(from, to kubeversion.Version) string {
	if from == to {
		return from.String()
	}
	return from.String() + "–" + to.String()
}
