// Package deps pins the module's third-party dependencies while the packages
// that use them are being written; it is removed once they all have users.
package deps

import (
	_ "github.com/Masterminds/semver/v3"
	_ "github.com/bmatcuk/doublestar/v4"
	_ "github.com/owenrumney/go-sarif/v2/sarif"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/spf13/cobra"
	_ "github.com/yannh/kubeconform/pkg/validator"
	_ "gopkg.in/yaml.v3"
	_ "helm.sh/helm/v3/pkg/chart/loader"
	_ "helm.sh/helm/v3/pkg/chartutil"
	_ "helm.sh/helm/v3/pkg/engine"
	_ "k8s.io/apimachinery/pkg/labels"
	_ "sigs.k8s.io/kustomize/api/krusty"
	_ "sigs.k8s.io/kustomize/kyaml/filesys"
	_ "sigs.k8s.io/yaml"
)
