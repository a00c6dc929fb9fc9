package addonapis

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

func lookup(t *testing.T, group, version, kind string) Info {
	t.Helper()
	in, ok := Lookup(group, version, kind)
	if !ok {
		t.Fatalf("Lookup(%s, %s, %s): unknown kind", group, version, kind)
	}
	if !in.VersionKnown {
		t.Fatalf("Lookup(%s, %s, %s): unknown version (known: %v)", group, version, kind, in.Versions)
	}
	return in
}

func TestCertManagerOldGroups(t *testing.T) {
	in := lookup(t, "cert-manager.io", "v1alpha2", "Certificate")
	if in.Addon != "cert-manager" || in.CRD != "certificates.cert-manager.io" || !in.Namespaced {
		t.Errorf("addon %q crd %q namespaced %v", in.Addon, in.CRD, in.Namespaced)
	}
	// 0.11 introduced cert-manager.io; 1.6 keeps the old versions in the CRD
	// without serving them; 1.7 drops them.
	if got := in.Served[0] + ".." + in.Served[len(in.Served)-1]; got != "0.11.0..1.5.0" {
		t.Errorf("v1alpha2 served %s, want 0.11.0..1.5.0", got)
	}
	if got := in.Defined[len(in.Defined)-1]; got != "1.6.0" {
		t.Errorf("v1alpha2 last defined in %s, want 1.6.0", got)
	}
	if In(in.Served, "1.6.0") || In(in.Defined, "1.7.0") {
		t.Errorf("v1alpha2 served in 1.6.0 or defined in 1.7.0: %v %v", in.Served, in.Defined)
	}
	old := lookup(t, "certmanager.k8s.io", "v1alpha1", "Issuer")
	if old.Addon != "cert-manager" {
		t.Errorf("certmanager.k8s.io addon %q", old.Addon)
	}
	for _, r := range old.Defined {
		if !semver.MustParse(r).LessThan(semver.MustParse("0.11.0")) {
			t.Errorf("certmanager.k8s.io/v1alpha1 defined in %s, want only before 0.11", r)
		}
	}
	if old.MovedTo != "cert-manager.io" {
		t.Errorf("certmanager.k8s.io Issuer moved to %q, want cert-manager.io", old.MovedTo)
	}
	if in.MovedTo != "" {
		t.Errorf("cert-manager.io Certificate moved to %q", in.MovedTo)
	}
	if !In(old.Served, "0.10.0") {
		t.Errorf("certmanager.k8s.io/v1alpha1 not served by 0.10.0: %v", old.Served)
	}
}

func TestServiceMonitorServedEverywhere(t *testing.T) {
	in := lookup(t, "monitoring.coreos.com", "v1", "ServiceMonitor")
	a, _ := Default().Addon("prometheus-operator")
	if len(a.Releases) < 10 {
		t.Fatalf("prometheus-operator has %d releases", len(a.Releases))
	}
	for _, r := range a.Releases {
		if !In(in.Served, r.Version) || !In(in.Stored, r.Version) {
			t.Errorf("ServiceMonitor v1 not served and stored by %s", r.Version)
		}
	}
}

func TestFluxHelmReleaseV2beta1(t *testing.T) {
	in := lookup(t, "helm.toolkit.fluxcd.io", "v2beta1", "HelmRelease")
	if len(in.Deprecated) == 0 || in.DeprecationWarning == "" {
		t.Fatalf("v2beta1 never deprecated: %+v", in)
	}
	last := in.Served[len(in.Served)-1]
	// A later release whose helm-controller was read no longer defines it.
	a, _ := Default().Addon("flux")
	removed := ""
	for _, r := range a.Releases {
		if semver.MustParse(r.Version).GreaterThan(semver.MustParse(last)) && !In(in.Defined, r.Version) && !hasGap(r, "helm-controller") {
			removed = r.Version
			break
		}
	}
	if removed == "" {
		t.Fatalf("v2beta1 (last served %s) is never removed", last)
	}
	if !semver.MustParse(in.Deprecated[0]).LessThan(semver.MustParse(removed)) {
		t.Errorf("deprecated in %s, not before the removal in %s", in.Deprecated[0], removed)
	}
	v2 := lookup(t, "helm.toolkit.fluxcd.io", "v2", "HelmRelease")
	if !In(v2.Served, a.Releases[len(a.Releases)-1].Version) {
		t.Errorf("v2 not served by the newest flux: %v", v2.Served)
	}
}

func hasGap(r Release, s string) bool {
	for _, g := range r.Gaps {
		if strings.Contains(g, s) {
			return true
		}
	}
	return false
}

