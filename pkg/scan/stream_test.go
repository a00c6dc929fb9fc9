package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/internal/monorepo"
	"github.com/kupgrade-lint/kupgrade-lint/internal/testcorpus"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// compareStreaming checks that the streaming scan finds exactly what the
// whole-set scan finds, at every evaluated version.
func compareStreaming(t *testing.T, opts Options, wantFallback bool) {
	t.Helper()
	rs, err := Select(rules.All(), nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := whole(context.Background(), opts, rs)
	if err != nil {
		t.Fatal(err)
	}
	s, err := stream(context.Background(), opts, rs)
	if wantFallback {
		if !errors.Is(err, errWholeSet) {
			t.Fatalf("stream: %v, want errWholeSet", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for v, wf := range w.findings {
		sf := s.findings[v]
		Sort(wf)
		Sort(sf)
		if len(wf) == 0 {
			t.Fatalf("%s: no findings: the comparison would prove nothing", v)
		}
		if !reflect.DeepEqual(wf, sf) {
			n := min(len(wf), len(sf))
			for i := 0; i < n; i++ {
				if !reflect.DeepEqual(wf[i], sf[i]) {
					t.Fatalf("%s: finding %d differs:\nwhole  %+v\nstream %+v", v, i, wf[i], sf[i])
				}
			}
			t.Fatalf("%s: %d findings whole-set, %d streaming", v, len(wf), len(sf))
		}
	}
	if !reflect.DeepEqual(w.refs, s.refs) || !reflect.DeepEqual(w.ignores, s.ignores) || len(w.units) != len(s.units) {
		t.Fatal("objects, suppressions or units differ")
	}
}

func TestStreamingEqualsWholeSet(t *testing.T) {
	for _, tc := range []struct{ target, current string }{{"1.24", ""}, {"1.33", "1.29"}} {
		opts := Options{Target: kubeversion.MustParse(tc.target), Render: render.Options{Paths: []string{"../../testdata"}, Sandbox: render.SandboxOptions{Disabled: true}}}
		if tc.current != "" {
			opts.Current = kubeversion.MustParse(tc.current)
		}
		compareStreaming(t, opts, false)
	}
}

func TestStreamingEqualsWholeSetOnCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	compareStreaming(t, Options{Target: kubeversion.MustParse("1.33"), Render: render.Options{Paths: []string{dir}, Sandbox: render.SandboxOptions{Disabled: true}}}, false)
}

// A CRD that defines a kind the streaming scan checked before the CRD was
// known makes the scan redo the work with every object in memory.
func TestStreamingFallsBackWhenACRDRedefinesAKnownKind(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec: {schedule: '* * * * *', jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: b}]}}}}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.yaml"), []byte("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: cronjobs.batch}\nspec:\n  group: batch\n  names: {kind: CronJob, plural: cronjobs}\n  scope: Namespaced\n  versions: [{name: v1beta1, served: true, storage: true}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Target: kubeversion.MustParse("1.33"), Render: render.Options{Paths: []string{dir}}}
	compareStreaming(t, opts, true)
	rep, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Rule == "removed-api" {
			t.Errorf("the CRD serves batch/v1beta1 CronJob, yet: %s", f.Message)
		}
	}
}

func TestStreamingEqualsWholeSetOnMonorepo(t *testing.T) {
	dir := t.TempDir()
	if _, err := monorepo.Write(dir, 2200); err != nil {
		t.Fatal(err)
	}
	compareStreaming(t, Options{Target: kubeversion.MustParse("1.33"), Render: render.Options{Paths: []string{dir}}}, false)
}
