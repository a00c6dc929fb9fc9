package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/isolate"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/kustomize"
)

// FuzzKustomization renders a fuzzed kustomization with a fuzzed resource
// file beside it: no input may panic the scan, hang it, run a program, or
// yield an object or problem located outside the scanned tree.
func FuzzKustomization(f *testing.F) {
	res := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
	for _, s := range [][2]string{
		{kustHead + "resources:\n  - res.yaml\n", res},
		{kustHead + "resources:\n  - res.yaml\n  - user@host:repo.git\n", res},
		{kustHead + "Resources:\n  - Git::https://example.com/r.git\n", res},
		{kustHead + "resources:\n  - .\n", res},
		{kustHead + "resources:\n  - base\n", res},
		{kustHead + "resources:\n  - ../../../etc\n", res},
		{kustHead + "resources:\n  - res.yaml\npatches:\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: web\n        annotations:\n          kupgrade-lint.io/source: /etc/passwd#0\n", res},
		{kustHead + "resources:\n  - res.yaml\n", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata: &d {x: *d}\n"},
		{kustHead + "resources:\n  - res.yaml\n", "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\napiVersion: v1\nkind: List\nitems: []\n"},
		{kustHead + "helmGlobals:\n  chartHome: /\nhelmCharts:\n  - name: etc\n    valuesFile: /etc/passwd\n", res},
		{kustHead + "generators:\n  - |\n    apiVersion: builtin\n    kind: ConfigMapGenerator\n    metadata: {name: c}\n    files: [res.yaml]\n", res},
		{kustHead + "transformers:\n  - res.yaml\n", "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: https://example.com/p\n"},
		{kustHead + "configMapGenerator:\n  - name: c\n    files: [k=res.yaml]\n    envs: [res.yaml]\n", "A=1\n"},
		{kustHead + "openapi:\n  path: res.yaml\nreplacements:\n  - path: res.yaml\n", "{}\n"},
		{kustHead + "resources: *x\n", res},
		{"<<: {resources: [ssh://h/r]}\n", res},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	// Every program Kustomize could run is a script leaving a marker.
	bin := f.TempDir()
	marker := filepath.Join(bin, "executed")
	for _, tool := range []string{"git", "ssh", "helm"} {
		if err := os.WriteFile(filepath.Join(bin, tool), []byte("#!/bin/sh\necho "+tool+" \"$@\" >> "+marker+"\nexit 1\n"), 0o755); err != nil {
			f.Fatal(err)
		}
	}
	f.Setenv("PATH", bin)
	restore := isolate.MuteStderr()
	defer restore()
	tv := kubeversion.MustParse("1.33")
	apis := kubeversion.Default().ServedAPIs(tv)
	f.Fuzz(func(t *testing.T, kust, resource []byte) {
		dir := t.TempDir()
		repo := filepath.Join(dir, "repo")
		writeTree(t, repo, map[string]string{
			"app/kustomization.yaml":      string(kust),
			"app/res.yaml":                string(resource),
			"app/base/kustomization.yaml": kustHead + "resources:\n  - ../res.yaml\n",
		})
		type out struct {
			res *Result
			err error
		}
		done := make(chan out, 1)
		go func() {
			r, err := Run(context.Background(), Options{Paths: []string{repo}, Target: tv, APIVersions: apis, Workers: 1, Sandbox: SandboxOptions{Disabled: true}})
			done <- out{r, err}
		}()
		var got out
		select {
		case got = <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("rendering did not finish in 30 s\nkustomization:\n%s\nresource:\n%s", kust, resource)
		}
		if got.err != nil {
			t.Fatalf("Run: %v", got.err)
		}
		if b, err := os.ReadFile(marker); err == nil {
			t.Fatalf("a program was run: %s", b)
		}
		inside := paths.Display(repo) + "/"
		for _, p := range got.res.Problems {
			if p.Message == "" || !strings.HasPrefix(p.File, inside) {
				t.Errorf("problem outside the tree or without a message: %+v", p)
			}
		}
		for _, o := range got.res.Objects {
			if !strings.HasPrefix(o.Source.File, inside) {
				t.Errorf("%s located outside the tree: %s", o.Ref(), o.Source.File)
			}
			for k := range o.Annotations() {
				if strings.HasPrefix(k, kustomize.SourceAnnotation) {
					t.Errorf("%s keeps %s", o.Ref(), k)
				}
			}
		}
	})
}
