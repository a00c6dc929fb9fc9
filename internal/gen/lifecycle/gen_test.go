package main

import (
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// These tests cover the parsers on small inline inputs; the generator itself
// needs the network and never runs in tests.

const lifecycleSrc = `package v1beta1

import "k8s.io/apimachinery/pkg/runtime/schema"

func (in *CronJob) APILifecycleIntroduced() (major, minor int) { return 1, 8 }
func (in *CronJob) APILifecycleDeprecated() (major, minor int) { return 1, 21 }
func (in *CronJob) APILifecycleReplacement() schema.GroupVersionKind {
	return schema.GroupVersionKind{Group: "batch", Version: "v1", Kind: "CronJob"}
}
func (in *CronJob) APILifecycleRemoved() (major, minor int) { return 1, 25 }
func (in *Pod) APILifecycleIntroduced() (major, minor int) { return 1, 0 }
func (in *Pod) DeepCopy() *Pod { return nil }
`

func TestParseLifecycle(t *testing.T) {
	got, err := parseLifecycle("x.go", []byte(lifecycleSrc))
	if err != nil {
		t.Fatal(err)
	}
	cj := got["CronJob"]
	if cj.Introduced != kubeversion.MustParse("1.8") || cj.Deprecated != kubeversion.MustParse("1.21") ||
		cj.Removed != kubeversion.MustParse("1.25") || cj.Replacement != "batch/v1/CronJob" {
		t.Errorf("CronJob = %+v", cj)
	}
	if pod := got["Pod"]; pod.Introduced != kubeversion.MustParse("1.0") || !pod.Removed.IsZero() {
		t.Errorf("Pod = %+v (1.0 must not read as unset)", pod)
	}
	bad := []string{
		"package x\nfunc (in *A) APILifecycleRemoved() (major, minor int) { return 2, 0 }\n",
		"package x\nfunc (in *A) APILifecycleRemoved() (major, minor int) { return 1 }\n",
		"package x\nfunc (in *A) APILifecycleRemoved() (major, minor int) { return 1, n }\n",
		"package x\nfunc (",
	}
	for _, src := range bad {
		if _, err := parseLifecycle("bad.go", []byte(src)); err == nil {
			t.Errorf("parseLifecycle(%q) succeeded", src)
		}
	}
}

func TestGroupName(t *testing.T) {
	tests := map[string]string{
		"package v1\nconst GroupName = \"\"\n":                      "",
		"package v1\nconst (\n\tGroupName = \"apps\"\n\tX = 1\n)\n": "apps",
	}
	for src, want := range tests {
		got, ok, err := groupName("register.go", []byte(src))
		if err != nil || !ok || got != want {
			t.Errorf("groupName(%q) = %q, %v, %v; want %q", src, got, ok, err, want)
		}
	}
	if _, ok, _ := groupName("register.go", []byte("package v1\nvar GroupName = \"x\"\n")); ok {
		t.Errorf("a var GroupName must not count")
	}
}

func TestResourceOf(t *testing.T) {
	tests := []struct{ path, gv, res string }{
		{"/api/v1/pods", "v1/", "pods"},
		{"/api/v1/namespaces/{namespace}/pods/{name}", "v1/", "pods"},
		{"/api/v1/namespaces/{name}", "v1/", "namespaces"},
		{"/apis/batch/v1/namespaces/{namespace}/cronjobs", "batch/v1/", "cronjobs"},
		{"/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas/{name}", "flowcontrol.apiserver.k8s.io/v1beta3/", "flowschemas"},
		{"/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale", "", ""},
		{"/apis/apps/v1/watch/deployments", "", ""},
		{"/apis/apps/v1/", "", ""},
		{"/version/", "", ""},
	}
	for _, tc := range tests {
		gv, res, ok := resourceOf(tc.path)
		if ok != (tc.res != "") || gv != tc.gv || res != tc.res {
			t.Errorf("resourceOf(%q) = %q, %q, %v", tc.path, gv, res, ok)
		}
	}
}

const instanceSrc = `package controlplane

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	flowcontrolv1beta3 "k8s.io/kubernetes/pkg/apis/flowcontrol/v1beta3"
)

var (
	stable = []schema.GroupVersion{appsv1.SchemeGroupVersion}
	beta   = []schema.GroupVersion{batchv1beta1.SchemeGroupVersion, flowcontrolv1beta3.SchemeGroupVersion}
	legacy = []schema.GroupVersionResource{flowcontrolv1beta3.SchemeGroupVersion.WithResource("flowschemas")}
)

func DefaultAPIResourceConfigSource() *serverstorage.ResourceConfig {
	ret := serverstorage.NewResourceConfig()
	ret.EnableVersions(stable...)
	ret.DisableVersions(beta...)
	ret.EnableResources(legacy...)
	return ret
}
`

func TestParseEnablement(t *testing.T) {
	pkgs := map[string]pkgInfo{
		"apps/v1":             {Group: "apps", Version: "v1"},
		"batch/v1beta1":       {Group: "batch", Version: "v1beta1"},
		"flowcontrol/v1beta3": {Group: "flowcontrol.apiserver.k8s.io", Version: "v1beta3"},
	}
	en, err := parseEnablement("instance.go", []byte(instanceSrc), pkgs)
	if err != nil {
		t.Fatal(err)
	}
	sw := &swaggerInfo{Kinds: map[string]string{
		"flowcontrol.apiserver.k8s.io/v1beta3/flowschemas":                 "FlowSchema",
		"flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations": "PriorityLevelConfiguration",
		"batch/v1beta1/cronjobs":                                           "CronJob",
	}}
	tests := []struct {
		group, version, kind string
		on, known            bool
	}{
		{"apps", "v1", "Deployment", true, true},
		{"batch", "v1beta1", "CronJob", false, true},
		{"flowcontrol.apiserver.k8s.io", "v1beta3", "FlowSchema", true, true},
		{"flowcontrol.apiserver.k8s.io", "v1beta3", "PriorityLevelConfiguration", false, true},
		{"apiextensions.k8s.io", "v1", "CustomResourceDefinition", false, false},
	}
	for _, tc := range tests {
		on, known := en.defaultOn(tc.group, tc.version, tc.kind, sw)
		if on != tc.on || known != tc.known {
			t.Errorf("defaultOn(%s/%s %s) = %v, %v; want %v, %v", tc.group, tc.version, tc.kind, on, known, tc.on, tc.known)
		}
	}
	if _, err := parseEnablement("empty.go", []byte("package x\n"), pkgs); err == nil {
		t.Errorf("a file without enablement calls must fail")
	}
}

func TestSwaggerDeprecation(t *testing.T) {
	doc := `{"paths":{"/api/v1/componentstatuses":{"get":{"x-kubernetes-group-version-kind":{"group":"","version":"v1","kind":"ComponentStatusList"}}},
"/api/v1/componentstatuses/{name}":{"get":{"x-kubernetes-group-version-kind":{"group":"","version":"v1","kind":"ComponentStatus"}},"parameters":[]}},
"definitions":{"io.k8s.api.core.v1.ComponentStatus":{"description":"Deprecated: This API is deprecated in v1.19+","x-kubernetes-group-version-kind":[{"group":"","version":"v1","kind":"ComponentStatus"}]}}}`
	sw, err := parseSwagger("swagger.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if !sw.GVKs["v1/ComponentStatus"] || sw.GVKs["v1/ComponentStatusList"] || len(sw.GVKs) != 1 {
		t.Errorf("GVKs = %v", sw.GVKs)
	}
	if sw.Kinds["v1/componentstatuses"] != "ComponentStatus" || sw.Deprecated["v1/ComponentStatus"] != 19 {
		t.Errorf("Kinds = %v, Deprecated = %v", sw.Kinds, sw.Deprecated)
	}
	if _, err := parseSwagger("bad.json", []byte("{")); err == nil {
		t.Errorf("bad JSON must fail")
	}
}
