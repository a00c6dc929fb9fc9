package render

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/kustomize"
)

const kdir = "testdata/kustomize"

func unitList(res *Result) []string {
	var out []string
	for _, u := range res.Units {
		out = append(out, string(u.Kind)+" "+u.Path)
	}
	sort.Strings(out)
	return out
}

func TestKustomizeOverlayOverBase(t *testing.T) {
	res := render(t, "1.25", Options{}, kdir+"/app")
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	// The base and the component are rendered through the overlay only; the
	// base's files are not plain files, and neither is the unreferenced file
	// beside the base's kustomization (a kustomize input nobody deploys).
	wantUnits := []string{"kustomize " + kdir + "/app/overlays/prod"}
	if got := unitList(res); strings.Join(got, "|") != strings.Join(wantUnits, "|") {
		t.Errorf("units %v, want %v", got, wantUnits)
	}
	type want struct {
		file  string
		line  int
		exact bool
	}
	wants := map[string]want{
		"CronJob/prod/prod-report": {kdir + "/app/base/cronjob.yaml", 2, true},
		// Patched by the component: fields are located one by one.
		"Deployment/prod/prod-web": {kdir + "/app/base/deployment.yaml", 1, false},
	}
	for _, o := range res.Objects {
		ref := o.Ref()
		if strings.HasPrefix(ref, "ConfigMap/prod/prod-settings-") {
			ref = "ConfigMap/prod/prod-settings"
			wants[ref] = want{kdir + "/app/overlays/prod/kustomization.yaml", 10, false}
		}
		w, ok := wants[ref]
		if !ok {
			t.Errorf("unexpected object %s", ref)
			continue
		}
		delete(wants, ref)
		if o.Source.File != w.file || o.Source.Line != w.line || o.Source.Exact != w.exact {
			t.Errorf("%s at %s:%d exact=%v, want %s:%d exact=%v", ref, o.Source.File, o.Source.Line, o.Source.Exact, w.file, w.line, w.exact)
		}
		if o.Annotations()[kustomize.SourceAnnotation] != "" || strings.Contains(fmt.Sprint(o.Node), kustomize.SourceAnnotation) {
			t.Errorf("%s keeps the origin annotation", ref)
		}
		if o.Source.Kind == model.SourceKustomize {
			if o.Source.Origin != kdir+"/app/overlays/prod" || (o.Extra[kustomize.SourceAnnotation] == "") != (ref == "ConfigMap/prod/prod-settings") {
				t.Errorf("%s: origin %q extra %v", ref, o.Source.Origin, o.Extra)
			}
		}
		if ref == "Deployment/prod/prod-web" {
			// The component's patch applied, and positions come from the base file.
			if _, ok := o.Get("spec.template.spec.containers[0].readinessProbe"); !ok {
				t.Errorf("component patch not applied")
			}
			if l, _ := o.PosOf("spec.template.spec.containers[0].image"); l != 16 {
				t.Errorf("image at line %d, want 16", l)
			}
			if f, l, _ := o.FilePosOf("spec.template.spec.containers[0].readinessProbe"); f != kdir+"/app/components/probe/probe.yaml" || l != 10 {
				t.Errorf("readinessProbe at %s:%d, want the component's patch, line 10", f, l)
			}
		}
	}
	for ref := range wants {
		t.Errorf("%s not rendered", ref)
	}
	// The base's removed API is reported once, at the base file.
	got := findings("1.25", res)
	wantF := []string{"removed-api " + kdir + "/app/base/cronjob.yaml:2 batch/v1beta1/CronJob"}
	if strings.Join(got, "\n") != strings.Join(wantF, "\n") {
		t.Errorf("findings %v, want %v", got, wantF)
	}
}

func TestKustomizeRenderAll(t *testing.T) {
	res := render(t, "1.25", Options{RenderAll: true}, kdir+"/app")
	want := []string{
		"kustomize " + kdir + "/app/base",
		"kustomize " + kdir + "/app/components/probe",
		"kustomize " + kdir + "/app/overlays/prod",
	}
	if got := unitList(res); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("units %v, want %v", got, want)
	}
	// A component on its own has nothing to patch: a render error at it.
	if len(res.Problems) != 1 || res.Problems[0].File != kdir+"/app/components/probe/kustomization.yaml" || res.Problems[0].Rule != "render-error" {
		t.Errorf("problems: %+v", res.Problems)
	}
}

func TestKustomizeRemoteBase(t *testing.T) {
	res := render(t, "1.33", Options{}, kdir+"/remote")
	if len(res.Problems) != 1 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	p := res.Problems[0]
	ref := "https://github.com/example/app//deploy/base?ref=v1.0.0"
	if p.Rule != "render-error" || p.File != kdir+"/remote/kustomization.yaml" || p.Line != 5 || p.Detail != ref || !strings.Contains(p.Message, ref) {
		t.Errorf("problem %+v", p)
	}
	// The overlay is not built; its local file is still scanned on its own.
	if len(res.Objects) != 1 || res.Objects[0].Source.File != kdir+"/remote/service.yaml" || res.Objects[0].Source.Kind != model.SourcePlain {
		t.Errorf("objects: %d", len(res.Objects))
	}
}

func TestKustomizeHelmCharts(t *testing.T) {
	dir := kdir + "/helmcharts/ok"
	tests := []struct{ target, api string }{{"1.20", "batch/v1beta1"}, {"1.33", "batch/v1"}}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			res := render(t, tt.target, Options{}, dir)
			if len(res.Problems) > 0 {
				t.Fatalf("problems: %+v", res.Problems)
			}
			// The chart is rendered through the overlay only.
			if got := unitList(res); len(got) != 1 || got[0] != "kustomize "+dir {
				t.Errorf("units %v", got)
			}
			if len(res.Objects) != 1 {
				t.Fatalf("%d objects", len(res.Objects))
			}
			o := res.Objects[0]
			line := map[string]int{"batch/v1": 2, "batch/v1beta1": 4}[tt.api]
			if o.APIVersion != tt.api || o.Name != "k-shop-report" || o.Namespace != "" {
				t.Errorf("got %s %s in %q", o.APIVersion, o.Name, o.Namespace)
			}
			if o.Source.File != dir+"/charts/web/templates/cronjob.yaml" || o.Source.Line != line || o.Source.Origin != dir {
				t.Errorf("at %s:%d origin %s", o.Source.File, o.Source.Line, o.Source.Origin)
			}
			if s, _ := o.Get("spec.schedule"); s != "@hourly" {
				t.Errorf("valuesInline not applied: schedule %v", s)
			}
		})
	}
	res := render(t, "1.33", Options{}, kdir+"/helmcharts/missing")
	if len(res.Problems) != 1 || res.Problems[0].Line != 4 || !strings.Contains(res.Problems[0].Message, "not vendored") {
		t.Errorf("problems: %+v", res.Problems)
	}
}
