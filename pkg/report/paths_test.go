package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

func TestPathMap(t *testing.T) {
	root := filepath.FromSlash("/src/repo")
	m := newPathMap(Options{Root: root, WorkDir: filepath.Join(root, "deploy")})
	tests := []struct {
		file, want string
		inside     bool
	}{
		{"all.yaml", "deploy/all.yaml", true},                              // run from a subdirectory
		{"../charts/web/t.yaml", "charts/web/t.yaml", true},                // relative, up and down
		{filepath.FromSlash("/src/repo/base/x.yaml"), "base/x.yaml", true}, // absolute inside
		{filepath.FromSlash("/src/repo"), ".", true},
		{filepath.FromSlash("/src/repo2/x.yaml"), "/src/repo2/x.yaml", false}, // shares a prefix only
		{"../../other/y.yaml", "/src/other/y.yaml", false},
		{"<stdin>", "", false},
		{"-", "", false},
	}
	for _, tc := range tests {
		got, inside := m.repo(filepath.FromSlash(tc.file))
		if got != tc.want || inside != tc.inside {
			t.Errorf("repo(%q) = %q, %v; want %q, %v", tc.file, got, inside, tc.want, tc.inside)
		}
	}
	if got := m.rootURI(); got != "file:///src/repo/" {
		t.Errorf("rootURI = %q", got)
	}
	if got := absFileURI("/tmp/my dir/a#1.yaml"); got != "file:///tmp/my%20dir/a%231.yaml" {
		t.Errorf("absFileURI = %q", got)
	}
	// Without a root, paths stay as scanned.
	if got, inside := newPathMap(Options{}).repo("./a/../b.yaml"); got != "b.yaml" || !inside {
		t.Errorf("no root: %q %v", got, inside)
	}
}

// relocated is the fixture as a scan from a subdirectory (charts/) and of
// absolute paths gives it, plus one file outside the repository.
func relocated(t *testing.T, root string) *model.Report {
	r := loadFixture(t)
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case strings.HasPrefix(f.File, "charts/"):
			f.File = strings.TrimPrefix(f.File, "charts/")
			f.Origin = strings.TrimPrefix(f.Origin, "charts/")
		default:
			f.File = filepath.Join(root, f.File)
			if f.Origin != "" {
				f.Origin = filepath.Join(root, f.Origin)
			}
		}
	}
	r.Findings = append(r.Findings, model.Finding{Rule: "removed-api", Severity: model.SeverityError, Message: "outside", File: "/elsewhere/x y.yaml", Line: 2, Column: 1, Kind: "CronJob", Name: "o", APIVersion: "batch/v1beta1"})
	return r
}

// TestSARIFRepositoryRelative: whatever the working directory and however
// the paths were given, results name repository paths under %SRCROOT%,
// which points at the root; a file outside the root gets an absolute
// file:// URI without a base, and the log still validates.
func TestSARIFRepositoryRelative(t *testing.T) {
	root := "/src/repo"
	opt := Options{Root: root, WorkDir: root + "/charts"}
	out := render(t, "sarif", relocated(t, root), opt)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(doc); err != nil {
		t.Errorf("SARIF does not validate: %v", err)
	}
	for _, p := range strictProblems(doc, "") {
		t.Error(p)
	}
	var l struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct {
				URI string `json:"uri"`
			} `json:"originalUriBaseIds"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &l); err != nil {
		t.Fatal(err)
	}
	if got := l.Runs[0].OriginalURIBaseIDs["%SRCROOT%"].URI; got != "file:///src/repo/" {
		t.Errorf("originalUriBaseIds %%SRCROOT%% = %q", got)
	}
	uris := map[string]string{}
	related := map[string]bool{}
	for _, res := range decodeSARIF(t, out).Runs[0].Results {
		a := res.Locations[0].PhysicalLocation.ArtifactLocation
		uris[a.URI] = a.URIBaseID
		for _, rl := range res.RelatedLocations {
			related[rl.PhysicalLocation.ArtifactLocation.URI] = true
		}
	}
	want := map[string]string{
		"bad/broken.yaml": "%SRCROOT%", "base/ingress.yaml": "%SRCROOT%", "deploy/all.yaml": "%SRCROOT%",
		"charts/web/templates/cronjob.yaml": "%SRCROOT%", "charts/broken/templates/configmap.yaml": "%SRCROOT%",
		"file:///elsewhere/x%20y.yaml": "",
	}
	if len(uris) != len(want) {
		t.Errorf("uris = %v, want %v", uris, want)
	}
	for u, base := range want {
		if got, ok := uris[u]; !ok || got != base {
			t.Errorf("uri %q: base %q (present %v), want %q", u, got, ok, base)
		}
	}
	for _, u := range []string{"charts/web/", "overlays/prod/"} {
		if !related[u] {
			t.Errorf("no related location %q in %v", u, related)
		}
	}
}

// TestOtherFormatsRepositoryRelative: GitLab, annotations, Markdown and
// JUnit name the same repository paths; JSON and text keep the paths as
// scanned (their documented contract).
func TestOtherFormatsRepositoryRelative(t *testing.T) {
	root := "/src/repo"
	opt := Options{Root: root, WorkDir: root + "/charts"}
	r := relocated(t, root)
	for format, want := range map[string][]string{
		"gitlab":   {`"path": "charts/web/templates/cronjob.yaml"`, `"path": "deploy/all.yaml"`, `"path": "/elsewhere/x y.yaml"`},
		"github":   {"file=charts/web/templates/cronjob.yaml,", "file=deploy/all.yaml,", "file=/elsewhere/x y.yaml,"},
		"markdown": {"`charts/web/templates/cronjob.yaml:1`", "`deploy/all.yaml:10`"},
		"junit":    {`<testsuite name="charts/web"`, `file="charts/web/templates/cronjob.yaml"`, `<testsuite name="overlays/prod"`, `location: deploy/all.yaml:10:1`},
		"json":     {`"file": "web/templates/cronjob.yaml"`, `"file": "/src/repo/deploy/all.yaml"`},
		"text":     {"\nweb/templates/cronjob.yaml\n", "\n/src/repo/deploy/all.yaml\n"},
	} {
		out := string(render(t, format, r, opt))
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q\n%s", format, w, out)
			}
		}
		if format != "json" && format != "text" && strings.Contains(out, "/src/repo") {
			t.Errorf("%s names the absolute root:\n%s", format, out)
		}
	}
}
