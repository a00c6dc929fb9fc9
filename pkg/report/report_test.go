package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

const testdataDir = "../../testdata"

// fixture is testdata/report/findings.json: a model.Report including the
// fields its JSON form leaves out. It was produced from the manifests in
// testdata/report/repo with the rule engine.
type fixture struct {
	Tool           string            `json:"tool"`
	ToolVersion    string            `json:"toolVersion"`
	TargetVersion  string            `json:"targetVersion"`
	CurrentVersion string            `json:"currentVersion,omitempty"`
	FailOn         model.Severity    `json:"failOn"`
	ExitCode       int               `json:"exitCode"`
	Summary        model.Summary     `json:"summary"`
	Rules          []model.RuleInfo  `json:"rules"`
	Units          []model.Unit      `json:"units"`
	Objects        []model.ObjectRef `json:"objects"`
	Findings       []model.Finding   `json:"findings"`
}

func loadFixture(t *testing.T) *model.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, "report", "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatalf("findings.json: %v", err)
	}
	return &model.Report{
		Tool: fx.Tool, ToolVersion: fx.ToolVersion, TargetVersion: fx.TargetVersion,
		CurrentVersion: fx.CurrentVersion, FailOn: fx.FailOn, ExitCode: fx.ExitCode,
		Summary: fx.Summary, Rules: fx.Rules, Units: fx.Units, Objects: fx.Objects, Findings: fx.Findings,
	}
}

// goldenName maps a format to its golden file.
var goldenName = map[string]string{
	"text": "text.txt", "json": "report.json", "sarif": "report.sarif", "junit": "junit.xml",
	"github": "github.txt", "markdown": "summary.md", "gitlab": "gl-code-quality.json",
}

func render(t *testing.T, format string, r *model.Report, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r, opt); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			name, ok := goldenName[format]
			if !ok {
				t.Fatalf("no golden file name for format %q", format)
			}
			got := render(t, format, loadFixture(t), Options{})
			path := filepath.Join(testdataDir, "report", "golden", name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run go test ./pkg/report -update and review the diff)\n%s", format, path, firstDiff(got, want))
			}
		})
	}
}

// TestDeterministic renders every format repeatedly under different
// GOMAXPROCS and wants the same bytes each time.
func TestDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, format := range Formats() {
		var first []byte
		for i, procs := range []int{1, 8, 1, 8, 2} {
			runtime.GOMAXPROCS(procs)
			got := render(t, format, loadFixture(t), Options{})
			if i == 0 {
				first = got
				continue
			}
			if !bytes.Equal(got, first) {
				t.Errorf("%s: run %d (GOMAXPROCS=%d) differs\n%s", format, i, procs, firstDiff(got, first))
			}
		}
	}
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n got: " + x + "\nwant: " + y
		}
	}
	return ""
}

// reports are the inputs every consumer test checks: the fixture, an empty
// scan, findings without rules metadata, and a failed scan.
func reports(t *testing.T) map[string]*model.Report {
	t.Helper()
	full := loadFixture(t)
	bare := loadFixture(t)
	bare.Rules, bare.Units, bare.Objects, bare.ToolVersion, bare.Tool = nil, nil, nil, "(devel)", ""
	for i := range bare.Findings {
		bare.Findings[i].Line, bare.Findings[i].Column = 0, 0
	}
	clean := loadFixture(t)
	clean.Findings, clean.ExitCode, clean.Summary = nil, 0, model.Summary{Objects: 8}
	failed := &model.Report{Tool: "kupgrade-lint", ToolVersion: "v1.2.3", TargetVersion: "1.31", FailOn: model.SeverityWarning, ExitCode: 2}
	// Hostile text: CDATA terminators, control characters, markup, spaces
	// and non-ASCII in paths.
	hostile := loadFixture(t)
	hostile.FailOn = model.SeverityInfo
	for i := range hostile.Findings {
		hostile.Findings[i].Message = "a ]]> b \x01 <x> & \"q\" \u00e9\n%0A"
		hostile.Findings[i].File = "my dir/caf\u00e9 #1.yaml"
	}
	return map[string]*model.Report{"fixture": full, "bare": bare, "clean": clean, "failed": failed, "hostile": hostile}
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(testdataDir, "schemas", "sarif-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSARIFSchema(t *testing.T) {
	schema := sarifSchema(t)
	for name, r := range reports(t) {
		t.Run(name, func(t *testing.T) {
			out := render(t, "sarif", r, Options{})
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("SARIF does not validate: %v", err)
			}
			// Things the schema allows but strict consumers reject.
			for _, p := range strictProblems(doc, "") {
				t.Error(p)
			}
		})
	}
	// Negative case: the schema really rejects a broken log.
	broken := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{"tool": map[string]any{"driver": map[string]any{}}}}}
	if err := schema.Validate(broken); err == nil {
		t.Error("schema accepted a driver without a name")
	}
}

