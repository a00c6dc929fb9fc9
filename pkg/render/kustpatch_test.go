package render

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
)

// A field is reported where it was written: the base for what the base
// holds unchanged, the patch file (or the inline patch's line in the
// kustomization) for what a patch set, in and out of the sandbox.
func TestKustomizePatchPositions(t *testing.T) {
	d := kdir + "/patchpos"
	base, ov := d+"/base/deployment.yaml", d+"/overlay/"
	cases := map[string]string{
		"apiVersion":                               base + ":1:1",
		"spec.selector.matchLabels.app":            base + ":9:7",
		"spec.template.spec":                       base + ":14:5",
		"spec.template.spec.nodeSelector":          ov + "node-selector.yaml:8:7",
		"spec.template.spec.nodeSelector.disktype": ov + "node-selector.yaml:9:9",
		// Added by a JSON6902 add in front of the base's container.
		"spec.template.spec.containers[0]": ov + "sidecar.yaml:3:3",
		// (envoy:1.31 through the images transformer: where the patch wrote it.)
		"spec.template.spec.containers[0].image":                      ov + "sidecar.yaml:5:5",
		"spec.template.spec.containers[0].securityContext.privileged": ov + "sidecar.yaml:7:7",
		// A field of the added container that no one wrote.
		"spec.template.spec.containers[0].resources": ov + "sidecar.yaml:3:3",
		// The base's container, moved to index 1, its image replaced.
		"spec.template.spec.containers[1]":       base + ":16:11",
		"spec.template.spec.containers[1].image": ov + "node-selector.yaml:12:11",
		// Added by the labels transformer: the object's own line.
		"metadata.labels.team":               base + ":1:1",
		"spec.template.metadata.labels.team": base + ":1:1",
		// Inline patches: JSON6902 and strategic merge.
		"spec.replicas":                  ov + "kustomization.yaml:15:9",
		"spec.template.spec.hostNetwork": ov + "kustomization.yaml:24:13",
	}
	for _, mode := range []string{"in-process", "sandboxed"} {
		opts := Options{Sandbox: SandboxOptions{Disabled: mode == "in-process"}}
		if mode == "sandboxed" && !sandbox.Available() {
			continue
		}
		res := render(t, "1.33", opts, d)
		if len(res.Problems) > 0 || len(res.Objects) != 1 {
			t.Fatalf("%s: problems %+v, %d objects", mode, res.Problems, len(res.Objects))
		}
		o := res.Objects[0]
		if o.Source.File != base || o.Source.Line != 1 {
			t.Errorf("%s: object at %s:%d", mode, o.Source.File, o.Source.Line)
		}
		if v, _ := o.Get("spec.template.spec.containers[0].image"); v != "envoy:1.31" {
			t.Errorf("%s: images transformer not applied: %v", mode, v)
		}
		// Ports merged by containerPort: the base's keeps its line, the
		// patch's is in the patch, whatever order Kustomize gives them.
		for i := 0; i < 2; i++ {
			p := fmt.Sprintf("spec.template.spec.containers[1].ports[%d]", i)
			v, _ := o.Get(p + ".containerPort")
			want := map[string]string{"80": base + ":19:15", "9090": ov + "node-selector.yaml:14:15"}[fmt.Sprint(v)]
			if f, l, c := o.FilePosOf(p); fmt.Sprintf("%s:%d:%d", f, l, c) != want {
				t.Errorf("%s: %s (port %v) at %s:%d:%d, want %s", mode, p, v, f, l, c, want)
			}
		}
		for path, want := range cases {
			f, l, c := o.FilePosOf(path)
			if got := fmt.Sprintf("%s:%d:%d", f, l, c); got != want {
				t.Errorf("%s: %s at %s, want %s", mode, path, got, want)
			}
		}
	}
}

// The deprecated fields Kustomize still reads: patchesStrategicMerge (a file
// and inline text) and patchesJson6902.
func TestKustomizeLegacyPatchPositions(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
		"base/deploy.yaml":        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n",
		"prod/kustomization.yaml": `resources:
  - ../base
patchesStrategicMerge:
  - smp.yaml
  - |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      minReadySeconds: 5
patchesJson6902:
  - target:
      group: apps
      version: v1
      kind: Deployment
      name: web
    path: json.yaml
`,
		"prod/smp.yaml":  "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4\n",
		"prod/json.yaml": "- op: add\n  path: /spec/template/spec/containers/-\n  value:\n    name: log\n    image: busybox\n",
	})
	res := render(t, "1.33", Options{Sandbox: SandboxOptions{Disabled: true}}, root)
	if len(res.Problems) > 0 || len(res.Objects) != 1 {
		t.Fatalf("problems %+v, %d objects", res.Problems, len(res.Objects))
	}
	o := res.Objects[0]
	for path, want := range map[string]string{
		"spec.replicas":                          "prod/smp.yaml:6",
		"spec.minReadySeconds":                   "prod/kustomization.yaml:11",
		"spec.template.spec.containers[0].image": "base/deploy.yaml:11",
		"spec.template.spec.containers[1]":       "prod/json.yaml:3",
		"spec.template.spec.containers[1].image": "prod/json.yaml:5",
	} {
		f, l, _ := o.FilePosOf(path)
		rel, _ := filepath.Rel(root, f)
		if got := fmt.Sprintf("%s:%d", filepath.ToSlash(rel), l); got != want {
			t.Errorf("%s at %s, want %s", path, got, want)
		}
	}
}
