package kustomize

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/decode"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/render/internal/paths"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// The Kustomize path reads untrusted input with a library that fetches
// remote bases (git, HTTP) and expands YAML aliases without limits. Everything
// here exists to make sure that, before krusty sees an overlay, every path it
// will use is a local file or directory inside the scanned tree, and every
// file it reads is a bounded, regular, alias-safe YAML file.

// KrustyHook, set by tests only, sees every overlay directory handed to
// Kustomize (refused overlays never are).
var KrustyHook func(dir string)

// Env is what checking an overlay depends on besides its files.
type Env struct {
	Root  string // the scanned tree (absolute, symlinks resolved)
	Limit int64  // file size limit
}

// kustRefusal is a file or reference the Kustomize path will not use; reason
// completes a sentence whose subject is the file.
type kustRefusal struct {
	line   int
	reason string
}

func (r *kustRefusal) Error() string { return r.reason }

// readInTree reads a regular file that resolves inside root, of at most
// limit bytes. Missing files and directories give plain errors (krusty
// probes for files); everything else refused is a *kustRefusal.
func readInTree(root, p string, limit int64) (data []byte, real string, err error) {
	real, err = filepath.EvalSymlinks(p)
	if err != nil {
		return nil, "", err
	}
	if !paths.Within(root, real) {
		return nil, real, &kustRefusal{reason: "resolves outside the scanned tree, which is never read"}
	}
	if st, err := os.Stat(real); err != nil {
		return nil, real, err
	} else if st.IsDir() {
		return nil, real, fmt.Errorf("%s is a directory", p)
	}
	data, err = safefs.ReadFile(real, limit)
	var se *safefs.Error
	switch {
	case errors.Is(err, safefs.ErrNotRegular):
		return nil, real, &kustRefusal{reason: "is not a regular file (devices, FIFOs and sockets are never read)"}
	case errors.As(err, &se) && errors.Is(err, safefs.ErrTooLarge):
		return nil, real, &kustRefusal{reason: se.Reason + "; not read (raise maxFileSize in .kupgrade-lint.yaml or exclude it)"}
	case err != nil:
		return nil, real, err
	}
	return data, real, nil
}

func tooBig(size, limit int64) *kustRefusal {
	return &kustRefusal{reason: fmt.Sprintf("is %d bytes, larger than the %d-byte limit; not read (raise maxFileSize in .kupgrade-lint.yaml or exclude it)", size, limit)}
}

// readYAMLInTree is readInTree plus the alias check, for files a YAML
// library will expand.
func readYAMLInTree(root, p string, limit int64) ([]byte, string, error) {
	data, real, err := readInTree(root, p, limit)
	if err != nil {
		return nil, real, err
	}
	if r := checkYAMLExpansion(data); r != nil {
		return nil, real, r
	}
	return data, real, nil
}

// Alias limits. Kustomize's YAML library copies alias targets when it
// reads a document, so a few hundred bytes of nested aliases become
// gigabytes, and an alias inside its own anchor never ends.
const (
	maxYAMLExpansion = 1_000_000 // nodes after alias expansion, per file
	maxYAMLAliases   = 100_000   // alias nodes per file
	maxYAMLNesting   = 10_000    // depth, aliases followed
)

// checkYAMLExpansion parses every document of data the ways Kustomize and
// this package cut a stream into documents, and reports the first alias
// cycle or expansion beyond the limits. Syntax errors are left to the
// parsers that report them.
func checkYAMLExpansion(data []byte) *kustRefusal {
	if bytes.IndexByte(data, '*') < 0 {
		return nil // no alias without a '*'
	}
	variants := [][]decode.Document{{{Text: data, Line: 1}}, decode.Split(data), splitLikeKyaml(data)}
	for _, pieces := range variants {
		for _, d := range pieces {
			if r := checkPiece(d); r != nil {
				return r
			}
		}
	}
	return nil
}

func checkPiece(d decode.Document) *kustRefusal {
	s := &aliasSizer{memo: map[*yaml.Node]int{}, active: map[*yaml.Node]bool{}}
	dec := yaml.NewDecoder(bytes.NewReader(d.Text))
	for s.bad == nil {
		var n yaml.Node
		if dec.Decode(&n) != nil {
			break
		}
		s.size(&n, 0)
	}
	if s.bad != nil {
		s.bad.line += d.Line - 1
	}
	return s.bad
}

