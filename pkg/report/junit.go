package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// JUnit layout: one <testsuite> per scanned unit (plain file, chart,
// overlay); in it one <testcase> per finding, with at most one <failure> (a
// finding at or above --fail-on) or <error> (an input that could not be
// parsed or rendered), and one passing <testcase> per object without
// findings. Consumers read only one failure per test case (Jenkins takes the
// first, GitLab turns several into an array), hence one case per finding.
// Findings below the threshold pass and say so in <system-out>, so the
// report agrees with the exit code. Each case carries the repository path
// in a `file` attribute (GitLab links it); its classname is the object
// (Kind/namespace/name), or the file for findings about a whole file.

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
	slots      []*junitSlot
	byKey      map[string]*junitSlot
}

// junitSlot collects one object's findings (or one file's, for findings
// without an object) before they become test cases.
type junitSlot struct {
	class, file string
	findings    []*model.Finding
}

type junitProps struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Error     *junitMessage `xml:"error"`
	Failure   *junitMessage `xml:"failure"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
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
	paths := newPathMap(opt)
	suites := map[string]*junitSuite{}
	var order []string
	suite := func(name string) *junitSuite {
		if s, ok := suites[name]; ok {
			return s
		}
		s := &junitSuite{Name: name, byKey: map[string]*junitSlot{}}
		suites[name] = s
		order = append(order, name)
		return s
	}

	units := append([]model.Unit(nil), r.Units...)
	sort.SliceStable(units, func(i, j int) bool { return units[i].Path < units[j].Path })
	unitPaths := make([]string, 0, len(units))
	for _, u := range units {
		p := paths.path(u.Path)
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
		s := suite(unitOf(objectUnit(o.Origin, o.File, paths)))
		file := paths.path(o.File)
		s.slot(objectKey(o.APIVersion, o.Ref(), file), o.Ref(), file)
	}

	for i := range r.Findings {
		f := &r.Findings[i]
		name := unitOf(objectUnit(f.Origin, f.File, paths))
		if name == "" {
			name = toolName(r)
		}
		s := suite(name)
		file := paths.path(f.File)
		var sl *junitSlot
		if f.Kind != "" {
			key := objectKey(f.APIVersion, f.Ref(), file)
			if sl = s.byKey[key]; sl == nil {
				sl = s.findByClass(f.Ref())
			}
			if sl == nil {
				sl = s.slot(key, f.Ref(), file)
			}
		} else {
			class := file
			if class == "" {
				class = toolName(r)
			}
			sl = s.slot("\x00"+file, class, file)
		}
		sl.findings = append(sl.findings, f)
	}

	// Suites for units come first in path order, then suites only findings
	// or objects named, also in path order.
	sort.SliceStable(order, func(i, j int) bool { return order[i] < order[j] })
	out := junitSuites{Name: toolName(r)}
	var total float64
	for _, name := range order {
		s := suites[name]
		for _, sl := range s.slots {
			s.addCases(sl, r.FailOn, rules, paths)
		}
		for _, c := range s.Cases {
			switch {
			case c.Error != nil:
				s.Errors++
			case c.Failure != nil:
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

func (s *junitSuite) slot(key, class, file string) *junitSlot {
	if sl, ok := s.byKey[key]; ok {
		return sl
	}
	sl := &junitSlot{class: class, file: file}
	s.byKey[key] = sl
	s.slots = append(s.slots, sl)
	return sl
}

func (s *junitSuite) findByClass(class string) *junitSlot {
	for _, sl := range s.slots {
		if sl.class == class {
			return sl
		}
	}
	return nil
}

// addCases turns a slot into test cases: one passing case for an object
// without findings, else one case per finding. Names are the rule and the
// field (or line), numbered when an object has the same one twice, so
// Jenkins keeps each case's history across runs.
func (s *junitSuite) addCases(sl *junitSlot, failOn model.Severity, rules map[string]*model.RuleInfo, paths pathMap) {
	if len(sl.findings) == 0 {
		s.Cases = append(s.Cases, &junitCase{Name: "no findings", Classname: sl.class, File: sl.file, Time: "0"})
		return
	}
	seen := map[string]int{}
	for _, f := range sl.findings {
		name := f.Rule
		switch {
		case f.FieldPath != "":
			name += " " + f.FieldPath
		case f.Kind == "" && f.Line > 0:
			name += " line " + itoa(f.Line)
		}
		seen[name]++
		if n := seen[name]; n > 1 {
			name += " (" + itoa(n) + ")"
		}
		c := &junitCase{Name: xmlSafe(name), Classname: xmlSafe(sl.class), File: xmlSafe(sl.file), Time: "0"}
		body := xmlSafe(junitBody(f, rules[f.Rule], paths))
		switch {
		case !fails(f, failOn):
			c.SystemOut = &junitText{Text: xmlSafe(fmt.Sprintf("%s: %s [%s] at %s\n", f.Severity, f.Message, f.Rule, location(paths.path(f.File), f.Line, f.Column)))}
		case isProblem(f, rules):
			c.Error = &junitMessage{Message: xmlSafe(f.Message), Type: f.Rule, Body: body}
		default:
			c.Failure = &junitMessage{Message: xmlSafe(f.Message), Type: f.Rule, Body: body}
		}
		s.Cases = append(s.Cases, c)
	}
}

// objectUnit is the suite an object or finding belongs to: its chart or
// overlay, else its file.
func objectUnit(origin, file string, paths pathMap) string {
	if p := paths.path(origin); p != "" {
		return p
	}
	return paths.path(file)
}

func objectKey(apiVersion, ref, file string) string {
	return apiVersion + "\x00" + ref + "\x00" + file
}

func junitBody(f *model.Finding, ri *model.RuleInfo, paths pathMap) string {
	var b strings.Builder
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	line("rule", f.Rule+" ("+f.Severity.String()+")")
	line("location", location(paths.path(f.File), f.Line, f.Column))
	if f.Kind != "" {
		line("object", strings.TrimSpace(f.APIVersion+" "+f.Ref()))
	}
	line("field", f.FieldPath)
	switch f.SourceKind {
	case model.SourceHelm:
		line("chart", paths.path(f.Origin))
	case model.SourceKustomize:
		line("overlay", paths.path(f.Origin))
	default:
		line("origin", paths.path(f.Origin))
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