func TestSchema(t *testing.T) {
	db := Default()
	in := lookup(t, "cert-manager.io", "v1", "Certificate")
	s, err := db.Schema(in)
	if err != nil || s == nil {
		t.Fatalf("schema: %v %v", s, err)
	}
	spec, _ := s["properties"].(map[string]any)["spec"].(map[string]any)
	props, _ := spec["properties"].(map[string]any)
	if _, ok := props["secretName"]; !ok {
		t.Errorf("Certificate v1 schema has no spec.secretName: %v", keys(props))
	}
	// Callers get their own copy.
	delete(props, "secretName")
	s2, _ := db.Schema(in)
	if _, ok := s2["properties"].(map[string]any)["spec"].(map[string]any)["properties"].(map[string]any)["secretName"]; !ok {
		t.Error("modifying a returned schema changed the data")
	}
	if !strings.Contains(in.Source, "github.com/cert-manager/cert-manager@v1.21.2 deploy/crds/") {
		t.Errorf("source %q", in.Source)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestLookupUnknown(t *testing.T) {
	if _, ok := Lookup("example.com", "v1", "Widget"); ok {
		t.Error("unknown group found")
	}
	in, ok := Lookup("cert-manager.io", "v9", "Certificate")
	if !ok || in.VersionKnown || !slices.Contains(in.Versions, "v1") {
		t.Errorf("unknown version of a known kind: ok %v %+v", ok, in)
	}
	in.Versions[0] = "mutated"
	if in2, _ := Lookup("cert-manager.io", "v9", "Certificate"); in2.Versions[0] == "mutated" {
		t.Error("returned slices alias the data")
	}
}

var moduleAt = regexp.MustCompile(`^[a-z0-9.\-]+(/[A-Za-z0-9._\-]+)+@v[0-9]+\.[0-9]+\.[0-9]+$`)

// TestInvariants checks the whole data set: release lists name read
// releases in order, served ⊆ defined, deprecated ⊆ served, one storage
// version per release, each served version has a resolvable schema and a
// source among the release's inputs.
func TestInvariants(t *testing.T) {
	db := Default()
	if n := len(db.Addons()); n < 12 {
		t.Errorf("%d addons, want at least 12", n)
	}
	m := addons.Default()
	releases := map[string][]string{}
	sources := map[string]bool{}
	for _, a := range db.Addons() {
		if a.Matrix != "" {
			if _, ok := m.Addon(a.Matrix); !ok {
				t.Errorf("%s: matrix name %q is not in pkg/addons", a.Name, a.Matrix)
			}
		}
		for i, r := range a.Releases {
			if i > 0 && !semver.MustParse(a.Releases[i-1].Version).LessThan(semver.MustParse(r.Version)) {
				t.Errorf("%s: releases out of order at %s", a.Name, r.Version)
			}
			if len(r.Sources) == 0 {
				t.Errorf("%s %s: no sources", a.Name, r.Version)
			}
			for _, s := range append(append([]string(nil), r.Sources...), r.Gaps...) {
				if !moduleAt.MatchString(s) {
					t.Errorf("%s %s: source %q is not module@version", a.Name, r.Version, s)
				}
				sources[s] = true
			}
			releases[a.Name] = append(releases[a.Name], r.Version)
		}
	}
	used := map[string]bool{}
	for _, gk := range db.Kinds() {
		group, kind, _ := strings.Cut(gk, "/")
		in0, _ := db.Lookup(group, "", kind)
		rels := releases[in0.Addon]
		if rels == nil {
			t.Errorf("%s: addon %q has no releases", gk, in0.Addon)
			continue
		}
		storage := map[string]int{}
		for _, v := range in0.Versions {
			in := lookup(t, group, v, kind)
			inOrder(t, gk+" "+v+" defined", in.Defined, rels)
			inOrder(t, gk+" "+v+" served", in.Served, in.Defined)
			inOrder(t, gk+" "+v+" deprecated", in.Deprecated, in.Served)
			inOrder(t, gk+" "+v+" stored", in.Stored, in.Defined)
			for _, r := range in.Stored {
				storage[r]++
			}
			if len(in.Served) == 0 {
				continue
			}
			mod, path, ok := strings.Cut(in.Source, " ")
			if !ok || !sources[mod] || path == "" {
				t.Errorf("%s %s: source %q is not an input of the data", gk, v, in.Source)
			}
			s, err := db.Schema(in)
			if err != nil || s == nil {
				t.Errorf("%s %s: schema %v", gk, v, err)
			}
			used[in.schema] = true
		}
		for r, n := range storage {
			if n != 1 {
				t.Errorf("%s: %d storage versions in release %s", gk, n, r)
			}
		}
	}
	for h := range db.schemas {
		if !used[h] {
			t.Errorf("schema %s is referenced by no version", h)
		}
	}
}

// inOrder checks that sub is an ascending subsequence of all.
func inOrder(t *testing.T, what string, sub, all []string) {
	t.Helper()
	i := 0
	for _, s := range sub {
		for i < len(all) && all[i] != s {
			i++
		}
		if i == len(all) {
			t.Errorf("%s: %v is not an ordered subset of %v", what, sub, all)
			return
		}
	}
}

func TestMatrixTie(t *testing.T) {
	db, m := Default(), addons.Default()
	rows := db.MatrixRows(m, "cert-manager", "1.21.2")
	if len(rows) != 1 || rows[0].Versions != ">=1.21.0 <1.22.0" {
		t.Fatalf("cert-manager 1.21.2 rows: %+v", rows)
	}
	got, known := db.Supporting(m, "cert-manager", kubeversion.MustParse("1.33"))
	if !known || !slices.Contains(got, "1.21.2") || !slices.Contains(got, "1.19.0") || slices.Contains(got, "1.5.0") {
		t.Errorf("cert-manager releases supporting 1.33: %v (known %v)", got, known)
	}
	if _, known := db.Supporting(m, "keda", kubeversion.MustParse("1.33")); known {
		t.Error("keda has no matrix, yet Supporting claims to know")
	}
}
