package rules

import (
	"fmt"
	"strings"
	"sync"

	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addonapis"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// Custom resources of known addons whose CRD is not in the scan are judged
// with the generated addon API data (pkg/addonapis): removed-api and
// deprecated-api through addonAPIStatus (called by crdAPIStatus when no
// scanned CRD defines the kind), schema-invalid and unknown-schema through
// schemaValidatorFor. A CRD in the scan always wins.

// addonAPIStatus is crdAPIStatus for kinds only the addon data knows: the
// object's version is judged against the addon releases the repository runs
// (detected), else those whose compatibility matrix supports the target,
// else every release read.
func addonAPIStatus(p *Pass) (msg string, removed, deprecated, handled bool) {
	o := p.Object
	group := o.Group()
	if !strings.Contains(group, ".") || o.Kind == "" {
		return "", false, false, false
	}
	db := addonapis.Default()
	in, ok := db.Lookup(group, o.Version(), o.Kind)
	if !ok {
		return "", false, false, false
	}
	rels, scope := addonReleases(p, db, in)
	if len(rels) == 0 {
		return "", false, false, false
	}
	var serving []string
	for _, r := range rels {
		if addonapis.In(in.Served, r) {
			serving = append(serving, r)
		}
	}
	newest := rels[len(rels)-1]
	use := addonReplacement(db, in, newest)
	if len(serving) == 0 {
		msg = fmt.Sprintf("no %s release %s serves %s %s", in.Addon, scope, o.APIVersion, o.Kind)
		switch {
		case !in.VersionKnown:
			msg += fmt.Sprintf("; no %s release defines version %s", in.Addon, o.Version())
		case len(in.Served) > 0:
			// Releases between two read ones are not known: name both ends.
			last := in.Served[len(in.Served)-1]
			msg += fmt.Sprintf("; last served by %s %s", in.Addon, last)
			if next := releaseAfter(db, in.Addon, last); next != "" {
				msg += ", no longer by " + next
			}
		}
		return msg + use, true, false, true
	}
	last := serving[len(serving)-1]
	if !addonapis.In(in.Deprecated, last) {
		return "", false, false, true
	}
	msg = fmt.Sprintf("%s %s is deprecated in %s %s", o.APIVersion, o.Kind, in.Addon, last)
	if in.DeprecationWarning != "" {
		msg += ": " + strings.TrimSuffix(in.DeprecationWarning, ".")
	}
	return msg + use, false, true, true
}

// addonReleases returns the releases of in's addon to judge against, in
// ascending order, and how they were chosen for messages. Releases whose
// inputs had gaps and that do not define the kind are left out: the kind's
// status there is unknown.
func addonReleases(p *Pass, db *addonapis.DB, in addonapis.Info) ([]string, string) {
	a, ok := db.Addon(in.Addon)
	if !ok {
		return nil, ""
	}
	known := func(r addonapis.Release) bool { return len(r.Gaps) == 0 || addonapis.In(in.KindDefined, r.Version) }
	// The version the repository runs, when an addon rule detected one.
	if a.Matrix != "" {
		var picked []string
		var detected []string
		for _, d := range addonDetections(p) {
			v := d.Semver()
			if d.Addon != a.Matrix || v == nil {
				continue
			}
			detected = append(detected, d.Version)
			best := ""
			for _, r := range a.Releases {
				rv, err := semver.NewVersion(r.Version)
				if err != nil || !known(r) || rv.GreaterThan(v) {
					continue
				}
				best = r.Version // ascending: ends at the newest not after v
			}
			if best != "" && !addonapis.In(picked, best) {
				picked = append(picked, best)
			}
		}
		if len(picked) > 0 {
			sortReleases(picked)
			return picked, fmt.Sprintf("matching the version the repository runs (%s)", strings.Join(detected, ", "))
		}
	}
	if sup, ok := db.Supporting(addonMatrix(p), in.Addon, p.Target); ok && len(sup) > 0 {
		var out []string
		for _, r := range a.Releases {
			if addonapis.In(sup, r.Version) && known(r) {
				out = append(out, r.Version)
			}
		}
		if len(out) > 0 {
			return out, fmt.Sprintf("that supports Kubernetes %s", p.Target)
		}
	}
	var out []string
	for _, r := range a.Releases {
		if known(r) {
			out = append(out, r.Version)
		}
	}
	if len(out) == 0 {
		return nil, ""
	}
	return out, fmt.Sprintf("from %s to %s", out[0], out[len(out)-1])
}

func sortReleases(rs []string) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && semver.MustParse(rs[j]).LessThan(semver.MustParse(rs[j-1])); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

// releaseAfter is the first read release of addon after r.
func releaseAfter(db *addonapis.DB, addon, r string) string {
	a, _ := db.Addon(addon)
	for i, x := range a.Releases {
		if x.Version == r && i+1 < len(a.Releases) {
			return a.Releases[i+1].Version
		}
	}
	return ""
}

// addonReplacement names the other versions of the kind that release
// serves, in the group the kind moved to when it did.
func addonReplacement(db *addonapis.DB, in addonapis.Info, release string) string {
	var use []string
	group, versions := in.Group, in.Versions
	if in.MovedTo != "" {
		to, _ := db.Lookup(in.MovedTo, "", in.Kind)
		group, versions = in.MovedTo, to.Versions
	}
	for _, v := range versions {
		if group == in.Group && v == in.Version {
			continue
		}
		if x, _ := db.Lookup(group, v, in.Kind); addonapis.In(x.Served, release) && !addonapis.In(x.Deprecated, release) {
			use = append(use, group+"/"+v)
		}
	}
	if len(use) == 0 {
		return ""
	}
	return "; use " + strings.Join(use, " or ")
}

// schemaValidatorFor returns the validator for o: the scan's, or, when
// neither a scanned CRD nor a schema location describes o, one holding the
// embedded addon schema of its kind. Nil when schema validation is off.
func schemaValidatorFor(p *Pass, o *model.Object) *schema.Validator {
	v := validatorFor(p)
	if v == nil || o.APIVersion == "" || o.Kind == "" || v.CRDName(o.APIVersion, o.Kind) != "" {
		return v
	}
	if st, _ := v.Lookup(o.APIVersion, o.Kind); st != schema.NoSchema {
		return v
	}
	// One addon validator per scan and target; a kind's embedded CRD is
	// added the first time an object of it is checked, so the result does
	// not depend on which objects a streaming scan has seen, and Kubernetes'
	// own definitions are compiled once.
	as, _ := p.Shared("addonapis.validator/"+v.Target().String(), func() any { return newAddonSchemas(v) }).(*addonSchemas)
	av := as.forKind(o)
	if av == nil {
		return v
	}
	if st, _ := av.Lookup(o.APIVersion, o.Kind); st == schema.NoSchema {
		return v
	}
	return av
}

// addonSchemas is the validator of the scan's custom resources that no
// scanned CRD or schema location describes, filled from the addon data.
type addonSchemas struct {
	mu    sync.Mutex
	v     *schema.Validator
	tried map[[2]string]bool
}

func newAddonSchemas(base *schema.Validator) *addonSchemas {
	v, err := base.Blank()
	if err != nil {
		return &addonSchemas{}
	}
	return &addonSchemas{v: v, tried: map[[2]string]bool{}}
}

// forKind returns the validator holding o's kind from the addon data, or
// nil when the data has no schema for it.
func (a *addonSchemas) forKind(o *model.Object) *schema.Validator {
	if a == nil || a.v == nil || !strings.Contains(o.Group(), ".") || schema.IsCRD(o) {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	g := [2]string{o.Group(), o.Kind}
	if !a.tried[g] {
		a.tried[g] = true
		addAddonCRD(a.v, addonapis.Default(), g[0], g[1])
	}
	return a.v
}

// addAddonCRD registers a CustomResourceDefinition made from the addon data
// for one kind (every version it ever had, with the newest schema of each
// served one).
func addAddonCRD(v *schema.Validator, db *addonapis.DB, group, kindName string) {
	g := struct{ group, kind string }{group, kindName}
	in0, ok := db.Lookup(g.group, "", g.kind)
	if !ok {
		return
	}
	var versions []any
	for _, name := range in0.Versions {
		in, _ := db.Lookup(g.group, name, g.kind)
		ver := map[string]any{"name": name, "served": len(in.Served) > 0}
		if len(in.Served) > 0 {
			s, err := db.Schema(in)
			if err != nil || s == nil {
				// No usable schema: leave the kind to unknown-schema.
				versions = nil
				break
			}
			ver["schema"] = map[string]any{"openAPIV3Schema": s}
		}
		versions = append(versions, ver)
	}
	if len(versions) == 0 {
		return
	}
	newest := in0.KindDefined[len(in0.KindDefined)-1]
	crd := &model.Object{
		APIVersion: "apiextensions.k8s.io/v1", Kind: "CustomResourceDefinition",
		Name: fmt.Sprintf("%s (embedded, %s %s)", in0.CRD, in0.Addon, newest),
		Data: map[string]any{"spec": map[string]any{
			"group": g.group, "names": map[string]any{"kind": g.kind}, "versions": versions,
		}},
	}
	_ = v.AddCRD(crd)
}