var kyamlSeparator = regexp.MustCompile(`\n---.*\n`)

// splitLikeKyaml cuts documents where Kustomize's reader does.
func splitLikeKyaml(data []byte) []decode.Document {
	s := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	var docs []decode.Document
	prev, line := 0, 1
	for _, loc := range kyamlSeparator.FindAllIndex(s, -1) {
		docs = append(docs, decode.Document{Text: s[prev:loc[0]], Line: line})
		line += bytes.Count(s[prev:loc[1]], []byte("\n"))
		prev = loc[1]
	}
	return append(docs, decode.Document{Text: s[prev:], Line: line})
}

// aliasSizer counts the nodes a document expands to, each distinct node
// once (memo), so the count itself stays linear.
type aliasSizer struct {
	memo    map[*yaml.Node]int
	active  map[*yaml.Node]bool
	aliases int
	bad     *kustRefusal
}

func (s *aliasSizer) fail(n *yaml.Node, format string, args ...any) int {
	if s.bad == nil {
		s.bad = &kustRefusal{line: n.Line, reason: fmt.Sprintf(format, args...)}
	}
	return maxYAMLExpansion + 1
}

func (s *aliasSizer) size(n *yaml.Node, depth int) int {
	if s.bad != nil {
		return maxYAMLExpansion + 1
	}
	if v, ok := s.memo[n]; ok {
		return v
	}
	if depth > maxYAMLNesting {
		return s.fail(n, "nests more than %d levels deep (counting aliases); not read", maxYAMLNesting)
	}
	total := 1
	s.active[n] = true
	if n.Kind == yaml.AliasNode {
		s.aliases++
		switch {
		case s.aliases > maxYAMLAliases:
			return s.fail(n, "has more than %d aliases; not read", maxYAMLAliases)
		case n.Alias == nil:
		case s.active[n.Alias]:
			return s.fail(n, "has an alias cycle: *%s is used inside its own anchor; not read", n.Value)
		default:
			total += s.size(n.Alias, depth+1)
			if total > maxYAMLExpansion {
				return s.fail(n, "expands beyond %d nodes at alias *%s (an alias bomb); not read", maxYAMLExpansion, n.Value)
			}
		}
	}
	for _, c := range n.Content {
		total += s.size(c, depth+1)
		if s.bad != nil {
			return total
		}
		if total > maxYAMLExpansion {
			if c.Kind == yaml.AliasNode {
				return s.fail(c, "expands beyond %d nodes at alias *%s (an alias bomb); not read", maxYAMLExpansion, c.Value)
			}
			return s.fail(c, "expands beyond %d nodes through aliases (an alias bomb); not read", maxYAMLExpansion)
		}
	}
	delete(s.active, n)
	s.memo[n] = total
	return total
}

