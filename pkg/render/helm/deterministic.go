package helm

import (
	"regexp"
	"sort"
	"strings"
	"text/template/parse"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// Reports must be byte-identical across runs, but Sprig has functions that
// differ on every call: random strings and numbers, UUIDs, the clock,
// shuffles, salted hashes, random IVs, generated keys and certificates,
// and map-ordered key lists. Helm v3's engine.Engine has no supported way
// to replace template functions (its function map is built inside Render
// and tpl clones it), so the calls are rewritten in the template text
// instead, before rendering:
//
//   - randAlphaNum 5 renders "5", randInt 1 9 renders 9, shuffle s renders
//     s, uuidv4 a fixed UUID, randBytes and encryptAES a fixed base64
//     string, bcrypt and htpasswd a placeholder, ago "0s";
//   - now is 2000-01-01T12:00:00Z: noon UTC, so `now | date "2006-01-02"`
//     is 2000-01-01 in every zone from UTC-12 to UTC+11, and unixEpoch is
//     946728000 everywhere;
//   - certificate generators become a dict with the same .Cert and .Key
//     fields holding placeholders (the certificates are never checked, and
//     generating RSA keys was a tenth of the corpus render time);
//   - keys gets a `| sortAlpha`;
//   - date, dateInZone, htmlDate and htmlDateInZone use the clock when
//     their time is missing (an unset value), so it gets a `default` of
//     the fixed time.
//
// The rewrite works on parsed actions (text/template/parse), so fields,
// variables and strings that merely look like these names ($now,
// .Values.now, "randInt") are left alone, and it keeps every line where it
// was, so template lines still map. It covers templates, string values
// (which templates pass to tpl) and chart files containing actions (read
// with .Files.Get and passed to tpl). A template that assembles a function
// name at render time (printf "{{ %s }}" "now" | tpl) is not covered, nor
// a date function given a non-empty value that is not a time (a string:
// Sprig then uses the clock), nor the order of `values`.
//
// Replacements quote with backquotes: a rewritten value may be encoded
// (toJson, toYaml, quote) before it reaches tpl, and those escape double
// quotes but not backquotes.
const placeholderCert = "dict `Cert` `kupgrade-lint placeholder certificate` `Key` `kupgrade-lint placeholder key` `args`"

// placeholderB64 is base64 for "kupgrade-lint placeholder".
const placeholderB64 = "a3VwZ3JhZGUtbGludCBwbGFjZWhvbGRlcg=="

// fixedNow is what `now` is replaced by.
const fixedNow = "(toDate `2006-01-02T15:04:05Z07:00` `2000-01-01T12:00:00Z`)"

var (
	// randomFuncs is a cheap pre-filter: text without any of these names
	// is not parsed.
	randomFuncs  = regexp.MustCompile(`\b(randAlphaNum|randAlpha|randNumeric|randAscii|randInt|randBytes|uuidv4|shuffle|now|ago|date|dateInZone|date_in_zone|htmlDate|htmlDateInZone|bcrypt|htpasswd|encryptAES|keys|genSelfSignedCertWithKey|genSelfSignedCert|genSignedCertWithKey|genSignedCert|genCAWithKey|genCA|genPrivateKey|buildCustomCert)\b`)
	replacements = map[string]string{
		"randAlphaNum": "toString",
		"randAlpha":    "toString",
		"randNumeric":  "toString",
		"randAscii":    "toString",
		"randInt":      "max",
		"shuffle":      "toString",
		"uuidv4":       "`00000000-0000-4000-8000-000000000000`",
		"now":          fixedNow,
		// coalesce returns its first non-empty argument: the placeholder,
		// whatever the call's own arguments (given or piped) are.
		"randBytes":  "coalesce `" + placeholderB64 + "`",
		"encryptAES": "coalesce `" + placeholderB64 + "`",
		"bcrypt":     "coalesce `$2a$10$kupgrade-lint.placeholder.bcrypt.hash`",
		"htpasswd":   "coalesce `kupgrade-lint:placeholder-htpasswd`",
		"ago":        "coalesce `0s`",
		// The generators' own arguments become further (ignored) dict
		// entries.
		"genCA":                    placeholderCert,
		"genCAWithKey":             placeholderCert,
		"genSelfSignedCert":        placeholderCert,
		"genSelfSignedCertWithKey": placeholderCert,
		"genSignedCert":            placeholderCert,
		"genSignedCertWithKey":     placeholderCert,
		"buildCustomCert":          placeholderCert,
		"genPrivateKey":            "print `kupgrade-lint placeholder key for`",
	}
)

// makeDeterministic rewrites the nondeterministic calls in every template
// and in every file with template actions, of ch and its dependencies.
func makeDeterministic(ch *chart.Chart) {
	for _, t := range ch.Templates {
		if s, ok := rewriteActions(string(t.Data)); ok {
			t.Data = []byte(s)
		}
	}
	for _, f := range ch.Files {
		if s, ok := rewriteActions(string(f.Data)); ok {
			f.Data = []byte(s)
		}
	}
	for _, d := range ch.Dependencies() {
		makeDeterministic(d)
	}
}

// deterministicValues returns v with the actions in its strings rewritten
// (strings may reach tpl). Maps and lists are copied, not edited: they may
// be shared with the chart's own values.
func deterministicValues(v any) any {
	switch x := v.(type) {
	case string:
		if s, ok := rewriteActions(x); ok {
			return s
		}
		return x
	case chartutil.Values:
		out := make(chartutil.Values, len(x))
		for k, e := range x {
			out[k] = deterministicValues(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deterministicValues(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deterministicValues(e)
		}
		return out
	}
	return v
}

type textEdit struct {
	pos, n int // replace text[pos:pos+n]
	with   string
}

// rewriteActions rewrites the calls in text's template actions. It reports
// false, leaving text alone, when there is nothing to rewrite or the text
// does not parse as a template (Helm reports that itself).
func rewriteActions(text string) (string, bool) {
	if !mentionsRandom(text) {
		return text, false
	}
	t := parse.New("\x00kupgrade-lint") // a name no define can clash with
	t.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := t.Parse(text, "", "", trees); err != nil {
		return text, false
	}
	var edits []textEdit
	seen := map[parse.Pos]bool{}
	broken := false
	// ident rewrites a function name; head: it starts a command (so takes
	// the command's arguments), else it is an operand called bare.
	ident := func(id *parse.IdentifierNode, head bool) {
		p := int(id.Pos)
		if seen[id.Pos] {
			return
		}
		seen[id.Pos] = true
		if p < 0 || p+len(id.Ident) > len(text) || text[p:p+len(id.Ident)] != id.Ident {
			broken = true // positions are not where expected: leave the text alone
			return
		}
		if id.Ident == "keys" && head {
			if end := commandEnd(text, p+len(id.Ident)); end > 0 {
				edits = append(edits, textEdit{end, 0, " | sortAlpha"})
			}
			return
		}
		r, ok := replacements[id.Ident]
		if !ok {
			return
		}
		if !head && strings.Contains(r, " ") && !strings.HasPrefix(r, "(") {
			r = "(" + r + ")"
		}
		edits = append(edits, textEdit{p, len(id.Ident), r})
	}
	// Date functions read the clock when their time argument is not a
	// time (a missing value): it gets a `default`. These edits need
	// argument spans, which the parse tree gives less directly; if they do
	// not produce a valid template they are dropped.
	var dateEdits []textEdit
	seenCmd := map[parse.Pos]bool{}
	dateArg := func(c, prev *parse.CommandNode) {
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok || seenCmd[id.Pos] {
			return
		}
		seenCmd[id.Pos] = true
		idx, ok := dateTimeArg[id.Ident]
		if !ok {
			return
		}
		switch {
		case len(c.Args) > idx:
			if a, ok := c.Args[idx].(*parse.IdentifierNode); ok && a.Ident == "now" {
				return // rewritten already
			}
			start, ok := nodeStart(text, c.Args[idx])
			if !ok {
				return
			}
			end := -1
			if idx == len(c.Args)-1 {
				end = commandEnd(text, start)
			} else if next, ok := nodeStart(text, c.Args[idx+1]); ok {
				end = next
				for end > start && isSpace(text[end-1]) {
					end--
				}
			}
			if end <= start {
				return
			}
			dateEdits = append(dateEdits, textEdit{start, 0, "(default " + fixedNow + " "}, textEdit{end, 0, ")"})
		case len(c.Args) == idx && prev != nil && !isNow(prev):
			dateEdits = append(dateEdits, textEdit{int(id.Pos), 0, "default " + fixedNow + " | "})
		}
	}
	var walk func(n parse.Node)
	walkPipe := func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for ci, c := range p.Cmds {
			if len(c.Args) > 0 {
				var prev *parse.CommandNode
				if ci > 0 {
					prev = p.Cmds[ci-1]
				}
				dateArg(c, prev)
			}
			for i, a := range c.Args {
				if id, ok := a.(*parse.IdentifierNode); ok {
					ident(id, i == 0)
					continue
				}
				walk(a)
			}
		}
	}
	walk = func(n parse.Node) {
		switch x := n.(type) {
		case *parse.IdentifierNode:
			ident(x, false)
		case *parse.ListNode:
			if x == nil {
				return
			}
			for _, c := range x.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walkPipe(x.Pipe)
		case *parse.PipeNode:
			walkPipe(x)
		case *parse.ChainNode:
			walk(x.Node)
		case *parse.IfNode:
			walkPipe(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walkPipe(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			walkPipe(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.TemplateNode:
			walkPipe(x.Pipe)
		}
	}
	for _, tr := range trees {
		if tr.Root != nil {
			walk(tr.Root)
		}
	}
	if t.Root != nil {
		walk(t.Root)
	}
	if broken || len(edits)+len(dateEdits) == 0 {
		return text, false
	}
	if len(dateEdits) > 0 {
		if out, ok := applyEdits(text, append(append([]textEdit(nil), edits...), dateEdits...)); ok {
			return out, true
		}
	}
	return applyEdits(text, edits)
}

// isNow reports whether a pipeline command is a bare `now`.
func isNow(c *parse.CommandNode) bool {
	if len(c.Args) != 1 {
		return false
	}
	id, ok := c.Args[0].(*parse.IdentifierNode)
	return ok && id.Ident == "now"
}

// dateTimeArg is the index of the time argument (in the command, after
// the function name) of the date functions that fall back to the clock.
var dateTimeArg = map[string]int{"date": 2, "dateInZone": 2, "date_in_zone": 2, "htmlDate": 1, "htmlDateInZone": 1}

// nodeStart is where an operand starts in text. Parse positions are not
// always starts: a chain is positioned at its field, a parenthesized
// pipeline at its first token.
func nodeStart(text string, n parse.Node) (int, bool) {
	switch x := n.(type) {
	case *parse.ChainNode:
		return nodeStart(text, x.Node)
	case *parse.PipeNode:
		i := int(x.Pos) - 1
		for i >= 0 && i < len(text) && isSpace(text[i]) {
			i--
		}
		if i >= 0 && i < len(text) && text[i] == '(' {
			return i, true
		}
		return 0, false
	}
	// Single tokens print as written, but a multi-part field (.Values.t)
	// is positioned at its last part: find the printed form around Pos.
	str := n.String()
	p := int(n.Position())
	for start := p; start >= 0 && start > p-len(str); start-- {
		if start+len(str) <= len(text) && text[start:start+len(str)] == str {
			return start, true
		}
	}
	return 0, false
}

// applyEdits applies edits to text and checks the result still parses.
func applyEdits(text string, edits []textEdit) (string, bool) {
	if len(edits) == 0 {
		return text, false
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].pos < edits[j].pos })
	var b strings.Builder
	b.Grow(len(text) + 64*len(edits))
	last := 0
	for _, e := range edits {
		if e.pos < last || e.pos+e.n > len(text) {
			return text, false // overlapping edits
		}
		b.WriteString(text[last:e.pos])
		b.WriteString(e.with)
		last = e.pos + e.n
	}
	b.WriteString(text[last:])
	out := b.String()
	t := parse.New("\x00kupgrade-lint")
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(out, "", "", map[string]*parse.Tree{}); err != nil {
		return text, false
	}
	return out, true
}

// commandEnd finds where the pipeline command continuing at i ends: before
// the next "|", the closing ")" of its enclosing parenthesis, or the
// action's end ("}}", or " -}}"), spaces before it excluded. Strings and
// nested parentheses are skipped. It returns -1 when the end is not found.
func commandEnd(text string, i int) int {
	start := i
	end := func(e int) int {
		for e > start && isSpace(text[e-1]) {
			e--
		}
		return e
	}
	depth := 0
	for i < len(text) {
		c := text[i]
		switch {
		case c == '"' || c == '\'':
			i++
			for i < len(text) && text[i] != c {
				if text[i] == '\\' {
					i++
				}
				i++
			}
		case c == '`':
			i++
			for i < len(text) && text[i] != '`' {
				i++
			}
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return end(i)
			}
			depth--
		case c == '|' && depth == 0:
			return end(i)
		case c == '}' && depth == 0 && strings.HasPrefix(text[i:], "}}"):
			return end(i)
		case c == '-' && depth == 0 && strings.HasPrefix(text[i:], "-}}") && i > 0 && isSpace(text[i-1]):
			return end(i)
		}
		i++
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// mentionsRandom reports whether a template action in text names one of
// the rewritten functions. It looks at actions only and splits them into
// words: running randomFuncs over whole files of YAML cost a tenth of the
// render time.
func mentionsRandom(text string) bool {
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			return false
		}
		text = text[i+2:]
		action := text
		if j := strings.Index(text, "}}"); j >= 0 {
			action = text[:j]
		}
		for w := range strings.FieldsFuncSeq(action, notIdentRune) {
			if randomNames[w] {
				return true
			}
		}
		if len(action) == len(text) {
			return false
		}
		text = text[len(action)+2:]
	}
}

func notIdentRune(r rune) bool {
	return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_'
}

// randomNames are the function names randomFuncs matches.
var randomNames = func() map[string]bool {
	m := map[string]bool{}
	expr := randomFuncs.String()
	inner := expr[strings.Index(expr, "(")+1 : strings.LastIndex(expr, ")")]
	for _, n := range strings.Split(inner, "|") {
		m[n] = true
	}
	return m
}()