// strictProblems finds empty objects, empty strings, nulls and zero lines or
// columns anywhere in a decoded SARIF log (kube-score #559, #698).
func strictProblems(v any, at string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			out = append(out, at+": empty object")
		}
		for k, e := range x {
			if (k == "startLine" || k == "startColumn") && fmt.Sprint(e) == "0" {
				out = append(out, at+"."+k+" is 0")
			}
			out = append(out, strictProblems(e, at+"."+k)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, strictProblems(e, at+"["+itoa(i)+"]")...)
		}
	case string:
		if x == "" {
			out = append(out, at+": empty string")
		}
	case nil:
		out = append(out, at+": null")
	}
	return out
}

type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			RelatedLocations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
		Invocations []struct {
			ExitCode                   int  `json:"exitCode"`
			ExecutionSuccessful        bool `json:"executionSuccessful"`
			ToolExecutionNotifications []struct {
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Properties map[string]any `json:"properties"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, b []byte) sarifLog {
	t.Helper()
	var l sarifLog
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("want 1 run, got %d", len(l.Runs))
	}
	return l
}

// fileLine returns line n of a file of the fixture repository.
func fileLine(t *testing.T, rel string, n int) string {
	t.Helper()
	f, err := os.Open(filepath.Join(testdataDir, "report", "repo", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := 1; sc.Scan(); i++ {
		if i == n {
			return sc.Text()
		}
	}
	t.Fatalf("%s has no line %d", rel, n)
	return ""
}

// TestSARIFLocations checks that results point at the exact file and line
// the problem is on, for a multi-document file, a Helm template, a Kustomize
// base and an unparsable file.
func TestSARIFLocations(t *testing.T) {
	l := decodeSARIF(t, render(t, "sarif", loadFixture(t), Options{}))
	run := l.Runs[0]
	tests := []struct {
		rule, object string
		uri          string
		line, col    int
		lineHas      string // text on that line of the real file
		related      string
	}{
		{"removed-api", "PodDisruptionBudget/payments/payments", "deploy/all.yaml", 10, 1, "apiVersion: policy/v1beta1", ""},
		{"removed-api", "HorizontalPodAutoscaler/payments/payments", "deploy/all.yaml", 21, 1, "apiVersion: autoscaling/v2beta2", ""},
		{"deprecated-api", "FlowSchema/payments-batch", "deploy/all.yaml", 34, 1, "flowcontrol.apiserver.k8s.io/v1beta3", ""},
		{"removed-api", "CronJob/web-cleanup", "charts/web/templates/cronjob.yaml", 1, 1, "apiVersion: batch/v1beta1", "charts/web/"},
		{"removed-api", "Ingress/shop-prod/shop", "base/ingress.yaml", 1, 1, "apiVersion: networking.k8s.io/v1beta1", "overlays/prod/"},
		{"parse-error", "", "bad/broken.yaml", 5, 0, "namespace: oops", ""},
		{"render-error", "", "charts/broken/templates/configmap.yaml", 6, 17, "{{ .Values.config.name }}", "charts/broken/"},
	}
	for _, tc := range tests {
		t.Run(tc.rule+" "+tc.uri, func(t *testing.T) {
			found := false
			for _, res := range run.Results {
				if res.RuleID != tc.rule || len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil {
					continue
				}
				loc := res.Locations[0]
				if loc.PhysicalLocation.ArtifactLocation.URI != tc.uri {
					continue
				}
				fqn := ""
				if len(loc.LogicalLocations) > 0 {
					fqn = loc.LogicalLocations[0].FullyQualifiedName
				}
				if fqn != tc.object {
					continue
				}
				found = true
				if got := loc.PhysicalLocation.ArtifactLocation.URIBaseID; got != "%SRCROOT%" {
					t.Errorf("uriBaseId = %q", got)
				}
				reg := loc.PhysicalLocation.Region
				if reg == nil || reg.StartLine != tc.line || reg.StartColumn != tc.col {
					t.Fatalf("region = %+v, want line %d col %d", reg, tc.line, tc.col)
				}
				if got := fileLine(t, tc.uri, reg.StartLine); !strings.Contains(got, tc.lineHas) {
					t.Errorf("%s:%d is %q, want it to contain %q", tc.uri, reg.StartLine, got, tc.lineHas)
				}
				if run.Tool.Driver.Rules[res.RuleIndex].ID != tc.rule {
					t.Errorf("ruleIndex %d names %s", res.RuleIndex, run.Tool.Driver.Rules[res.RuleIndex].ID)
				}
				rel := ""
				if len(res.RelatedLocations) > 0 {
					rel = res.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI
				}
				if rel != tc.related {
					t.Errorf("related location = %q, want %q", rel, tc.related)
				}
				if len(res.PartialFingerprints[FingerprintKey]) != 32 {
					t.Errorf("partialFingerprints = %v", res.PartialFingerprints)
				}
			}
			if !found {
				t.Errorf("no %s result at %s for %q", tc.rule, tc.uri, tc.object)
			}
		})
	}
	if inv := run.Invocations[0]; inv.ExitCode != 1 || !inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 2 {
		t.Errorf("invocation = %+v, want exit 1, successful, 2 notifications (parse and render error)", inv)
	}
	if run.Properties["targetVersion"] != "1.29" {
		t.Errorf("run properties = %v", run.Properties)
	}
	if d := run.Tool.Driver; d.Name != "kupgrade-lint" || d.SemanticVersion != "0.4.0" {
		t.Errorf("driver = %+v", d)
	}
}

// TestSARIFUnknownLine: a finding without a line gets a file-level location,
// never line 0 or 1.
func TestSARIFUnknownLine(t *testing.T) {
	r := loadFixture(t)
	for i := range r.Findings {
		r.Findings[i].Line, r.Findings[i].Column = 0, 0
	}
	r.Findings = append(r.Findings, model.Finding{Rule: "removed-api", Severity: model.SeverityError, Message: "scan-wide", File: "-"})
	out := render(t, "sarif", r, Options{})
	if bytes.Contains(out, []byte(`"region"`)) || bytes.Contains(out, []byte(`"startLine"`)) {
		t.Error("region written for findings without a line")
	}
	l := decodeSARIF(t, out)
	if got := len(l.Runs[0].Results); got != len(r.Findings)-1 {
		t.Errorf("%d results, want %d (the finding without a file is a notification)", got, len(r.Findings)-1)
	}
	notes := l.Runs[0].Invocations[0].ToolExecutionNotifications
	scanWide := 0
	for _, n := range notes {
		if n.Message.Text == "scan-wide" {
			scanWide++
		}
	}
	if len(notes) != 3 || scanWide != 1 {
		t.Errorf("notifications = %+v", notes)
	}
	for _, res := range l.Runs[0].Results {
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation == nil {
			t.Errorf("result without a physical location: %+v", res)
		}
	}
}

// TestSARIFStdin: objects read from stdin get a location GitHub accepts,
// outside the source root.
func TestSARIFStdin(t *testing.T) {
	r := &model.Report{TargetVersion: "1.30", FailOn: model.SeverityError, Findings: []model.Finding{
		{Rule: "removed-api", Severity: model.SeverityError, Message: "m", File: "<stdin>", Line: 3, Column: 1, Kind: "CronJob", Name: "a"},
	}}
	out := render(t, "sarif", r, Options{})
	if !bytes.Contains(out, []byte(`"uri": "stdin"`)) || bytes.Contains(out, []byte(`"uri": "stdin",`)) {
		t.Errorf("stdin location:\n%s", out)
	}
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err := sarifSchema(t).Validate(doc); err != nil {
		t.Error(err)
	}
}

// TestSARIFFingerprintStable: moving a finding to another line keeps its
// partial fingerprint, so GitHub keeps tracking the same alert.
func TestSARIFFingerprintStable(t *testing.T) {
	a := decodeSARIF(t, render(t, "sarif", loadFixture(t), Options{}))
	moved := loadFixture(t)
	for i := range moved.Findings {
		moved.Findings[i].Line += 7
	}
	b := decodeSARIF(t, render(t, "sarif", moved, Options{}))
	for i := range a.Runs[0].Results {
		if x, y := a.Runs[0].Results[i].PartialFingerprints, b.Runs[0].Results[i].PartialFingerprints; x[FingerprintKey] != y[FingerprintKey] {
			t.Errorf("result %d: fingerprint changed with the line: %v vs %v", i, x, y)
		}
	}
}

func TestSARIFFailedRun(t *testing.T) {
	l := decodeSARIF(t, render(t, "sarif", reports(t)["failed"], Options{}))
	inv := l.Runs[0].Invocations[0]
	if inv.ExitCode != 2 || inv.ExecutionSuccessful {
		t.Errorf("invocation = %+v, want exit 2, not successful", inv)
	}
	if l.Runs[0].Tool.Driver.SemanticVersion != "1.2.3" {
		t.Errorf("semanticVersion = %q", l.Runs[0].Tool.Driver.SemanticVersion)
	}
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Failures  []struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"failure"`
			Errors []struct {
				Type string `xml:"type,attr"`
			} `xml:"error"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitStructure(t *testing.T) {
	var d junitDoc
	if err := xml.Unmarshal(render(t, "junit", loadFixture(t), Options{}), &d); err != nil {
		t.Fatal(err)
	}
	type suite struct {
		tests, failures, errors int
		cases                   []string // classname | name | file
	}
	want := map[string]suite{
		"bad/broken.yaml": {1, 0, 1, []string{"bad/broken.yaml|parse-error line 5|bad/broken.yaml"}},
		"charts/broken":   {1, 0, 1, []string{"charts/broken/templates/configmap.yaml|render-error line 6|charts/broken/templates/configmap.yaml"}},
		"charts/web": {2, 1, 0, []string{
			"CronJob/web-cleanup|removed-api apiVersion|charts/web/templates/cronjob.yaml",
			"Deployment/web|no findings|charts/web/templates/deployment.yaml",
		}},
		"deploy/all.yaml": {4, 2, 0, []string{
			"ConfigMap/payments/payments-config|no findings|deploy/all.yaml",
			"PodDisruptionBudget/payments/payments|removed-api apiVersion|deploy/all.yaml",
			"HorizontalPodAutoscaler/payments/payments|removed-api apiVersion|deploy/all.yaml",
			"FlowSchema/payments-batch|deprecated-api apiVersion|deploy/all.yaml",
		}},
		"overlays/prod": {2, 1, 0, []string{
			"Ingress/shop-prod/shop|removed-api apiVersion|base/ingress.yaml",
			"Service/shop-prod/shop|no findings|base/service.yaml",
		}},
	}
	if len(d.Suites) != len(want) {
		t.Errorf("got %d suites, want %d", len(d.Suites), len(want))
	}
	for _, s := range d.Suites {
		w, ok := want[s.Name]
		if !ok {
			t.Errorf("unexpected suite %q", s.Name)
			continue
		}
		var names []string
		for _, c := range s.Cases {
			names = append(names, c.Classname+"|"+c.Name+"|"+c.File)
		}
		if s.Tests != w.tests || s.Failures != w.failures || s.Errors != w.errors || strings.Join(names, ",") != strings.Join(w.cases, ",") {
			t.Errorf("suite %s: tests=%d failures=%d errors=%d cases=%q, want %+v", s.Name, s.Tests, s.Failures, s.Errors, names, w)
		}
		if s.Time != "0" {
			t.Errorf("suite %s: time=%q without timings", s.Name, s.Time)
		}
		for _, c := range s.Cases {
			if len(c.Failures)+len(c.Errors) > 1 {
				t.Errorf("case %s %s has %d failures and %d errors, want at most one", c.Classname, c.Name, len(c.Failures), len(c.Errors))
			}
			// The warning is below --fail-on error: listed, not failed.
			if c.Classname == "FlowSchema/payments-batch" && (len(c.Failures) != 0 || !strings.Contains(c.SystemOut, "deprecated-api")) {
				t.Errorf("FlowSchema case: failures=%v out=%q", c.Failures, c.SystemOut)
			}
			if c.Classname == "CronJob/web-cleanup" {
				if len(c.Failures) != 1 || !strings.Contains(c.Failures[0].Body, "location: charts/web/templates/cronjob.yaml:1:1") || !strings.Contains(c.Failures[0].Body, "chart: charts/web") {
					t.Errorf("CronJob failure = %+v", c.Failures)
				}
			}
		}
	}
	if d.Tests != 10 || d.Failures != 4 || d.Errors != 2 {
		t.Errorf("totals tests=%d failures=%d errors=%d, want 10/4/2", d.Tests, d.Failures, d.Errors)
	}

	// With --fail-on warning the FlowSchema fails too; with none nothing does.
	r := loadFixture(t)
	r.FailOn = model.SeverityWarning
	if err := xml.Unmarshal(render(t, "junit", r, Options{}), &d); err != nil || d.Failures != 5 {
		t.Errorf("fail-on warning: failures=%d err=%v, want 5", d.Failures, err)
	}
	r.FailOn = model.SeverityNone
	d = junitDoc{}
	if err := xml.Unmarshal(render(t, "junit", r, Options{}), &d); err != nil || d.Failures != 0 || d.Errors != 0 {
		t.Errorf("fail-on none: failures=%d errors=%d err=%v, want 0", d.Failures, d.Errors, err)
	}
}

// TestJUnitOneFailurePerCase: an object with several findings of one rule
// gets one numbered case per finding, each with a single failure.
func TestJUnitOneFailurePerCase(t *testing.T) {
	r := &model.Report{TargetVersion: "1.30", FailOn: model.SeverityWarning, Findings: []model.Finding{
		{Rule: "missing-requests", Severity: model.SeverityWarning, Message: "a", File: "d.yaml", Line: 9, Kind: "Deployment", Name: "w", APIVersion: "apps/v1"},
		{Rule: "missing-requests", Severity: model.SeverityWarning, Message: "b", File: "d.yaml", Line: 14, Kind: "Deployment", Name: "w", APIVersion: "apps/v1"},
		{Rule: "removed-field", Severity: model.SeverityError, Message: "c", File: "d.yaml", Line: 20, Kind: "Deployment", Name: "w", APIVersion: "apps/v1", FieldPath: "spec.template.spec.serviceAccount"},
	}}
	var d junitDoc
	if err := xml.Unmarshal(render(t, "junit", r, Options{}), &d); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range d.Suites[0].Cases {
		got = append(got, fmt.Sprintf("%s|%s|%d", c.Classname, c.Name, len(c.Failures)))
	}
	want := "Deployment/w|missing-requests|1,Deployment/w|missing-requests (2)|1,Deployment/w|removed-field spec.template.spec.serviceAccount|1"
	if strings.Join(got, ",") != want || d.Failures != 3 {
		t.Errorf("cases = %q (failures %d), want %q", got, d.Failures, want)
	}
}

func TestJUnitTimings(t *testing.T) {
	r := loadFixture(t)
	r.Units[2].DurationMS = 1234.5
	out := string(render(t, "junit", r, Options{Stats: true}))
	if !strings.Contains(out, `<testsuite name="charts/web" tests="2" failures="1" errors="0" skipped="0" time="1.234"`) && !strings.Contains(out, `time="1.235"`) {
		t.Errorf("timing not written:\n%s", out)
	}
}

// junitFileAttr matches the one attribute kupgrade-lint writes beyond the
// Jenkins XSD: testcase@file, which GitLab reads to link a test case to its
// file (and which Jenkins ignores).
var junitFileAttr = regexp.MustCompile(` file="[^"]*"`)

// junitXSDWithFile is the Jenkins XSD plus an optional testcase@file, so the
// extension is the only difference from the schema Jenkins documents.
func junitXSDWithFile(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdataDir, "schemas", "junit.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	anchor := `<xs:attribute name="classname" type="xs:string" use="optional"/>`
	if strings.Count(string(b), anchor) != 1 {
		t.Fatalf("junit.xsd: want exactly one %s", anchor)
	}
	ext := strings.Replace(string(b), anchor, anchor+`<xs:attribute name="file" type="xs:string" use="optional"/>`, 1)
	p := filepath.Join(dir, "junit-file.xsd")
	if err := os.WriteFile(p, []byte(ext), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestJUnitXmllint validates every JUnit output against the Jenkins JUnit
// XSD with xmllint (Debian libxml2-utils): as written against the XSD plus
// testcase@file, and without the file attributes against the XSD itself.
// Skipped when xmllint is absent.
func TestJUnitXmllint(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils)")
	}
	xsd := filepath.Join(testdataDir, "schemas", "junit.xsd")
	dir := t.TempDir()
	xsdFile := junitXSDWithFile(t, dir)
	for name, r := range reports(t) {
		out := render(t, "junit", r, Options{Stats: true})
		if name == "fixture" && !junitFileAttr.Match(out) {
			t.Errorf("fixture: no testcase file attribute")
		}
		p := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--schema", xsdFile, p).CombinedOutput(); err != nil {
			t.Errorf("%s: xmllint: %v\n%s", name, err, out)
		}
		plain := filepath.Join(dir, name+".plain.xml")
		if err := os.WriteFile(plain, junitFileAttr.ReplaceAll(out, nil), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, plain).CombinedOutput(); err != nil {
			t.Errorf("%s without file attributes: xmllint: %v\n%s", name, err, out)
		}
	}
	// Negative cases: the XSD rejects a testcase without a name, and the
	// extended XSD still rejects an attribute it does not declare.
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte(`<testsuites><testsuite name="x" tests="1"><testcase classname="x"/></testsuite></testsuites>`), 0o644)
	if err := exec.Command(xmllint, "--noout", "--schema", xsd, bad).Run(); err == nil {
		t.Error("xmllint accepted a testcase without a name")
	}
	os.WriteFile(bad, []byte(`<testsuites><testsuite name="x" tests="1"><testcase name="a" line="3"/></testsuite></testsuites>`), 0o644)
	if err := exec.Command(xmllint, "--noout", "--schema", xsdFile, bad).Run(); err == nil {
		t.Error("xmllint accepted an undeclared testcase attribute")
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		f    model.Finding
		want string
	}{
		{model.Finding{Rule: "removed-api", Severity: model.SeverityError, Message: "x was removed", File: "a/b.yaml", Line: 3, Column: 5, Kind: "Ingress", Namespace: "ns", Name: "web"},
			"::error file=a/b.yaml,line=3,col=5,title=removed-api Ingress/ns/web::x was removed\n"},
		{model.Finding{Rule: "r", Severity: model.SeverityWarning, Message: "100% broken\nsecond line\r", File: "dir,with:odd%.yaml"},
			"::warning file=dir%2Cwith%3Aodd%25.yaml,title=r::100%25 broken%0Asecond line\\r\n"},
		{model.Finding{Rule: "r", Severity: model.SeverityInfo, Message: "::error::injected", File: "-", Line: 4}, "::notice title=r::::error::injected\n"},
		{model.Finding{Rule: "r", Severity: model.SeverityError, Message: "m", File: "f.yaml", Column: 9}, "::error file=f.yaml,title=r::m\n"},
	}
	for _, tc := range tests {
		var buf bytes.Buffer
		if err := GitHub(&buf, &model.Report{Findings: []model.Finding{tc.f}}, Options{}); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tc.want {
			t.Errorf("got  %q\nwant %q", buf.String(), tc.want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	out := string(render(t, "markdown", loadFixture(t), Options{}))
	for _, want := range []string{
		"Kubernetes 1.29",
		"**7 findings** (6 errors, 1 warning, 0 info)",
		"| [removed-api](https://github.com/kupgrade-lint/kupgrade-lint/blob/main/docs/rules/removed-api.md) | error | 4 |",
		"| `deploy/all.yaml:21` | [removed-api]",
		"6 at or above `error`: the check fails.",
		"### What to do next",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q\n%s", want, out)
		}
	}
	// Pipes and newlines in messages must not break the table.
	r := &model.Report{TargetVersion: "1.30", Findings: []model.Finding{{Rule: "x", Severity: model.SeverityError, Message: "a|b\nc <script>", File: "f.yaml", Line: 1}}}
	var buf bytes.Buffer
	if err := Markdown(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `a\|b c &lt;script&gt;`) {
		t.Errorf("cell not escaped:\n%s", buf.String())
	}
	// A failed scan does not claim a clean result.
	buf.Reset()
	if err := Markdown(&buf, reports(t)["failed"], Options{}); err != nil || !strings.Contains(buf.String(), "Nothing was checked") {
		t.Errorf("failed summary: %v\n%s", err, buf.String())
	}
	// A clean report says so.
	buf.Reset()
	if err := Markdown(&buf, reports(t)["clean"], Options{}); err != nil || !strings.Contains(buf.String(), "No findings in 8 objects") {
		t.Errorf("clean summary: %v\n%s", err, buf.String())
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "yaml", &model.Report{}, Options{})
	if err == nil || !strings.Contains(err.Error(), "sarif") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestSemanticVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.3": "1.2.3", "v0.4.0": "0.4.0", "v1.0.0-rc.1+abc": "1.0.0-rc.1+abc",
		"c811018-dirty": "0.0.0-dev+c811018-dirty", "(devel)": "0.0.0-dev+-devel-",
		"v1.2.3-4-gabc..x": "0.0.0-dev+v1.2.3-4-gabc.x", "v1.2.3-4-gabc": "1.2.3-4-gabc", "": "0.0.0-dev", "1.2": "0.0.0-dev+1.2",
	} {
		if got := semanticVersion(in); got != want {
			t.Errorf("semanticVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGitLabCodeQuality(t *testing.T) {
	var issues []struct {
		Description string `json:"description"`
		CheckName   string `json:"check_name"`
		Fingerprint string `json:"fingerprint"`
		Severity    string `json:"severity"`
		Location    struct {
			Path  string `json:"path"`
			Lines struct {
				Begin int `json:"begin"`
			} `json:"lines"`
		} `json:"location"`
	}
	r := loadFixture(t)
	r.Findings = append(r.Findings, model.Finding{Rule: "x", Severity: model.SeverityError, Message: "no file", File: "-"})
	if err := json.Unmarshal(render(t, "gitlab", r, Options{}), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != len(r.Findings)-1 {
		t.Fatalf("%d issues for %d findings with a file", len(issues), len(r.Findings)-1)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if is.Description == "" || is.CheckName == "" || is.Location.Path == "" || is.Location.Lines.Begin < 1 || seen[is.Fingerprint] {
			t.Errorf("bad issue %+v", is)
		}
		seen[is.Fingerprint] = true
		switch is.Severity {
		case "info", "minor", "major", "critical", "blocker":
		default:
			t.Errorf("severity %q", is.Severity)
		}
	}
	if i := issues[len(issues)-2]; i.Location.Path != "deploy/all.yaml" || i.Location.Lines.Begin != 21 || i.Severity != "critical" {
		t.Errorf("HPA issue = %+v", i)
	}
	// Empty report: an empty array, which GitLab accepts.
	var buf bytes.Buffer
	if err := GitLab(&buf, &model.Report{}, Options{}); err != nil || strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("empty: %q %v", buf.String(), err)
	}
}
