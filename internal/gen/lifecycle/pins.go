package main

// Pinned upstream inputs. The proxy's version lists are partial, so every
// version is spelled out; exact versions always download (data-sources §0).
// Bump these (and add a minor) when a new Kubernetes release ships.

// apiVersions are the k8s.io/api releases whose prerelease-lifecycle tags are
// unioned, oldest first. Tags first appear in v0.19.0; later versions win.
var apiVersions = []string{
	"v0.19.0", "v0.20.0", "v0.21.0", "v0.22.0", "v0.23.0", "v0.24.0",
	"v0.25.0", "v0.26.0", "v0.27.0", "v0.28.0", "v0.29.0", "v0.30.0",
	"v0.31.0", "v0.32.0", "v0.33.0", "v0.34.0", "v0.35.0", "v0.36.0",
	"v0.37.2",
}

// extraTagModules carry lifecycle tags for the CRD and APIService APIs, which
// k8s.io/api does not hold. Oldest first; later versions win.
var extraTagModules = []struct{ Path, Version, Dir string }{
	{"k8s.io/apiextensions-apiserver", "v0.21.0", "pkg/apis/apiextensions/"},
	{"k8s.io/kube-aggregator", "v0.21.0", "pkg/apis/apiregistration/"},
	{"k8s.io/apiextensions-apiserver", "v0.37.2", "pkg/apis/apiextensions/"},
	{"k8s.io/kube-aggregator", "v0.37.2", "pkg/apis/apiregistration/"},
}

// kubeVersions maps each covered minor to the k8s.io/kubernetes tag whose
// api/openapi-spec/swagger.json and default API enablement are read. Patch
// releases do not change which APIs are served; from 1.25 on the pins match
// the schema generator's so the two share the download cache.
var kubeVersions = map[int]string{
	16: "v1.16.0", 17: "v1.17.0", 18: "v1.18.0", 19: "v1.19.0", 20: "v1.20.0",
	21: "v1.21.0", 22: "v1.22.0", 23: "v1.23.0", 24: "v1.24.0",
	25: "v1.25.16", 26: "v1.26.15", 27: "v1.27.16", 28: "v1.28.15",
	29: "v1.29.15", 30: "v1.30.14", 31: "v1.31.14", 32: "v1.32.13",
	33: "v1.33.13", 34: "v1.34.4", 35: "v1.35.4", 36: "v1.36.3",
	37: "v1.37.2",
}

// The releases the output covers: the oldest and newest swagger minors.
const (
	oldestMinor = 16
	newestMinor = 37
)
