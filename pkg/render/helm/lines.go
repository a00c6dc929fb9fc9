package helm

import (
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// TemplateLocator finds a field of a rendered object in the template that
// produced it, by walking the field path through the template's literal
// YAML structure (keys and list items by indentation). Lines made by
// template actions ({{ include ... }}, {{ toYaml ... }}) are not in the
// template, so the walk stops at the deepest literal ancestor: a finding on
// spec.template.spec.containers[0].resources.requests lands on the
// "resources:" line when the requests come from values.
//
// Its fields are plain data so it can cross the sandbox; the objects of one
// template share Lines.
type TemplateLocator struct {
	Lines []Line
	// Lo and Hi bound the template document holding the object (0-based,
	// Hi exclusive); Anchor is the object's apiVersion line (0-based).
	Lo, Hi, Anchor int
}

// Line is what the locator knows of one template line.
type Line struct {
	Key       string // mapping key on the line ("" if none)
	KeyIndent int    // column of the key (after any "- ")
	Dash      int    // column of a leading "- ", -1 if none
	Content   bool   // a YAML line (not blank, comment or template action)
	Ranged    bool   // a {{ range }} action: list items are not countable
	Indent    int    // column of the line's first character
}

// newTemplateLocator prepares a locator for the object whose apiVersion is
// on line anchor (1-based) of the template source.
func newTemplateLocator(lines []string, anchor int) *TemplateLocator {
	return locatorFor(lines, parseTemplateLines(lines), anchor)
}

func parseTemplateLines(lines []string) []Line {
	out := make([]Line, len(lines))
	for i, l := range lines {
		out[i] = parseTemplateLine(l)
	}
	return out
}

// locatorFor shares parsed lines between the objects of one template.
func locatorFor(lines []string, parsed []Line, anchor int) *TemplateLocator {
	if anchor <= 0 || anchor > len(lines) {
		return nil
	}
	t := &TemplateLocator{Lines: parsed, Anchor: anchor - 1}
	t.Lo, t.Hi = 0, len(lines)
	for i := anchor - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "---") {
			t.Lo = i + 1
			break
		}
	}
	for i := anchor; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "---") {
			t.Hi = i
			break
		}
	}
	return t
}

func parseTemplateLine(l string) Line {
	t := Line{Dash: -1}
	trimmed := strings.TrimLeft(l, " ")
	indent := len(l) - len(trimmed)
	t.Indent = indent
	switch {
	case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		return t
	case strings.HasPrefix(trimmed, "{{"):
		a := strings.TrimLeft(strings.TrimPrefix(trimmed, "{{"), "- ")
		t.Ranged = strings.HasPrefix(a, "range")
		return t
	}
	t.Content = true
	if strings.HasPrefix(trimmed, "- ") || trimmed == "-" {
		t.Dash = indent
		trimmed = strings.TrimLeft(strings.TrimPrefix(trimmed, "-"), " ")
		indent = len(l) - len(trimmed)
	}
	t.KeyIndent = indent
	if i := strings.Index(trimmed, ":"); i > 0 && (i == len(trimmed)-1 || trimmed[i+1] == ' ') {
		k := strings.Trim(trimmed[:i], `"'`)
		if !strings.Contains(k, "{{") {
			t.Key = k
		}
	}
	return t
}

// Locate returns the 1-based line and column of the deepest part of path
// found literally in the template, or 0.
func (t *TemplateLocator) Locate(path string) (line, col int) {
	if t == nil {
		return 0, 0
	}
	if path == "apiVersion" {
		// Branches on capabilities write several apiVersion lines; the
		// anchor is the one that rendered.
		return t.Anchor + 1, 1
	}
	lo, hi := t.Lo, t.Hi
	best, bestCol := 0, 0
	for _, s := range model.ParsePath(path) {
		if s.IsIdx {
			i, end := t.item(lo, hi, s.Index)
			if i < 0 {
				break
			}
			best, bestCol = i+1, t.Lines[i].Dash+1
			// Keys of the item: its first line and the lines below at the
			// same key indent.
			lo, hi = i, end
			continue
		}
		i := t.key(lo, hi, s.Key)
		if i < 0 {
			break
		}
		best, bestCol = i+1, t.Lines[i].KeyIndent+1
		lo, hi = i+1, t.blockEnd(i, hi)
	}
	return best, bestCol
}

// key finds key at the level of the first content line in [lo, hi).
func (t *TemplateLocator) key(lo, hi int, key string) int {
	level := -1
	for i := lo; i < hi; i++ {
		l := t.Lines[i]
		if !l.Content {
			continue
		}
		if level < 0 {
			level = l.KeyIndent
		}
		if l.KeyIndent == level && l.Key == key {
			return i
		}
	}
	return -1
}

// blockEnd is where the value of the key on line i ends.
func (t *TemplateLocator) blockEnd(i, hi int) int {
	ind := t.Lines[i].KeyIndent
	for j := i + 1; j < hi; j++ {
		l := t.Lines[j]
		if !l.Content {
			continue
		}
		if l.KeyIndent <= ind && (l.Dash < 0 || l.Dash < ind) {
			return j
		}
	}
	return hi
}

// item finds the n-th list item in [lo, hi) and where it ends; -1 when a
// range action before it may produce items of this list (they cannot be
// counted) or the list is short.
func (t *TemplateLocator) item(lo, hi, n int) (int, int) {
	dash := -1
	var starts []int
	var ranges []int
	for i := lo; i < hi; i++ {
		l := t.Lines[i]
		if l.Ranged {
			ranges = append(ranges, i)
		}
		if !l.Content || l.Dash < 0 {
			continue
		}
		if dash < 0 {
			dash = l.Dash
		}
		if l.Dash == dash {
			starts = append(starts, i)
		}
	}
	if n >= len(starts) {
		return -1, 0
	}
	for _, r := range ranges {
		// A loop written at the list's own level, before the item, adds an
		// unknown number of items ahead of it. Loops nested deeper inside
		// earlier items (env, ports) do not.
		if r < starts[n] && t.Lines[r].Indent <= dash {
			return -1, 0
		}
	}
	end := hi
	if n+1 < len(starts) {
		end = starts[n+1]
	}
	return starts[n], end
}
