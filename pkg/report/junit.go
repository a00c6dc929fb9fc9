package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// JUnit layout: one <testsuite> per scanned unit (plain file, chart, overlay),
// one <testcase> per object, a <failure> per finding at or above --fail-on and
// an <error> per input that could not be parsed or rendered. Findings below
// the threshold are listed in the test case's <system-out>, so the report
// agrees with the exit code.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string       `xml:"name,attr"`
	Tests      int          `xml:"tests,attr"`
	Failures   int          `xml:"failures,attr"`
	Errors     int          `xml:"errors,attr"`
	Skipped    int          `xml:"skipped,attr"`
	Time       string       `xml:"time,attr"`
	Properties *junitProps  `xml:"properties,omitempty"`
	Cases      []*junitCase `xml:"testcase"`
	durationMS float64
	byKey      map[string]*junitCase
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Errors    []junitMessage `xml:"error"`
	Failures  []junitMessage `xml:"failure"`
	SystemOut *junitText     `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

// junitText is element text kept readable (CDATA keeps line breaks as they
// are instead of &#xA;).
type junitText struct {
	Text string `xml:",cdata"`
}

// JUnit writes r as JUnit XML (the Ant/Jenkins dialect that Jenkins, GitLab
// and Azure DevOps read).
func JUnit(w io.Writer, r *model.Report, opt Options) error {
	rules := ruleMap(r)
	suites := map[string]*junitSuite{}
	var order []string
	suite := func(name string) *junitSuite {
		if s, ok := suites[name]; ok {
			return s
		}
		s := &junitSuite{Name: name, byKey: map[string]*junitCase{}}
		suites[name] = s
		order = append(order, name)
		return s
	}

	units := append([]model.Unit(nil), r.Units...)
	sort.SliceStable(units, func(i, j int) bool { return units[i].Path < units[j].Path })
	unitPaths := make([]string, 0, len(units))
	for _, u := range units {
		p := repoPath(u.Path, opt.BaseDir)
		s := suite(p)
		s.durationMS += u.DurationMS
		props := []junitProp{{Name: "source", Value: string(u.Kind)}}
		if r.TargetVersion != "" {
			props = append(props, junitProp{Name: "target-version", Value: r.TargetVersion})
		}
		s.Properties = &junitProps{Props: props}
		unitPaths = append(unitPaths, p)
	}
	// unitOf finds the unit a path belongs to: the unit itself, else the
	// deepest unit directory containing it.
	unitOf := func(p string) string {
		best := ""
		for _, u := range unitPaths {
			if p == u {
				return u
			}
			if strings.HasPrefix(p, strings.TrimSuffix(u, "/")+"/") && len(u) > len(best) {
				best = u
			}
		}
		if best != "" {
			return best
		}
		return p
	}

	for _, o := range r.Objects {
		s := suite(unitOf(objectUnit(o.Origin, o.File, opt.BaseDir)))
		s.addCase(objectKey(o.APIVersion, o.Ref(), repoPath(o.File, opt.BaseDir)), o.Ref(), s.Name)
	}

	for i := range r.Findings {
		f := &r.Findings[i]
		name := unitOf(objectUnit(f.Origin, f.File, opt.BaseDir))
		if name == "" {
			name = toolName(r)
		}
		s := suite(name)
		var c *junitCase
		if f.Kind != "" {
			key := objectKey(f.APIVersion, f.Ref(), repoPath(f.File, opt.BaseDir))
			c = s.byKey[key]
			if c == nil {
				c = s.findByName(f.Ref())
			}
			if c == nil {
				c = s.addCase(key, f.Ref(), s.Name)
			}
		} else {
			// Findings without an object (unreadable inputs) get a test case
			// named after their location.
			loc := location(repoPath(f.File, opt.BaseDir), f.Line, 0)
			if loc == "" {
				loc = f.Rule
			}
			c = s.byKey["\x00"+loc]
			if c == nil {
				c = s.addCase("\x00"+loc, loc, s.Name)
			}
		}
		body := xmlSafe(junitBody(f, rules[f.Rule], opt.BaseDir))
		switch {
		case !fails(f, r.FailOn):
			if c.SystemOut == nil {
				c.SystemOut = &junitText{}
			}
			c.SystemOut.Text += xmlSafe(fmt.Sprintf("%s: %s [%s] at %s\n", f.Severity, f.Message, f.Rule, location(repoPath(f.File, opt.BaseDir), f.Line, f.Column)))
		case isProblem(f, rules):
			c.Errors = append(c.Errors, junitMessage{Message: f.Message, Type: f.Rule, Body: body})
		default:
			c.Failures = append(c.Failures, junitMessage{Message: f.Message, Type: f.Rule, Body: body})
		}
	}

	// Suites for units come first in path order, then suites only findings
	// or objects named, also in path order.
	sort.SliceStable(order, func(i, j int) bool { return order[i] < order[j] })
	out := junitSuites{Name: toolName(r)}
	var total float64
	for _, name := range order {
		s := suites[name]
		for _, c := range s.Cases {
			c.Time = "0"
			switch {
			case len(c.Errors) > 0:
				s.Errors++
			case len(c.Failures) > 0:
				s.Failures++
			}
		}
		s.Tests = len(s.Cases)
		s.Time = seconds(s.durationMS, opt.Stats)
		total += s.durationMS
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Suites = append(out.Suites, *s)
	}
	out.Time = seconds(total, opt.Stats)

	b, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

func (s *junitSuite) addCase(key, name, class string) *junitCase {
	if c, ok := s.byKey[key]; ok {
		return c
	}
	c := &junitCase{Name: name, Classname: class}
	s.byKey[key] = c
	s.Cases = append(s.Cases, c)
	return c
}

func (s *junitSuite) findByName(name string) *junitCase {
	for _, c := range s.Cases {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// objectUnit is the suite an object or finding belongs to: its chart or
// overlay, else its file.
func objectUnit(origin, file, baseDir string) string {
	if p := repoPath(origin, baseDir); p != "" {
		return p
	}
	return repoPath(file, baseDir)
}

func objectKey(apiVersion, ref, file string) string {
	return apiVersion + "\x00" + ref + "\x00" + file
}

func junitBody(f *model.Finding, ri *model.RuleInfo, baseDir string) string {
	var b strings.Builder
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	line("rule", f.Rule+" ("+f.Severity.String()+")")
	line("location", location(repoPath(f.File, baseDir), f.Line, f.Column))
	if f.Kind != "" {
		line("object", strings.TrimSpace(f.APIVersion+" "+f.Ref()))
	}
	line("field", f.FieldPath)
	switch f.SourceKind {
	case model.SourceHelm:
		line("chart", repoPath(f.Origin, baseDir))
	case model.SourceKustomize:
		line("overlay", repoPath(f.Origin, baseDir))
	default:
		line("origin", repoPath(f.Origin, baseDir))
	}
	line("message", f.Message)
	line("fix", f.Remediation)
	if ri != nil {
		line("docs", ri.HelpURI)
	}
	return b.String()
}

// seconds formats a duration for JUnit time attributes; without timings it
// is always 0 so output stays byte-identical across runs.
func seconds(ms float64, timed bool) string {
	if !timed || ms <= 0 {
		return "0"
	}
	return fmt.Sprintf("%.3f", ms/1000)
}

// xmlSafe drops characters XML 1.0 cannot carry (control characters from a
// broken input file), which CDATA sections do not escape.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}
