package main

// addonPin is one addon and the module versions its CRDs are read from.
// Versions are pinned: the proxy's version lists are partial, so each was
// checked to download (the .0 release of most minors plus the newest patch
// known). dirs are path prefixes inside the module searched, recursively and
// in this order, for CustomResourceDefinitions; the first file that defines a
// CRD name wins, so put the canonical location first.
type addonPin struct {
	name     string // name in pkg/addonapis
	matrix   string // addon name in pkg/addons ("" when it has no matrix)
	module   string
	versions []string
	dirs     []string
	// modules overrides module per version (a module path that moved).
	modules map[string]string
	// flux: the versions are flux2 releases whose controllers are read from
	// manifests/bases/*/kustomization.yaml.
	flux bool
}

var pins = []addonPin{
	{
		name: "cert-manager", matrix: "cert-manager", module: "github.com/cert-manager/cert-manager",
		versions: []string{
			"v0.6.0", "v0.7.0", "v0.8.0", "v0.9.0", "v0.10.0", "v0.11.0", "v0.12.0", "v0.13.0", "v0.14.0", "v0.15.0",
			"v0.16.0", "v1.0.4", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v1.6.0", "v1.7.0", "v1.8.0", "v1.9.0", "v1.10.0", "v1.11.0", "v1.12.0",
			"v1.13.0", "v1.14.0", "v1.15.0", "v1.16.0", "v1.17.0", "v1.18.0", "v1.19.0", "v1.20.0", "v1.21.2",
		},
		// Releases before 1.8 are published under the old module path.
		modules: prefixModules("github.com/jetstack/cert-manager", "v0.6.0", "v0.7.0", "v0.8.0", "v0.9.0",
			"v0.10.0", "v0.11.0", "v0.12.0", "v0.13.0", "v0.14.0", "v0.15.0", "v0.16.0", "v1.0.4", "v1.1.0", "v1.2.0",
			"v1.3.0", "v1.4.0", "v1.5.0", "v1.6.0", "v1.7.0"),
		dirs: []string{"deploy/crds/", "deploy/manifests/00-crds.yaml"},
	},
	{
		name: "prometheus-operator", matrix: "prometheus-operator", module: "github.com/prometheus-operator/prometheus-operator",
		versions: []string{"v0.40.0", "v0.45.0", "v0.50.0", "v0.55.0", "v0.60.0", "v0.65.0", "v0.70.0", "v0.75.0", "v0.80.0", "v0.85.0", "v0.89.0", "v0.94.1"},
		dirs:     []string{"example/prometheus-operator-crd/"},
	},
	{
		name: "flux", matrix: "flux", module: "github.com/fluxcd/flux2/v2", flux: true,
		versions: []string{"v2.0.1", "v2.1.2", "v2.2.3", "v2.3.0", "v2.4.0", "v2.5.1", "v2.6.4", "v2.7.5", "v2.8.3", "v2.9.5"},
		dirs:     []string{"config/crd/bases/"},
	},
	{
		name: "argo-cd", matrix: "argo-cd", module: "github.com/argoproj/argo-cd/v3",
		versions: []string{"v2.10.9", "v2.11.14", "v2.12.13", "v2.13.9", "v2.14.21", "v3.0.23", "v3.1.16", "v3.2.12", "v3.3.19", "v3.4.13", "v3.5.7", "v3.6.1"},
		modules:  prefixModules("github.com/argoproj/argo-cd/v2", "v2.10.9", "v2.11.14", "v2.12.13", "v2.13.9", "v2.14.21"),
		dirs:     []string{"manifests/crds/"},
	},
	{
		name: "argo-rollouts", module: "github.com/argoproj/argo-rollouts",
		versions: []string{"v1.0.0", "v1.2.0", "v1.4.0", "v1.5.0", "v1.6.0", "v1.7.0", "v1.8.0", "v1.9.0", "v1.10.2"},
		dirs:     []string{"manifests/crds/"},
	},
	{
		// istio.io/istio tags have no "v" and are not on the proxy; istio.io/api
		// carries the same generated CRDs at v-prefixed tags.
		name: "istio", matrix: "istio", module: "istio.io/api",
		versions: []string{"v1.19.0", "v1.20.0", "v1.22.0", "v1.24.0", "v1.26.0", "v1.28.0", "v1.30.8", "v1.31.4"},
		dirs:     []string{"kubernetes/customresourcedefinitions.gen.yaml"},
	},
	{
		// The standard channel first: its CRDs win for kinds in both channels.
		name: "gateway-api", module: "sigs.k8s.io/gateway-api",
		versions: []string{"v0.5.0", "v0.6.0", "v0.7.0", "v0.8.0", "v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0", "v1.4.0", "v1.5.0", "v1.6.0", "v1.7.0"},
		dirs:     []string{"config/crd/standard/", "config/crd/experimental/"},
	},
	{
		name: "kyverno", matrix: "kyverno", module: "github.com/kyverno/kyverno",
		versions: []string{"v1.7.0", "v1.8.0", "v1.9.0", "v1.10.0", "v1.11.0", "v1.12.0", "v1.13.0", "v1.14.0", "v1.15.1", "v1.17.1", "v1.18.2", "v1.19.1"},
		dirs:     []string{"config/crds/"},
	},
	{
		name: "velero", matrix: "velero", module: "github.com/vmware-tanzu/velero",
		versions: []string{"v1.6.0", "v1.8.0", "v1.10.0", "v1.12.0", "v1.14.0", "v1.15.0", "v1.16.0", "v1.17.0", "v1.18.3"},
		dirs:     []string{"config/crd/v1/bases/", "config/crd/v2alpha1/bases/", "config/crd/bases/"},
	},
	{
		name: "keda", module: "github.com/kedacore/keda/v2",
		versions: []string{"v2.8.1", "v2.10.0", "v2.12.0", "v2.14.0", "v2.16.0", "v2.18.0", "v2.20.0", "v2.21.0"},
		dirs:     []string{"config/crd/bases/"},
	},
	{
		name: "external-secrets", module: "github.com/external-secrets/external-secrets",
		versions: []string{"v0.7.0", "v0.9.0", "v0.10.7", "v0.12.1", "v0.14.4", "v0.16.2", "v0.18.2", "v0.20.4", "v1.3.2"},
		dirs:     []string{"config/crds/bases/"},
	},
	{
		// The provider module carries the core karpenter.sh CRDs too.
		name: "karpenter", matrix: "karpenter", module: "github.com/aws/karpenter-provider-aws",
		versions: []string{"v1.0.8", "v1.1.1", "v1.2.1", "v1.3.3", "v1.8.2", "v1.9.3", "v1.10.0", "v1.11.0", "v1.12.0", "v1.13.0", "v1.14.1", "v1.15.2"},
		dirs:     []string{"pkg/apis/crds/"},
	},
}

func prefixModules(module string, versions ...string) map[string]string {
	m := map[string]string{}
	for _, v := range versions {
		m[v] = module
	}
	return m
}

func (p *addonPin) moduleAt(version string) string {
	if m, ok := p.modules[version]; ok {
		return m
	}
	return p.module
}
