package planreport_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/plan"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/planreport"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/sandbox"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/scan"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) {
	sandbox.Main()
	os.Exit(m.Run())
}

// TestGolden plans testdata/plan/repo from 1.25 to 1.32 and compares every
// format with testdata/plan/golden.
func TestGolden(t *testing.T) {
	t.Chdir("../../testdata/plan")
	p, err := plan.Run(context.Background(), scan.Options{
		Current: kubeversion.MustParse("1.25"), Target: kubeversion.MustParse("1.32"),
		FailOn: model.SeverityError, Render: render.Options{Paths: []string{"repo"}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	ext := map[string]string{"text": "txt", "markdown": "md", "json": "json", "html": "html"}
	for _, f := range planreport.Formats() {
		var b bytes.Buffer
		if err := planreport.Write(&b, f, p); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("golden", "plan."+ext[f])
		if *update {
			if err := os.MkdirAll("golden", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./pkg/planreport -update)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from testdata/plan/%s (run go test ./pkg/planreport -update and review the diff)", f, path)
		}
	}
}

func hostilePlan() *plan.Plan {
	evil := "<script>alert(1)</script>\x1b[31m\u202e|*[x](javascript:1)"
	f := model.Finding{Rule: "removed-api", Severity: model.SeverityError, Message: "msg " + evil, File: "dir/" + evil + ".yaml", Line: 3, Kind: "Ingress", Name: evil}
	return &plan.Plan{
		CurrentVersion: "1.29", TargetVersion: "1.30",
		AlreadyBroken: []model.Finding{f},
		Hops: []plan.Hop{{From: "1.29", To: "1.30", Findings: []model.Finding{f},
			Addons: []plan.AddonEntry{{Name: evil, Version: evil, File: evil, Line: 1, UpgradeTo: evil, Reason: evil}}}},
		Evidence: plan.Evidence{LifecycleData: evil, Minors: []string{"1.29", "1.30"}, Notices: []string{evil},
			Addons: []plan.AddonStatus{{Name: evil, Version: evil, File: evil, Verdict: evil}}},
	}
}

func TestHTMLEscapesHostileNames(t *testing.T) {
	var b bytes.Buffer
	if err := planreport.HTML(&b, hostilePlan()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script") || strings.Contains(out, "\x1b") {
		t.Fatal("hostile name reached the page unescaped")
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatal("escaped name missing from the page")
	}
	for _, ext := range []string{"<link", "src=", "@import", "http://", "https://"} {
		if strings.Contains(out, ext) {
			t.Errorf("page is not self-contained: contains %q", ext)
		}
	}
}

func TestTextAndMarkdownEscape(t *testing.T) {
	for _, f := range []string{"text", "markdown"} {
		var b bytes.Buffer
		if err := planreport.Write(&b, f, hostilePlan()); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.ContainsAny(out, "\x1b\u202e") {
			t.Errorf("%s: control characters reached the output", f)
		}
		if f == "markdown" && (strings.Contains(out, "<script") || strings.Contains(out, "[x](javascript")) {
			t.Errorf("markdown: markup reached the output")
		}
	}
}
