package kustomize

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/isolate"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/helm"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
)

func TestPathLooksRemote(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{
		{"https://raw.githubusercontent.com/org/repo/main/deploy.yaml", true},
		{"http://example.com/x.yaml", true},
		{"HTTPS://example.com/x.yaml", true},
		{"github.com/org/repo//deploy/base?ref=v1", true},
		{"github.com/org/repo/deploy", true},
		{"GitHub.com/org/repo", true},
		{"git@github.com:org/repo.git//base", true},
		{"user@host:repo.git", true},
		{"deploy@2130706433:org/repo.git", true},
		{"x@host.com:repo.yaml/sub", true},
		{"x@host.com/org/repo", true},
		{"git::https://example.com/repo.git", true},
		{"Git::https://example.com/repo.git", true},
		{"GIT::git@host:repo", true},
		{"gh:org/repo", true},
		{"ssh://git@example.com/repo.git", true},
		{"file:///srv/repo.git", true},
		{"oci://registry.example.com/base", true},
		{"example.com/org/repo?ref=main", true},
		{"https://dev.azure.com/org/project/_git/repo", true},
		{"../../base", false},
		{"deployment.yaml", false},
		{"./patches/probe.yaml", false},
		{"missing/local/dir", false},
		{"app/base", false},
		{"configs/app.env", false},
	}
	for _, tt := range tests {
		if got := pathLooksRemote(tt.ref); got != tt.want {
			t.Errorf("pathLooksRemote(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}

func TestAnnotateSources(t *testing.T) {
	in := "# comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n  annotations:\n    x: y\n---\nnot: an object\n"
	out := string(annotateSources([]byte(in), "/r/f.yaml"))
	want := "---\n# comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: a\n    annotations:\n        " + sourceKey + ": /r/f.yaml#0\n" +
		"---\napiVersion: v1\nkind: Secret\nmetadata:\n    name: b\n    annotations:\n        x: y\n        " + sourceKey + ": /r/f.yaml#1\n" +
		"---\nnot: an object\n"
	if out != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	if bad := "a: [\n"; string(annotateSources([]byte(bad), "f")) != bad {
		t.Error("unparsable content must be left alone")
	}
}

// lateCancel is a context that reports cancellation from its second Err
// call on: the overlay's own check passes, whatever runs after it in the
// same context sees the cancellation.
type lateCancel struct {
	context.Context
	calls int
}

func (c *lateCancel) Err() error {
	c.calls++
	if c.calls > 1 {
		return context.Canceled
	}
	return nil
}

// helmCharts entries render in the overlay's context: once it is
// cancelled, the chart is not rendered (with a context of its own it
// would be).
func TestHelmChartsRenderInTheCallersContext(t *testing.T) {
	dir, err := filepath.Abs("../testdata/kustomize/helmcharts/ok")
	if err != nil {
		t.Fatal(err)
	}
	restore := isolate.MuteStderr()
	defer restore()
	build := func(ctx context.Context) []*model.Object {
		o := Overlay{Path: "ok", Dir: dir, Env: Env{Root: paths.ScanRoot(dir), Limit: decode.MaxFileSize}}
		cfg := helm.Config{Target: kubeversion.MustParse("1.33"), CRDAPIs: func() []string { return nil }}
		objs, probs := Render(ctx, o, cfg, &Cache{})
		if len(probs) > 0 {
			t.Fatalf("problems: %+v", probs)
		}
		return objs
	}
	if objs := build(context.Background()); len(objs) != 1 || objs[0].Name != "k-shop-report" {
		t.Fatalf("live context: %d objects, want the chart's CronJob", len(objs))
	}
	ctx := &lateCancel{Context: context.Background()}
	if objs := build(ctx); len(objs) != 0 || ctx.calls < 2 {
		t.Errorf("cancelled context: %d objects, %d Err calls; the chart rendered without the overlay's context", len(objs), ctx.calls)
	}
}
