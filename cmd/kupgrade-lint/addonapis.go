package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addonapis"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// addonAPI is one group/version/kind of an addon with its status for the
// releases that support the target.
type addonAPI struct {
	info                addonapis.Info
	status              string // served, deprecated or removed
	deprecated, removed string // "cert-manager 1.4.0", "" when never
	replacement         string
}

// addonAPIs lists every group/version/kind of the addon API data, sorted by
// addon, group, version and kind. The status is judged against the
// releases whose compatibility rows support target (all read releases when
// the matrix says nothing), the way removed-api and deprecated-api do.
func addonAPIs(db *addonapis.DB, m *addons.Matrix, target kubeversion.Version) []addonAPI {
	var out []addonAPI
	for _, gk := range db.Kinds() {
		i := strings.LastIndex(gk, "/")
		group, kind := gk[:i], gk[i+1:]
		base, ok := db.Lookup(group, "", kind)
		if !ok {
			continue
		}
		a, _ := db.Addon(base.Addon)
		rels, known := db.Supporting(m, base.Addon, target)
		if !known {
			rels = nil
			for _, r := range a.Releases {
				rels = append(rels, r.Version)
			}
		}
		newest := ""
		if n := len(a.Releases); n > 0 {
			newest = a.Releases[n-1].Version
		}
		for _, v := range base.Versions {
			in, _ := db.Lookup(group, v, kind)
			e := addonAPI{info: in, status: "removed"}
			deprecatedAll := true
			for _, r := range rels {
				if contains(in.Served, r) {
					e.status = "served"
					deprecatedAll = deprecatedAll && contains(in.Deprecated, r)
				}
			}
			if e.status == "served" && deprecatedAll && len(in.Deprecated) > 0 {
				e.status = "deprecated"
			}
			if len(in.Deprecated) > 0 {
				e.deprecated = base.Addon + " " + in.Deprecated[0]
			}
			if n := len(in.Served); n > 0 {
				if next := firstAfter(a.Releases, in.Served[n-1]); next != "" {
					e.removed = base.Addon + " " + next
				}
			}
			if e.status != "served" || e.deprecated != "" {
				e.replacement = servedBy(db, in, newest)
			}
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].info, out[j].info
		if a.Addon != b.Addon {
			return a.Addon < b.Addon
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Kind < b.Kind
	})
	return out
}

// servedBy names the apiVersion that the newest release serves the kind
// at: another version of the group, or the group it moved to.
func servedBy(db *addonapis.DB, in addonapis.Info, newest string) string {
	if in.MovedTo != "" {
		if to, ok := db.Lookup(in.MovedTo, "", in.Kind); ok {
			for i := len(to.Versions) - 1; i >= 0; i-- {
				if v, _ := db.Lookup(in.MovedTo, to.Versions[i], in.Kind); contains(v.Served, newest) && !contains(v.Deprecated, newest) {
					return in.MovedTo + "/" + v.Version
				}
			}
		}
		return in.MovedTo
	}
	for _, ver := range in.Versions {
		if ver == in.Version {
			continue
		}
		if v, _ := db.Lookup(in.Group, ver, in.Kind); contains(v.Served, newest) && !contains(v.Deprecated, newest) {
			return in.Group + "/" + ver
		}
	}
	return ""
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// firstAfter returns the first read release newer than v.
func firstAfter(rels []addonapis.Release, v string) string {
	cur, err := semver.NewVersion(v)
	if err != nil {
		return ""
	}
	for _, r := range rels {
		if rv, err := semver.NewVersion(r.Version); err == nil && rv.GreaterThan(cur) {
			return r.Version
		}
	}
	return ""
}

// writeAddonAPIRows appends the addon APIs to the apis table: every
// group/version/kind, marked as an addon API with the addon's name.
func writeAddonAPIRows(tw io.Writer, db *addonapis.DB, m *addons.Matrix, target kubeversion.Version) {
	for _, e := range addonAPIs(db, m, target) {
		in := e.info
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\t%s\t%s\n", e.status, in.Group, in.Version, in.Kind,
			dash(e.deprecated), dash(e.removed), dash(e.replacement), "addon API ("+in.Addon+")")
	}
}

// writeAddonAPIData prints, per addon, the releases whose CRDs were read
// and each group's versions with the releases that serve them.
func writeAddonAPIData(w io.Writer, db *addonapis.DB, m *addons.Matrix, target kubeversion.Version) error {
	fmt.Fprintf(w, "\naddon API data (CRDs read per release; custom resources of these groups are judged without their CRD)\n")
	apis := addonAPIs(db, m, target)
	for _, a := range db.Addons() {
		var vs []string
		for _, r := range a.Releases {
			vs = append(vs, r.Version)
		}
		matrix := a.Matrix
		if matrix == "" {
			matrix = "none"
		}
		fmt.Fprintf(w, "\n%s (compatibility data: %s)\n  releases read (%d): %s\n", a.Name, matrix, len(vs), strings.Join(vs, ", "))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "  APIVERSION\tKINDS\tSERVED BY\tAT KUBERNETES %s\n", target)
		type row struct {
			kinds, status []string
			served        map[string]bool
		}
		rows := map[string]*row{}
		var order []string
		for _, e := range apis {
			if e.info.Addon != a.Name {
				continue
			}
			gv := e.info.Group + "/" + e.info.Version
			r := rows[gv]
			if r == nil {
				r = &row{served: map[string]bool{}}
				rows[gv] = r
				order = append(order, gv)
			}
			r.kinds = append(r.kinds, e.info.Kind)
			for _, rel := range e.info.Served {
				r.served[rel] = true
			}
			if !contains(r.status, e.status) {
				r.status = append(r.status, e.status)
			}
		}
		for _, gv := range order {
			r := rows[gv]
			// Releases in the data's (ascending) order; kinds of one
			// version may differ, so this is the span of any of them.
			var served []string
			for _, rel := range vs {
				if r.served[rel] {
					served = append(served, rel)
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", gv, strings.Join(r.kinds, ", "), span(served), strings.Join(r.status, ", "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// span is "first–last" of an ascending release list ("none" when empty).
func span(rels []string) string {
	switch len(rels) {
	case 0:
		return "none"
	case 1:
		return rels[0]
	}
	return rels[0] + "–" + rels[len(rels)-1]
}
