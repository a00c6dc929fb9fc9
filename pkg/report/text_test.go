package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Payloads a scanned repository can put into names, paths, messages and
// versions, and how each must be printed.
var injections = []struct{ raw, shown string }{
	{"a\x1b]0;pwned\abc", `a\x1b]0;pwned\x07bc`},                                     // OSC: window title
	{"\x1b[2Jclear", `\x1b[2Jclear`},                                                 // erase screen
	{"x\n  1:1     info    fake-rule  fine", `x\n  1:1     info    fake-rule  fine`}, // fake report line
	{"ok\rerror gone", `ok\rerror gone`},                                             // carriage return overwrite
	{"tab\there\x00nul\x7fdel", `tab\there\x00nul\x7fdel`},                           // other C0 and DEL
	{"c1\u009b31mred\u0085", `c1\u009b31mred\u0085`},                                 // C1 CSI and NEL
	{"evil\u202egnp.yaml", `evil\u202egnp.yaml`},                                     // right-to-left override
	{"\u2066iso\u2069\u202a\u202d", `\u2066iso\u2069\u202a\u202d`},                   // isolates, embeddings
	{"bad\xff\x9butf8", `bad\xff\x9butf8`},                                           // invalid UTF-8 (raw 8-bit CSI)
	{"ünïcødé → ok", "ünïcødé → ok"},                                                 // ordinary text is kept
}

func TestSafeText(t *testing.T) {
	for _, in := range injections {
		if got := safeText(in.raw); got != in.shown {
			t.Errorf("safeText(%q) = %q, want %q", in.raw, got, in.shown)
		}
	}
}

// Every field the text writer prints is escaped; only our own colour codes
// reach the terminal.
func TestTextEscapesEveryField(t *testing.T) {
	for _, in := range injections {
		for field, set := range map[string]func(*model.Report, *model.Finding){
			"file":       func(_ *model.Report, f *model.Finding) { f.File = in.raw },
			"name":       func(_ *model.Report, f *model.Finding) { f.Name = in.raw },
			"namespace":  func(_ *model.Report, f *model.Finding) { f.Namespace = in.raw },
			"kind":       func(_ *model.Report, f *model.Finding) { f.Kind = in.raw },
			"apiVersion": func(_ *model.Report, f *model.Finding) { f.APIVersion = in.raw },
			"message":    func(_ *model.Report, f *model.Finding) { f.Message = in.raw },
			"origin":     func(_ *model.Report, f *model.Finding) { f.Origin = in.raw },
			"rule":       func(_ *model.Report, f *model.Finding) { f.Rule = in.raw },
			"hop":        func(_ *model.Report, f *model.Finding) { f.Timing, f.Hop = "upgrade", in.raw },
			"current":    func(r *model.Report, f *model.Finding) { f.Timing, r.CurrentVersion = "current", in.raw },
			"notice":     func(r *model.Report, _ *model.Finding) { r.Notices = []string{in.raw} },
			"unit":       func(r *model.Report, _ *model.Finding) { r.Units = []model.Unit{{Kind: "file", Path: in.raw}} },
		} {
			f := model.Finding{Rule: "render-error", Severity: model.SeverityError, Message: "m", File: "f.yaml", Line: 3, Column: 1, APIVersion: "v1", Kind: "ConfigMap", Name: "n"}
			r := &model.Report{TargetVersion: "1.33"}
			set(r, &f)
			r.Findings = []model.Finding{f}
			for _, color := range []bool{false, true} {
				var buf bytes.Buffer
				if err := Text(&buf, r, Options{Color: color, Stats: true}); err != nil {
					t.Fatal(err)
				}
				out := buf.String()
				if !strings.Contains(out, in.shown) {
					t.Errorf("%s %q (color %v): output lacks %q:\n%s", field, in.raw, color, in.shown, out)
				}
				if in.raw != in.shown && strings.Contains(out, in.raw) {
					t.Errorf("%s %q (color %v): raw payload printed", field, in.raw, color)
				}
				plain := out
				for _, c := range []string{ansiReset, ansiRed, ansiYellow, ansiBlue, ansiBold, ansiDim} {
					plain = strings.ReplaceAll(plain, c, "")
				}
				if i := strings.IndexFunc(plain, func(r rune) bool {
					return r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || isBidiControl(r) || r == 0xfffd)
				}); i >= 0 {
					t.Errorf("%s %q (color %v): control character %q in output:\n%q", field, in.raw, color, plain[i:], out)
				}
				// Exactly one finding line, one message line, and no other
				// line that looks like a finding.
				if n := strings.Count(out, "\n  3:1 "); n != 1 {
					t.Errorf("%s %q: %d finding lines:\n%s", field, in.raw, n, out)
				}
				if strings.Contains(out, "\n  1:1") {
					t.Errorf("%s %q: a payload started a report line:\n%s", field, in.raw, out)
				}
			}
		}
	}
}

func TestTextKeepsOwnColours(t *testing.T) {
	r := &model.Report{TargetVersion: "1.33", Findings: []model.Finding{{Rule: "removed-api", Severity: model.SeverityError, Message: "gone", File: "a.yaml", Line: 1}}}
	var buf bytes.Buffer
	if err := Text(&buf, r, Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ansiBold+"a.yaml"+ansiReset) || !strings.Contains(buf.String(), ansiRed+"error  "+ansiReset) {
		t.Errorf("colours lost: %q", buf.String())
	}
}

func TestGitHubAndMarkdownEscapeControls(t *testing.T) {
	f := model.Finding{Rule: "parse-error", Severity: model.SeverityError, Message: "bad\x1b[2J\u202eline1\nline2", File: "x\x1b]0;t\a.yaml", Line: 2, Kind: "Pod", Name: "p\u202e`|"}
	r := &model.Report{TargetVersion: "1.33", Findings: []model.Finding{f}}
	var buf bytes.Buffer
	if err := GitHub(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=x\\x1b]0;t\\x07.yaml,line=2,title=parse-error Pod/p\\u202e`|::bad\\x1b[2J\\u202eline1%0Aline2\n"
	if buf.String() != want {
		t.Errorf("github:\n got  %q\n want %q", buf.String(), want)
	}
	buf.Reset()
	if err := Markdown(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, w := range []string{"| `x\\x1b]0;t\\x07.yaml:2` |", "| `Pod/p\\u202e'\\|` |", `| bad\\x1b\[2J\\u202eline1 line2 |`} {
		if !strings.Contains(out, w) {
			t.Errorf("markdown lacks %q:\n%s", w, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\a\u202e\r") {
		t.Errorf("markdown has raw control characters: %q", out)
	}
	// A CR in a code span would end the table row.
	if got := mdCode("a\rb\r\nc"); got != "a b c" {
		t.Errorf("mdCode = %q", got)
	}
}
