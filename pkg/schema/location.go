package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/safefs"
)

// Schema locations use kubeconform's template variables, so directories laid
// out for kubeconform (e.g. a CRD catalog) work unchanged:
//
//	{{ .NormalizedKubernetesVersion }}  "v1.33.0" for target 1.33
//	{{ .StrictSuffix }}                 "-strict" (validation is always strict)
//	{{ .ResourceKind }}                 lowercase kind ("deployment")
//	{{ .ResourceAPIVersion }}           version part of apiVersion ("v1")
//	{{ .Group }}                        group part of apiVersion ("apps", "" for core)
//	{{ .KindSuffix }}                   "-apps-v1" ("-v1" for core)
//
// A location that does not end in "json" is a directory and gets
// "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
// appended, as kubeconform does. Locations are local paths; http(s) URLs
// are used only with Options.AllowRemote.

type locationVars struct {
	NormalizedKubernetesVersion string
	StrictSuffix                string
	ResourceKind                string
	ResourceAPIVersion          string
	Group                       string
	KindSuffix                  string
}

func isRemote(loc string) bool {
	l := strings.ToLower(loc)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// expandLocation fills a location template for one kind.
func expandLocation(loc, normVersion, apiVersion, kind string) (string, error) {
	if !strings.HasSuffix(loc, "json") {
		loc = strings.TrimRight(loc, "/") + "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
	}
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		group, version = "", apiVersion
	}
	suffix := "-" + strings.ToLower(version)
	if group != "" {
		first, _, _ := strings.Cut(group, ".")
		suffix = "-" + strings.ToLower(first) + suffix
	}
	t, err := template.New("location").Option("missingkey=error").Parse(loc)
	if err != nil {
		return "", fmt.Errorf("schema location %q: %w", loc, err)
	}
	var b bytes.Buffer
	err = t.Execute(&b, locationVars{
		NormalizedKubernetesVersion: normVersion,
		StrictSuffix:                "-strict",
		ResourceKind:                strings.ToLower(kind),
		ResourceAPIVersion:          version,
		Group:                       group,
		KindSuffix:                  suffix,
	})
	if err != nil {
		return "", fmt.Errorf("schema location %q: %w", loc, err)
	}
	return b.String(), nil
}

// compileLocation tries the user's locations in order and compiles the first
// schema found. It returns a nil schema and no error when none has one.
func (v *Validator) compileLocation(apiVersion, kind string) (*jsonschema.Schema, string, error) {
	norm := "v" + v.target.String() + ".0"
	// Kind and apiVersion come from the scanned files and are put into
	// paths: one that could leave a location's directory gets no schema
	// from locations (real kinds and API groups never can).
	if !pathSafe(kind) || !pathSafe(apiVersion) {
		return nil, "", nil
	}
	for _, loc := range v.opts.Locations {
		p, err := expandLocation(loc, norm, apiVersion, kind)
		if err != nil {
			return nil, "", err
		}
		var u string
		if isRemote(p) {
			u = p
		} else {
			abs, err := filepath.Abs(p)
			if err != nil {
				return nil, "", fmt.Errorf("schema location %s: %w", p, err)
			}
			// A symlink in the location must not lead out of it.
			if resolved, err := filepath.EvalSymlinks(abs); err == nil && !(confinedFileLoader{roots: localRoots([]string{loc})}).below(resolved) {
				return nil, "", fmt.Errorf("schema %s resolves outside its schema location; not read", p)
			}
			b, err := readSchemaFile(abs)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, "", fmt.Errorf("read schema %s: %w", p, err)
			}
			doc, err := decodeSchemaFile(b)
			if err != nil {
				return nil, "", fmt.Errorf("read schema %s: %w", p, err)
			}
			u = "file://" + filepath.ToSlash(abs)
			sch, err := v.compileDoc(u, func() (any, error) { return doc, nil })
			if err != nil {
				return nil, "", err
			}
			return sch, p, nil
		}
		v.mu.Lock()
		sch, err := v.compiler.Compile(u)
		v.mu.Unlock()
		var nf *httpNotFound
		if errors.As(err, &nf) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("schema %s: %w", u, err)
		}
		return sch, u, nil
	}
	return nil, "", nil
}

// staticPrefix is the part of a location before its first template action.
func staticPrefix(loc string) string {
	if i := strings.Index(loc, "{{"); i >= 0 {
		return loc[:i]
	}
	return loc
}

