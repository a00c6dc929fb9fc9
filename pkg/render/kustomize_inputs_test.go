package render

import (
	"path/filepath"
	"sort"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

// Kubebuilder layouts: patch files in patches/ or named only in comments of
// the kustomization are kustomize inputs, not manifests; a manifest in
// another subdirectory that nothing names is still scanned.
func TestKubebuilderPatchesAreInputs(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"config/default/kustomization.yaml": "resources:\n- ../crd\n",
		"config/crd/kustomization.yaml": `resources:
- bases/widgets.yaml
# [WEBHOOK] uncomment to enable the conversion webhook
#- extra/webhook_in_widgets.yaml
`,
		"config/crd/bases/widgets.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n",
		// Partial objects: a CRD patch without spec.group or names.
		"config/crd/patches/cainjection_in_widgets.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n  annotations: {cert-manager.io/inject-ca-from: x/y}\n",
		"config/crd/extra/webhook_in_widgets.yaml":       "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  conversion: {strategy: Webhook}\n",
		// Named nowhere and not in patches/: a manifest of its own.
		"config/crd/samples/ingress.yaml": "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: sample\n",
	})
	res := render(t, "1.33", Options{}, root)
	var files []string
	for _, u := range res.Units {
		rel, _ := filepath.Rel(paths.Display(root), u.Path)
		files = append(files, string(u.Kind)+" "+filepath.ToSlash(rel))
	}
	sort.Strings(files)
	want := []string{"file config/crd/samples/ingress.yaml", "kustomize config/default"}
	if len(files) != len(want) || files[0] != want[0] || files[1] != want[1] {
		t.Errorf("units %q, want %q", files, want)
	}
}