// scpUser is the "user@" Kustomize takes as the start of an scp-like git
// address (user@host:org/repo), which it clones by running git.
var scpUser = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*@`)

// kustomizeWouldFetch reports whether Kustomize would treat s as a git
// repository or an HTTP file, whatever exists on disk: it tries those
// readings before the local one.
func kustomizeWouldFetch(s string) bool {
	for _, t := range []string{s, strings.TrimSpace(s)} {
		l := strings.ToLower(t)
		for strings.HasPrefix(l, "git::") {
			l = l[len("git::"):]
		}
		if strings.HasPrefix(l, "github.com/") || strings.HasPrefix(l, "github.com:") || scpUser.MatchString(l) {
			return true
		}
		for _, scheme := range []string{"ssh:", "https:", "http:", "file:", "git:", "oci:", "s3:", "gcs:", "hg:"} {
			if strings.HasPrefix(l, scheme) {
				return true
			}
		}
		// Kustomize's own test for files it downloads.
		if u, err := url.Parse(t); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			return true
		}
	}
	return false
}

// pathLooksRemote is kustomizeWouldFetch plus every other shape of an
// address (scheme, host:path, go-getter query), for strings used as paths.
func pathLooksRemote(s string) bool {
	if kustomizeWouldFetch(s) || strings.Contains(s, "://") {
		return true
	}
	first, _, _ := strings.Cut(filepath.ToSlash(s), "/")
	if strings.ContainsAny(first, ":@") {
		return true // host:path, gh:org/repo, user@host
	}
	for _, q := range []string{"?ref=", "?version=", "?submodules=", "?timeout=", "_git/"} {
		if strings.Contains(s, q) {
			return true
		}
	}
	return false
}

// hostLike reports a missing reference that reads as host/org/repo: worded
// as remote in messages.
func hostLike(s string) bool {
	first, _, hasSlash := strings.Cut(s, "/")
	return hasSlash && first != "." && first != ".." && strings.Contains(first, ".") && !strings.HasSuffix(first, ".yaml") && !strings.HasSuffix(first, ".yml")
}

// isInlineYAML reports whether Kustomize could read s as YAML content
// rather than a path (patchesStrategicMerge, generators, transformers and
// validators accept both): a mapping or a list.
func isInlineYAML(s string) bool {
	var n yaml.Node
	if yaml.Unmarshal([]byte(s), &n) != nil || n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
		return false
	}
	k := n.Content[0].Kind
	return k == yaml.MappingNode || k == yaml.SequenceNode
}

// sourceKey is the annotation that actually carries sources through a
// build. The random suffix keeps a patch or a resource from setting it (a
// forged source would make the tool read and blame any file); it is removed
// from every output and error message, so reports stay deterministic.
var sourceKey = SourceAnnotation + "-" + nonce()

func nonce() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("no randomness for the source annotation: %v", err))
	}
	return hex.EncodeToString(b)
}

// isSourceKey matches the internal annotation and anything posing as it.
func isSourceKey(k string) bool { return strings.HasPrefix(k, SourceAnnotation) }

// stripSourceAnnotations removes every annotation posing as the source
// annotation from an output object.
func stripSourceAnnotations(o *model.Object) {
	md, _ := o.Data["metadata"].(map[string]any)
	if ann, ok := md["annotations"].(map[string]any); ok {
		removed := false
		for k := range ann {
			if isSourceKey(k) {
				delete(ann, k)
				removed = true
			}
		}
		if removed && len(ann) == 0 {
			delete(md, "annotations")
		}
	}
	if o.Node == nil {
		return
	}
	mdn := decode.ValueOf(o.Node, "metadata")
	if mdn == nil || mdn.Kind != yaml.MappingNode {
		return
	}
	an := decode.ValueOf(mdn, "annotations")
	if an == nil || an.Kind != yaml.MappingNode {
		return
	}
	kept := an.Content[:0]
	for i := 0; i+1 < len(an.Content); i += 2 {
		if !isSourceKey(an.Content[i].Value) {
			kept = append(kept, an.Content[i], an.Content[i+1])
		}
	}
	if len(kept) < len(an.Content) {
		an.Content = kept
		if len(kept) == 0 {
			removeKey(mdn, "annotations")
		}
	}
}

// valueFold is the value of the last key of m equal to key in any case,
// aliases resolved: what Kustomize's decoder would use.
func valueFold(m *yaml.Node, key string) *yaml.Node {
	m = resolveAlias(m)
	var v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if strings.EqualFold(m.Content[i].Value, key) {
			v = resolveAlias(m.Content[i+1])
		}
	}
	return v
}

// removeFold removes every key of m equal to key in any case.
func removeFold(m *yaml.Node, key string) {
	kept := m.Content[:0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !strings.EqualFold(m.Content[i].Value, key) {
			kept = append(kept, m.Content[i], m.Content[i+1])
		}
	}
	m.Content = kept
}

// errReadOnly is returned for every write Kustomize attempts.
var errReadOnly = errors.New("the scanned tree is read-only to kupgrade-lint")

func (f *originFS) Create(string) (filesys.File, error) { return nil, errReadOnly }
func (f *originFS) Mkdir(string) error                  { return errReadOnly }
func (f *originFS) MkdirAll(string) error               { return errReadOnly }
func (f *originFS) RemoveAll(string) error              { return errReadOnly }
func (f *originFS) WriteFile(string, []byte) error      { return errReadOnly }

// Open is not used by krusty for builds; refusing it keeps ReadFile the
// only way in.
func (f *originFS) Open(p string) (filesys.File, error) {
	return nil, fmt.Errorf("%s: only whole-file reads are allowed", p)
}
