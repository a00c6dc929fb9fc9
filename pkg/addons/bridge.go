package addons

import (
	"fmt"
	"sort"

	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// Step is one addon upgrade an upgrade plan needs.
type Step struct {
	// At is the minor the control plane runs when the addon is upgraded: the
	// step happens before the hop from At to At.Next() (for the first step
	// of a detection that is already broken, At is the current minor and
	// the addon must move before anything else).
	At kubeversion.Version
	// From is the version held before the step, To the one to move to; To
	// is empty when the data names no version supporting both sides.
	From, To string
	// Window is the To version's supported minors ("1.28–1.32").
	Window string
	// Track is set for addons released per Kubernetes minor
	// (cluster-autoscaler): they move with the control plane at every hop.
	Track bool
	// Now is set when the held version is already unsupported on the first
	// minor: the step is due before anything else.
	Now bool
	// Reason is one sentence for reports.
	Reason string
}

// Bridges plans the fewest upgrades of detection d that keep it supported
// at every minor from minors[0] to the last one, the control plane moving
// one minor at a time. Each step is taken as late as possible (before the
// hop that would break the held version) and picks the version that
// supports both sides of that hop and stays supported the furthest, the
// lowest such version on ties: a greedy choice that is optimal for
// covering a line of minors with support windows. Nil when d's version is
// unknown or the addon is not in the matrix.
func (m *Matrix) Bridges(d Detection, minors []kubeversion.Version) []Step {
	a, ok := m.Addon(d.Addon)
	if !ok || d.semver == nil || len(minors) == 0 {
		return nil
	}
	if a.MustMatchClusterMinor {
		return a.trackSteps(d, minors)
	}
	cands := a.candidates()
	if !a.judged(d.semver, cands) {
		return nil // no data on this version: nothing to judge
	}
	held := d.semver
	var steps []Step
	reach := func(v *semver.Version, from int) int {
		i := from
		for i < len(minors) && a.okAt(v, minors[i], false) {
			i++
		}
		return i // first minor index not supported
	}
	for i := 0; i < len(minors); i++ {
		if a.okAt(held, minors[i], false) {
			continue
		}
		// A version built for newer minors than the control plane runs
		// (the repository is ahead of the cluster) needs no upgrade: it is
		// unsupported until the control plane reaches its window.
		if j := a.firstOK(held, minors, i); j > i {
			if i == 0 {
				steps = append(steps, Step{At: minors[0], From: versionText(held), Now: true,
					Reason: fmt.Sprintf("%s %s is newer than Kubernetes %s supports (it supports %s); deploy a version that supports %s until the control plane reaches %s", a.Name, versionText(held), minors[0], a.window(held), minors[0], minors[j])})
			}
			i = j - 1
			continue
		}
		// The control plane is at minors[i-1] when the addon moves; for
		// i == 0 it is already unsupported today.
		lo := i - 1
		if lo < 0 {
			lo = 0
		}
		var best *semver.Version
		bestReach := -1
		for _, c := range cands {
			if !c.GreaterThan(held) || !a.okAt(c, minors[lo], false) {
				continue
			}
			r := reach(c, lo)
			if r <= i {
				continue
			}
			if r > bestReach {
				best, bestReach = c, r
			}
		}
		at := minors[lo]
		if best == nil && a.firstOK(held, minors, 0) < 0 && a.window(held) != "" && i == 0 {
			steps = append(steps, Step{At: at, From: versionText(held), Now: true,
				Reason: fmt.Sprintf("%s %s supports Kubernetes %s, none of the minors from %s to %s; deploy a version the data lists for them", a.Name, versionText(held), a.window(held), minors[0], minors[len(minors)-1])})
			break
		}
		if best == nil {
			both := fmt.Sprintf("both %s and %s", minors[lo], minors[i])
			if i == 0 {
				both = minors[0].String()
			}
			steps = append(steps, Step{At: at, From: versionText(held), Now: i == 0,
				Reason: fmt.Sprintf("%s %s does not support Kubernetes %s and the data names no newer version that supports %s; check the project's release notes", a.Name, versionText(held), minors[i], both)})
			break
		}
		win := a.window(best)
		reason := fmt.Sprintf("%s %s does not support Kubernetes %s; upgrade it to %s", a.Name, versionText(held), minors[i], best)
		if win != "" {
			reason += " (supports " + win + ")"
		}
		if i == 0 {
			reason += " now: it is already unsupported on the current version"
		} else {
			reason += " while the control plane still runs " + minors[lo].String()
		}
		steps = append(steps, Step{At: at, From: versionText(held), To: best.String(), Window: win, Now: i == 0, Reason: reason})
		held = best
		i = bestReach - 1
	}
	return steps
}

// Known reports whether the matrix has compatibility rows for d's version,
// so that Bridges returning no steps means "supported throughout".
func (m *Matrix) Known(d Detection) bool {
	a, ok := m.Addon(d.Addon)
	return ok && d.semver != nil && a.judged(d.semver, a.candidates())
}

// judged reports whether the data says anything about v: a row matches it,
// or it is older than every version the data lists (and so outside every
// supported window the project publishes).
func (a *Addon) judged(v *semver.Version, cands []*semver.Version) bool {
	return len(a.rowsFor(v)) > 0 || (len(cands) > 0 && v.LessThan(cands[0]))
}

// firstOK is the index of the first minor at or after i that v supports,
// -1 when none.
func (a *Addon) firstOK(v *semver.Version, minors []kubeversion.Version, i int) int {
	for j := i; j < len(minors); j++ {
		if a.okAt(v, minors[j], false) {
			return j
		}
	}
	return -1
}

// window is the supported minors of v for messages, empty when no
// supported or minimum row names them.
func (a *Addon) window(v *semver.Version) string {
	for _, r := range a.rowsFor(v) {
		if r.Kind == Supported || r.Kind == Minimum {
			return r.Window()
		}
	}
	return ""
}

// trackSteps says at every hop that a per-minor addon moves with the
// control plane.
func (a *Addon) trackSteps(d Detection, minors []kubeversion.Version) []Step {
	var steps []Step
	held := versionText(d.semver)
	cur := minors[0]
	if int(d.semver.Major()) != cur.Major || int(d.semver.Minor()) != cur.Minor {
		steps = append(steps, Step{At: cur, From: held, To: cur.String() + ".x", Track: true, Now: true,
			Reason: fmt.Sprintf("%s %s is built for Kubernetes %d.%d; run %s.x on %s already", a.Name, held, d.semver.Major(), d.semver.Minor(), cur, cur)})
		held = cur.String() + ".x"
	}
	for i := 1; i < len(minors); i++ {
		steps = append(steps, Step{At: minors[i-1], From: held, To: minors[i].String() + ".x", Track: true,
			Reason: fmt.Sprintf("%s must match the control plane minor: upgrade it to %s.x together with the control plane", a.Name, minors[i])})
		held = minors[i].String() + ".x"
	}
	return steps
}

// candidates are the lowest versions of every row, ascending, without
// duplicates.
func (a *Addon) candidates() []*semver.Version {
	seen := map[string]bool{}
	var out []*semver.Version
	for _, r := range a.Versions {
		lb := lowerBound(r.Versions)
		if lb == nil || seen[lb.String()] {
			continue
		}
		seen[lb.String()] = true
		out = append(out, lb)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LessThan(out[j]) })
	return out
}

func versionText(v *semver.Version) string { return v.Original() }
