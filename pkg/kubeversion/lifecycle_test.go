package kubeversion

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefaultLoads(t *testing.T) {
	db, err := defaultDB()
	if err != nil {
		t.Fatal(err)
	}
	if db.Oldest() != MustParse("1.16") {
		t.Errorf("Oldest = %v, want 1.16", db.Oldest())
	}
	if db.Newest().Less(MustParse("1.37")) {
		t.Errorf("Newest = %v, want at least 1.37", db.Newest())
	}
	if len(db.APIs()) < 200 {
		t.Errorf("only %d APIs", len(db.APIs()))
	}
	gen := db.Generated()
	for _, k := range []string{"k8s.io/api", "k8s.io/kubernetes", "k8s.io/apiextensions-apiserver", "k8s.io/kube-aggregator"} {
		if gen[k] == nil {
			t.Errorf("provenance lacks %s", k)
		}
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	bad := map[string]string{
		"not json":      `{`,
		"bad version":   `{"oldest":"1.16","newest":"1.37","apis":[{"group":"apps","version":"v1","kind":"Deployment","removed":"one"}]}`,
		"duplicate":     `{"oldest":"1.16","newest":"1.37","apis":[{"version":"v1","kind":"Pod"},{"version":"v1","kind":"Pod"}]}`,
		"no kind":       `{"oldest":"1.16","newest":"1.37","apis":[{"version":"v1"}]}`,
		"no range":      `{"apis":[]}`,
		"reverse range": `{"oldest":"1.30","newest":"1.20","apis":[]}`,
	}
	for name, in := range bad {
		if _, err := Load([]byte(in)); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
	if _, err := Load([]byte(`{"oldest":"1.16","newest":"1.37","apis":[{"version":"v1","kind":"Pod"}]}`)); err != nil {
		t.Errorf("minimal file: %v", err)
	}
}

func TestDBInvariants(t *testing.T) {
	db := Default()
	apis := db.APIs()
	for i := range apis {
		a := &apis[i]
		if i > 0 {
			p := &apis[i-1]
			if [3]string{p.Group, p.Version, p.Kind} == [3]string{a.Group, a.Version, a.Kind} ||
				p.Group > a.Group || (p.Group == a.Group && (p.Version > a.Version || (p.Version == a.Version && p.Kind >= a.Kind))) {
				t.Errorf("entries not sorted/unique at %s after %s", a.GVK(), p.GVK())
			}
		}
		if strings.HasSuffix(a.Kind, "List") {
			t.Errorf("%s: List kinds are not tracked", a.GVK())
		}
		if !a.Removed.IsZero() && !a.Introduced.IsZero() && !a.Introduced.Less(a.Removed) {
			t.Errorf("%s: removed %s not after introduced %s", a.GVK(), a.Removed, a.Introduced)
		}
		if !a.Removed.IsZero() && !a.Deprecated.IsZero() && a.Removed.Less(a.Deprecated) {
			t.Errorf("%s: deprecated %s after removed %s", a.GVK(), a.Deprecated, a.Removed)
		}
		if !a.Deprecated.IsZero() && !a.Introduced.IsZero() && a.Deprecated.Less(a.Introduced) {
			t.Errorf("%s: deprecated %s before introduced %s", a.GVK(), a.Deprecated, a.Introduced)
		}
		if strings.Contains(a.Version, "alpha") && !a.DefaultOff && !a.NotServed {
			t.Errorf("%s: alpha API not marked defaultOff", a.GVK())
		}
		if a.Source == "" {
			t.Errorf("%s: no source", a.GVK())
		}
		if got, ok := db.Lookup(a.APIVersion(), a.Kind); !ok || got != a {
			t.Errorf("Lookup(%s, %s) does not find the entry", a.APIVersion(), a.Kind)
		}
	}
}

// Every replacement must exist and be served when the old API goes away,
// so users can migrate before upgrading.
func TestReplacementsServedAtRemoval(t *testing.T) {
	db := Default()
	for _, a := range db.APIs() {
		if a.Replacement == "" {
			continue
		}
		av, kind := a.ReplacementAPIVersion()
		r, ok := db.Lookup(av, kind)
		if !ok {
			t.Errorf("%s: replacement %s is not in the data", a.GVK(), a.Replacement)
			continue
		}
		at := a.Removed
		if at.IsZero() || db.Newest().Less(at) {
			at = db.Newest()
		}
		if !r.ServedAt(at) {
			t.Errorf("%s: replacement %s is not served at %s (introduced %s, removed %s)", a.GVK(), r.GVK(), at, r.Introduced, r.Removed)
		}
	}
}

// The removals of the Deprecated API Migration Guide,
// https://kubernetes.io/docs/reference/using-api/deprecation-guide/ (v1.16 … v1.32).
func TestDeprecationGuideRemovals(t *testing.T) {
	type row struct {
		removed, apiVersion string
		kinds               []string
		replacement         string // apiVersion; "" = none
	}
	rows := []row{
		{"1.16", "extensions/v1beta1", []string{"NetworkPolicy"}, "networking.k8s.io/v1"},
		{"1.16", "extensions/v1beta1", []string{"PodSecurityPolicy"}, "policy/v1beta1"},
		{"1.16", "extensions/v1beta1", []string{"DaemonSet", "Deployment", "ReplicaSet"}, "apps/v1"},
		{"1.16", "apps/v1beta1", []string{"Deployment", "StatefulSet"}, "apps/v1"},
		{"1.16", "apps/v1beta2", []string{"DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"}, "apps/v1"},
		{"1.22", "admissionregistration.k8s.io/v1beta1", []string{"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}, "admissionregistration.k8s.io/v1"},
		{"1.22", "apiextensions.k8s.io/v1beta1", []string{"CustomResourceDefinition"}, "apiextensions.k8s.io/v1"},
		{"1.22", "apiregistration.k8s.io/v1beta1", []string{"APIService"}, "apiregistration.k8s.io/v1"},
		{"1.22", "authentication.k8s.io/v1beta1", []string{"TokenReview"}, "authentication.k8s.io/v1"},
		{"1.22", "authorization.k8s.io/v1beta1", []string{"LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview"}, "authorization.k8s.io/v1"},
		{"1.22", "certificates.k8s.io/v1beta1", []string{"CertificateSigningRequest"}, "certificates.k8s.io/v1"},
		{"1.22", "coordination.k8s.io/v1beta1", []string{"Lease"}, "coordination.k8s.io/v1"},
		{"1.22", "extensions/v1beta1", []string{"Ingress"}, "networking.k8s.io/v1"},
		{"1.22", "networking.k8s.io/v1beta1", []string{"Ingress", "IngressClass"}, "networking.k8s.io/v1"},
		{"1.22", "rbac.authorization.k8s.io/v1beta1", []string{"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}, "rbac.authorization.k8s.io/v1"},
		{"1.22", "scheduling.k8s.io/v1beta1", []string{"PriorityClass"}, "scheduling.k8s.io/v1"},
		{"1.22", "storage.k8s.io/v1beta1", []string{"CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"}, "storage.k8s.io/v1"},
		{"1.25", "batch/v1beta1", []string{"CronJob"}, "batch/v1"},
		{"1.25", "discovery.k8s.io/v1beta1", []string{"EndpointSlice"}, "discovery.k8s.io/v1"},
		{"1.25", "events.k8s.io/v1beta1", []string{"Event"}, "events.k8s.io/v1"},
		{"1.25", "autoscaling/v2beta1", []string{"HorizontalPodAutoscaler"}, "autoscaling/v2"},
		{"1.25", "policy/v1beta1", []string{"PodDisruptionBudget"}, "policy/v1"},
		{"1.25", "policy/v1beta1", []string{"PodSecurityPolicy"}, ""},
		{"1.25", "node.k8s.io/v1beta1", []string{"RuntimeClass"}, "node.k8s.io/v1"},
		{"1.26", "flowcontrol.apiserver.k8s.io/v1beta1", []string{"FlowSchema", "PriorityLevelConfiguration"}, "flowcontrol.apiserver.k8s.io/v1beta3"},
		{"1.26", "autoscaling/v2beta2", []string{"HorizontalPodAutoscaler"}, "autoscaling/v2"},
		{"1.27", "storage.k8s.io/v1beta1", []string{"CSIStorageCapacity"}, "storage.k8s.io/v1"},
		{"1.29", "flowcontrol.apiserver.k8s.io/v1beta2", []string{"FlowSchema", "PriorityLevelConfiguration"}, "flowcontrol.apiserver.k8s.io/v1"},
		{"1.32", "flowcontrol.apiserver.k8s.io/v1beta3", []string{"FlowSchema", "PriorityLevelConfiguration"}, "flowcontrol.apiserver.k8s.io/v1"},
	}
	db := Default()
	for _, r := range rows {
		for _, k := range r.kinds {
			a, ok := db.Lookup(r.apiVersion, k)
			if !ok {
				t.Errorf("%s %s missing", r.apiVersion, k)
				continue
			}
			if a.Removed.String() != r.removed {
				t.Errorf("%s %s: removed %q, guide says %s", r.apiVersion, k, a.Removed, r.removed)
			}
			av, kind := a.ReplacementAPIVersion()
			if av != r.replacement || (av != "" && kind != k) {
				t.Errorf("%s %s: replacement %q, guide says %s %s", r.apiVersion, k, a.Replacement, r.replacement, k)
			}
			if !a.RemovedAt(MustParse(r.removed)) || a.ServedAt(MustParse(r.removed)) {
				t.Errorf("%s %s: still served at %s", r.apiVersion, k, r.removed)
			}
		}
	}
	psp, _ := db.Lookup("policy/v1beta1", "PodSecurityPolicy")
	if psp == nil || !strings.Contains(psp.Notes, "Pod Security Admission") {
		t.Errorf("PodSecurityPolicy notes should point to Pod Security Admission: %+v", psp)
	}
}

func TestReplacementAt(t *testing.T) {
	db := Default()
	tests := []struct {
		apiVersion, kind, target, want string
	}{
		{"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", "flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema"},
		{"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.33", "flowcontrol.apiserver.k8s.io/v1/FlowSchema"},
		{"extensions/v1beta1", "PodSecurityPolicy", "1.20", "policy/v1beta1/PodSecurityPolicy"},
		{"extensions/v1beta1", "PodSecurityPolicy", "1.25", ""},
		{"batch/v1beta1", "CronJob", "1.33", "batch/v1/CronJob"},
	}
	for _, tc := range tests {
		a, ok := db.Lookup(tc.apiVersion, tc.kind)
		if !ok {
			t.Fatalf("%s %s missing", tc.apiVersion, tc.kind)
		}
		r, ok := db.ReplacementAt(a, MustParse(tc.target))
		got := ""
		if ok {
			got = r.GVK()
		}
		if got != tc.want {
			t.Errorf("ReplacementAt(%s, %s) = %q, want %q", a.GVK(), tc.target, got, tc.want)
		}
	}
}

func TestServedAPIs(t *testing.T) {
	db := Default()
	got := db.ServedAPIs(MustParse("1.33"))
	for _, want := range []string{"batch/v1/CronJob", "policy/v1", "apps/v1/Deployment", "v1", "v1/Pod", "networking.k8s.io/v1/Ingress"} {
		if !slices.Contains(got, want) {
			t.Errorf("ServedAPIs(1.33) lacks %s", want)
		}
	}
	for _, bad := range []string{"policy/v1beta1", "batch/v1beta1/CronJob", "flowcontrol.apiserver.k8s.io/v1beta3",
		"resource.k8s.io/v1beta1" /* off by default */, "admissionregistration.k8s.io/v1alpha1", "v1/PodList",
		"admission.k8s.io/v1" /* webhook payload */, "apidiscovery.k8s.io/v2", "v1/RangeAllocation"} {
		if slices.Contains(got, bad) {
			t.Errorf("ServedAPIs(1.33) contains %s", bad)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("ServedAPIs is not sorted")
	}
	for _, a := range db.APIs() {
		if a.NotServed && slices.Contains(got, a.APIVersion()) && a.Group != "" {
			// Groups that mix served and unserved kinds are fine; pure
			// configuration-file groups must not be advertised.
			if strings.Contains(a.Group, "config") || a.Group == "kubeadm.k8s.io" || a.Group == "audit.k8s.io" {
				t.Errorf("ServedAPIs(1.33) advertises configuration API %s", a.APIVersion())
			}
		}
	}
	old := db.ServedAPIs(MustParse("1.21"))
	if !slices.Contains(old, "policy/v1beta1/PodSecurityPolicy") || !slices.Contains(old, "extensions/v1beta1/Ingress") {
		t.Errorf("ServedAPIs(1.21) lacks PSP or extensions Ingress")
	}
}

func TestCheckTarget(t *testing.T) {
	db := Default()
	for _, ok := range []string{"1.16", "1.33", db.Newest().String()} {
		if err := db.CheckTarget(MustParse(ok)); err != nil {
			t.Errorf("CheckTarget(%s): %v", ok, err)
		}
	}
	err := db.CheckTarget(MustParse("1.99"))
	if err == nil || !strings.Contains(err.Error(), db.Newest().String()) {
		t.Errorf("CheckTarget(1.99) = %v, want an error naming %s", err, db.Newest())
	}
	if err := db.CheckTarget(MustParse("1.15")); err == nil || !strings.Contains(err.Error(), "1.16") {
		t.Errorf("CheckTarget(1.15) = %v, want an error naming 1.16", err)
	}
}

// referenceData finds ../shared/reference/data above the package directory.
func referenceData(t *testing.T, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "reference", "data", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("reference data %s not found", name)
		}
		dir = parent
	}
}

func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var header []string
	var rows []map[string]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = cols
			continue
		}
		row := map[string]string{}
		for i, h := range header {
			if i < len(cols) {
				row[h] = cols[i]
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// lookupGVK reads the tables' spelling ("core/v1/Pod" for the core group).
func lookupGVK(db *DB, gvk string) (*API, bool) {
	gvk = strings.TrimPrefix(gvk, "core/")
	i := strings.LastIndexByte(gvk, '/')
	return db.Lookup(gvk[:i], gvk[i+1:])
}

// Deliberate differences from the reference tables (see the overlay header).
var crossCheckExceptions = map[string]string{
	// Guide: removed in 1.16 (off by default); swagger 1.16/1.17 still lists them.
	"extensions/v1beta1": "deprecation guide 1.16",
	"apps/v1beta1":       "deprecation guide 1.16",
	"apps/v1beta2":       "deprecation guide 1.16",
	// The eviction subresource accepted policy/v1beta1 bodies until the tag's
	// 1.25 although swagger documents policy/v1 from 1.22.
	"policy/v1beta1/Eviction": "tag: removed 1.25",
	// Served from 1.19 behind the CSIStorageCapacity gate, which the swagger
	// generation left off (k8s.io/kubernetes@v1.19.0
	// pkg/registry/storage/rest/storage_storage.go:80-86).
	"storage.k8s.io/v1alpha1/CSIStorageCapacity": "registry: introduced 1.19",
}

func exception(gvk string) bool {
	if _, ok := crossCheckExceptions[gvk]; ok {
		return true
	}
	i := strings.LastIndexByte(gvk, '/')
	_, ok := crossCheckExceptions[gvk[:i]]
	return ok
}

func TestCrossCheckLifecycleUnion(t *testing.T) {
	rows := readTSV(t, referenceData(t, "lifecycle_union.tsv"))
	db := Default()
	for _, r := range rows {
		gvk := r["gvk"]
		if strings.HasSuffix(gvk, "List") {
			continue
		}
		a, ok := lookupGVK(db, gvk)
		if !ok {
			t.Errorf("%s: in lifecycle_union.tsv, not in the data", gvk)
			continue
		}
		if strings.Contains(gvk, "alpha") {
			continue // alpha "removed" tags are defaults; swagger wins
		}
		if a.Removed.String() != r["removed"] && !exception(gvk) {
			t.Errorf("%s: removed %q, lifecycle_union.tsv says %q", gvk, a.Removed, r["removed"])
		}
	}
}

func TestCrossCheckSwaggerPresence(t *testing.T) {
	rows := readTSV(t, referenceData(t, "served_gvks_from_swagger_1.16-1.37.tsv"))
	db := Default()
	for _, r := range rows {
		gvk := r["gvk"]
		a, ok := lookupGVK(db, gvk)
		if !ok {
			t.Errorf("%s: in the swagger table, not in the data", gvk)
			continue
		}
		first, last := MustParse(r["swagger_first"]), MustParse(r["swagger_last"])
		if !a.ServedAt(last) && !exception(gvk) {
			t.Errorf("%s: swagger %s has it, data says not served (introduced %s, removed %s)", gvk, last, a.Introduced, a.Removed)
		}
		if first != db.Oldest() && !a.Introduced.IsZero() && a.Introduced != first && !exception(gvk) {
			t.Errorf("%s: introduced %s, swagger first %s", gvk, a.Introduced, first)
		}
		if last.Less(db.Newest()) && !strings.Contains(gvk, "alpha") && a.Removed != last.Next() && !exception(gvk) {
			t.Errorf("%s: removed %s, swagger last %s", gvk, a.Removed, last)
		}
		if strings.Contains(gvk, "alpha") && last.Less(db.Newest()) && a.Removed != last.Next() {
			t.Errorf("%s: alpha removed %s, swagger last %s", gvk, a.Removed, last)
		}
	}
}

// Spot checks against values read by hand from the cited upstream files.
func TestKnownEntries(t *testing.T) {
	type want struct {
		introduced, deprecated, removed string
		defaultOff                      bool
	}
	tests := map[string]want{
		// k8s.io/api@v0.37.2 core/v1 and batch/v1 tags.
		"v1/Pod":           {introduced: "1.0"},
		"batch/v1/CronJob": {introduced: "1.21"},
		// k8s.io/api@v0.37.2 batch/v1beta1 tags.
		"batch/v1beta1/CronJob": {introduced: "1.8", deprecated: "1.21", removed: "1.25"},
		// Alpha: swagger last 1.33 wins over the tag's 1.37.
		"resource.k8s.io/v1alpha3/DeviceClass": {introduced: "1.31", deprecated: "1.34", removed: "1.34", defaultOff: true},
		// Alpha without tags: swagger 1.16-1.22.
		"scheduling.k8s.io/v1alpha1/PriorityClass": {removed: "1.23", defaultOff: true},
		// legacyBetaEnabledByDefaultResources in pkg/controlplane/instance.go 1.24-1.31.
		"flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema": {introduced: "1.26", deprecated: "1.29", removed: "1.32"},
		"storage.k8s.io/v1beta1/CSIStorageCapacity":       {introduced: "1.21", deprecated: "1.24", removed: "1.27"},
		// betaAPIGroupVersionsDisabledByDefault (KEP-3136), 1.27-1.32.
		"authentication.k8s.io/v1beta1/SelfSubjectReview": {introduced: "1.27", deprecated: "1.30", removed: "1.33", defaultOff: true},
		// Scheduled by k8s.io/api@v0.37.2 tags, beyond the newest covered release.
		"resource.k8s.io/v1beta1/ResourceClaim": {introduced: "1.32", deprecated: "1.35", removed: "1.38", defaultOff: true},
		// Configuration-file APIs (overlay, CHANGELOG-1.29 / CHANGELOG-1.37).
		"kubescheduler.config.k8s.io/v1beta3/KubeSchedulerConfiguration": {introduced: "1.23", deprecated: "1.26", removed: "1.29"},
		"kubeadm.k8s.io/v1beta3/ClusterConfiguration":                    {introduced: "1.22", deprecated: "1.31", removed: "1.37"},
		// Served by the extension API server, not listed in instance.go.
		"apiextensions.k8s.io/v1beta1/CustomResourceDefinition": {introduced: "1.7", deprecated: "1.16", removed: "1.22"},
	}
	db := Default()
	for gvk, w := range tests {
		a, ok := lookupGVK(db, gvk)
		if !ok {
			t.Errorf("%s missing", gvk)
			continue
		}
		got := want{a.Introduced.String(), a.Deprecated.String(), a.Removed.String(), a.DefaultOff}
		if got != w {
			t.Errorf("%s = %+v, want %+v", gvk, got, w)
		}
	}
}

// TestIssue15Lifecycle pins the corrections of issue 15: introduced values
// the k8s.io/api tags get wrong, replacements they leave empty, and alpha
// removals past the newest release marked as projections.
func TestIssue15Lifecycle(t *testing.T) {
	db := Default()
	get := func(gvk string) *API {
		t.Helper()
		a, ok := lookupGVK(db, gvk)
		if !ok {
			t.Fatalf("%s missing", gvk)
		}
		return a
	}
	v16, v18 := MustParse("1.16"), MustParse("1.18")
	for _, k := range []string{"LocalSubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview"} {
		a := get("authorization.k8s.io/v1/" + k)
		if !a.ServedAt(v16) || !a.ServedAt(v18) {
			t.Errorf("%s: not served at 1.16-1.18 (introduced %s)", a.GVK(), a.Introduced)
		}
	}
	if a := get("storage.k8s.io/v1alpha1/CSIStorageCapacity"); a.Introduced != MustParse("1.19") {
		t.Errorf("CSIStorageCapacity v1alpha1 introduced %s, want 1.19", a.Introduced)
	}
	for gvk, want := range map[string]string{
		"admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicy":        "admissionregistration.k8s.io/v1/MutatingAdmissionPolicy",
		"admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicyBinding": "admissionregistration.k8s.io/v1/MutatingAdmissionPolicyBinding",
		"coordination.k8s.io/v1alpha2/LeaseCandidate":                          "coordination.k8s.io/v1beta1/LeaseCandidate",
		"resource.k8s.io/v1alpha3/DeviceTaintRule":                             "resource.k8s.io/v1/DeviceTaintRule",
		"resource.k8s.io/v1beta2/DeviceTaintRule":                              "resource.k8s.io/v1/DeviceTaintRule",
	} {
		if a := get(gvk); a.Replacement != want {
			t.Errorf("%s: replacement %q, want %q", gvk, a.Replacement, want)
		}
	}
	// Workload v1alpha1 (1.35 only) leads to v1beta1 through v1alpha2.
	wl := get("scheduling.k8s.io/v1alpha1/Workload")
	if r, ok := db.ReplacementAt(wl, MustParse("1.37")); !ok || r.GVK() != "scheduling.k8s.io/v1beta1/Workload" {
		t.Errorf("Workload v1alpha1 at 1.37 -> %v %v, want scheduling.k8s.io/v1beta1/Workload", r, ok)
	}

	// Projected: alpha removals after the newest release, and only those.
	mapv1a1 := get("admissionregistration.k8s.io/v1alpha1/MutatingAdmissionPolicy")
	if !mapv1a1.Projected || mapv1a1.RemovalText() != mapv1a1.Removed.String()+" (projected)" {
		t.Errorf("MutatingAdmissionPolicy v1alpha1: projected %v, %q", mapv1a1.Projected, mapv1a1.RemovalText())
	}
	if a := get("resource.k8s.io/v1beta1/ResourceClaim"); a.Projected || a.RemovalText() != "1.38" {
		t.Errorf("a beta removal scheduled by the tags is not a projection: %+v", a)
	}
	if a := get("scheduling.k8s.io/v1alpha2/Workload"); a.Projected {
		t.Errorf("an alpha removal inside the covered range is not a projection: %+v", a)
	}
	n := 0
	for _, a := range db.APIs() {
		if a.Projected {
			n++
			if !strings.Contains(a.Version, "alpha") || !db.Newest().Less(a.Removed) {
				t.Errorf("%s: projected but not an alpha removal past %s", a.GVK(), db.Newest())
			}
		}
	}
	if n < 4 {
		t.Errorf("only %d projected removals", n)
	}
	b, err := json.Marshal(mapv1a1)
	if err != nil || !strings.Contains(string(b), `"projected":true`) {
		t.Errorf("JSON %s lacks projected: %v", b, err)
	}
}

// A chain that skips a version (flowcontrol v1beta2 → v1) still names the
// newer version served at a target in between.
func TestReplacementAtSkippedVersion(t *testing.T) {
	db := Default()
	a, ok := db.Lookup("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration")
	if !ok {
		t.Fatal("v1beta2 PriorityLevelConfiguration not in the data")
	}
	for v, want := range map[string]string{"1.26": "flowcontrol.apiserver.k8s.io/v1beta3", "1.28": "flowcontrol.apiserver.k8s.io/v1beta3", "1.29": "flowcontrol.apiserver.k8s.io/v1", "1.33": "flowcontrol.apiserver.k8s.io/v1"} {
		r, ok := db.ReplacementAt(a, MustParse(v))
		if !ok || r.APIVersion() != want {
			t.Errorf("at %s: %v %v, want %s", v, r, ok, want)
		}
	}
}