// remotePrefixes are the fixed beginnings of the http(s) locations, cut back
// to a "/" so a prefix cannot match another host ("https://a.com" and
// "https://a.com.evil").
func remotePrefixes(locs []string) []string {
	var out []string
	for _, l := range locs {
		if !isRemote(l) {
			continue
		}
		p := staticPrefix(l)
		rest := p[strings.Index(p, "://")+3:]
		if i := strings.LastIndex(rest, "/"); i >= 0 {
			p = p[:len(p)-len(rest)+i+1]
		} else {
			p += "/"
		}
		out = append(out, p)
	}
	return out
}

func hasPrefixFold(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// localRoots are the directories of the local locations (resolved), below
// which $ref'd schema files may be read.
func localRoots(locs []string) []string {
	var out []string
	for _, l := range locs {
		if isRemote(l) {
			continue
		}
		dir := staticPrefix(l)
		if strings.Contains(l, "{{") || strings.HasSuffix(l, "json") {
			dir = filepath.Dir(dir + "x")
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			continue
		}
		out = append(out, abs)
		if r, err := filepath.EvalSymlinks(abs); err == nil && r != abs {
			out = append(out, r)
		}
	}
	return out
}

// maxSchemaFile caps a schema file read from a location.
const maxSchemaFile = 64 << 20

// confinedFileLoader loads file:// $refs that resolve below one of roots,
// regular files only.
type confinedFileLoader struct{ roots []string }

func (l confinedFileLoader) Load(u string) (any, error) {
	p, err := jsonschema.FileLoader{}.ToFile(u)
	if err != nil {
		return nil, err
	}
	refused := fmt.Errorf("%s is not below a schema location; not read", u)
	// Checked before and after resolving symlinks, so nothing is looked up
	// outside the locations.
	if !l.below(filepath.Clean(p)) {
		return nil, refused
	}
	resolved, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil, fmt.Errorf("%s: not found", u)
	}
	if !l.below(resolved) {
		return nil, refused
	}
	b, err := readSchemaFile(resolved)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

func (l confinedFileLoader) below(p string) bool {
	for _, r := range l.roots {
		if safefs.Within(r, p) {
			return true
		}
	}
	return false
}

// readSchemaFile reads a regular file of at most maxSchemaFile bytes; it
// never blocks on a FIFO or device.
func readSchemaFile(p string) ([]byte, error) { return safefs.ReadFile(p, maxSchemaFile) }

// pathSafe reports whether s holds only characters of kinds and
// apiVersions (letters, digits, '.', '-', and one '/') and no "..".
func pathSafe(s string) bool {
	if s == "" || strings.Contains(s, "..") || strings.Count(s, "/") > 1 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '.' && r != '-' && r != '/' {
			return false
		}
	}
	return true
}

// decodeSchemaFile reads a JSON schema, or a YAML one.
func decodeSchemaFile(b []byte) (any, error) {
	if doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b)); err == nil {
		return doc, nil
	}
	var doc any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	return normalizeSchema(doc), nil
}

// normalizeSchema makes a YAML-decoded schema JSON-compatible (nulls kept).
func normalizeSchema(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = normalizeSchema(e)
		}
		return t
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[fmt.Sprint(k)] = normalizeSchema(e)
		}
		return out
	case []any:
		for i := range t {
			t[i] = normalizeSchema(t[i])
		}
		return t
	}
	return v
}

// httpLoader fetches remote schemas when the user allowed it, only below
// the remote locations given (a $ref elsewhere is not fetched).
type httpLoader struct{ prefixes []string }

type httpNotFound struct{ url string }

func (e *httpNotFound) Error() string { return e.url + ": not found" }

func (h httpLoader) Load(url string) (any, error) {
	if !hasPrefixFold(url, h.prefixes) {
		return nil, fmt.Errorf("%s is not below a remote schema location; not fetched", url)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode == http.StatusNotFound {
		return nil, &httpNotFound{url}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	return doc, nil
}

// lenientRegexp compiles patterns with Go's regexp and accepts everything for
// patterns Go cannot compile (ECMA look-arounds in CRDs): a pattern we cannot
// evaluate must not make the whole schema unusable.
func lenientRegexp(s string) (jsonschema.Regexp, error) {
	if re, err := regexp.Compile(s); err == nil {
		return re, nil
	}
	return anyString(s), nil
}

type anyString string

func (a anyString) String() string          { return string(a) }
func (a anyString) MatchString(string) bool { return true }
