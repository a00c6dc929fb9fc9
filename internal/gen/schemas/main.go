// Command schemas generates pkg/schema/data: for every supported Kubernetes
// minor, the OpenAPI v2 definitions of k8s.io/kubernetes (descriptions
// dropped, gzip-compressed), plus the fields whose descriptions say they are
// deprecated and a provenance file.
//
// It downloads pinned k8s.io/kubernetes module zips from the Go module proxy
// (cached under ~/.cache/kupgrade-lint-gen) and reads only
// api/openapi-spec/swagger.json from each. Run it with `make generate`; it
// never runs in tests.
//
// Usage: go run ./internal/gen/schemas [-out pkg/schema/data]
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kupgrade-lint/kupgrade-lint/internal/gen/modproxy"
)

// releases pins one k8s.io/kubernetes tag per minor: the last patch release
// that the proxy serves (the schema of a minor does not change in patches, the
// newest patch just carries the fixes of published OpenAPI bugs).
var releases = []string{
	"v1.25.16",
	"v1.26.15",
	"v1.27.16",
	"v1.28.15",
	"v1.29.15",
	"v1.30.14",
	"v1.31.14",
	"v1.32.13",
	"v1.33.13",
	"v1.34.4",
	"v1.35.4",
	"v1.36.3",
	"v1.37.2",
}

const module = "k8s.io/kubernetes"

func main() {
	out := flag.String("out", "pkg/schema/data", "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "schemas:", err)
		os.Exit(1)
	}
}

type source struct {
	Minor   string `json:"minor"`
	Module  string `json:"module"`
	Version string `json:"version"`
	File    string `json:"file"`
	// SHA256 of the swagger.json read from the zip.
	SHA256 string `json:"sha256"`
	// Definitions counts the definitions kept.
	Definitions int `json:"definitions"`
}

type deprecation struct {
	Definition string `json:"definition"`
	Field      string `json:"field"`
	Note       string `json:"note"`
	First      string `json:"first"`
	Last       string `json:"last"`
}

func run(outDir string) error {
	client := modproxy.New("", "")
	client.Log = os.Stderr
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	var sources []source
	deps := map[string]*deprecation{}
	kinds := map[string]*kindRange{}
	for _, version := range releases {
		minor := minorOf(version)
		raw, err := readSwagger(client, version)
		if err != nil {
			return err
		}
		defs, err := definitions(raw)
		if err != nil {
			return fmt.Errorf("%s@%s: %w", module, version, err)
		}
		collectDeprecations(defs, minor, deps)
		collectKinds(defs, minor, kinds)
		for _, d := range defs {
			strip(d)
		}
		name := "v" + minor + ".json.gz"
		if err := writeDefs(filepath.Join(outDir, name), module+"@"+version, defs); err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		sources = append(sources, source{Minor: minor, Module: module, Version: version,
			File: "api/openapi-spec/swagger.json", SHA256: hex.EncodeToString(sum[:]), Definitions: len(defs)})
		fmt.Fprintf(os.Stderr, "%s: %d definitions\n", version, len(defs))
	}
	if err := writeLines(filepath.Join(outDir, "SOURCES.json"), "sources", sources); err != nil {
		return err
	}
	list := make([]*deprecation, 0, len(deps))
	for _, d := range deps {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Definition != list[j].Definition {
			return list[i].Definition < list[j].Definition
		}
		return list[i].Field < list[j].Field
	})
	if err := writeLines(filepath.Join(outDir, "field_deprecations.json"), "fields", list); err != nil {
		return err
	}
	kl := make([]*kindRange, 0, len(kinds))
	for _, k := range kinds {
		kl = append(kl, k)
	}
	sort.Slice(kl, func(i, j int) bool { return kl[i].Kind < kl[j].Kind })
	return writeLines(filepath.Join(outDir, "kinds.json"), "kinds", kl)
}

// kindRange is a group/version/kind and the minors whose schemas have it.
type kindRange struct {
	// Kind is "apps/v1/Deployment" ("v1/Pod" for the core group).
	Kind   string   `json:"kind"`
	Minors []string `json:"minors"`
}

// collectKinds records the kinds a minor's definitions declare.
// DeleteOptions and WatchEvent are registered in every group version; they
// are request types, never manifests.
func collectKinds(defs map[string]map[string]any, minor string, acc map[string]*kindRange) {
	seen := map[string]bool{}
	for _, d := range defs {
		gvks, _ := d["x-kubernetes-group-version-kind"].([]any)
		for _, g := range gvks {
			m, _ := g.(map[string]any)
			group, _ := m["group"].(string)
			version, _ := m["version"].(string)
			kind, _ := m["kind"].(string)
			if kind == "" || version == "" || group != "" && (kind == "DeleteOptions" || kind == "WatchEvent") {
				continue
			}
			key := version + "/" + kind
			if group != "" {
				key = group + "/" + key
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			k := acc[key]
			if k == nil {
				k = &kindRange{Kind: key}
				acc[key] = k
			}
			k.Minors = append(k.Minors, minor)
		}
	}
}

func minorOf(version string) string {
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	return parts[0] + "." + parts[1]
}

func readSwagger(client *modproxy.Client, version string) ([]byte, error) {
	z, err := client.Open(context.Background(), module, version)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	return z.ReadFile("api/openapi-spec/swagger.json")
}

func definitions(raw []byte) (map[string]map[string]any, error) {
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode swagger.json: %w", err)
	}
	if len(doc.Definitions) == 0 {
		return nil, fmt.Errorf("swagger.json has no definitions")
	}
	return doc.Definitions, nil
}

// deprecatedWord finds the word that marks a deprecation.
var deprecatedWord = regexp.MustCompile(`(?i)\bdeprecated\b`)

// declaresRE matches a sentence that says something is deprecated, as opposed
// to one that mentions a deprecated thing ("replaces the deprecated X").
var declaresRE = regexp.MustCompile(`(?i)\b(is|are|was|been|now|be considered as|is the)\s+(now\s+)?deprecated\b`)

// sentenceBreak ends a sentence: a period followed by white space, or a new
// line (periods inside URLs and versions do not count).
var sentenceBreak = regexp.MustCompile(`\.\s+|\n+`)

func collectDeprecations(defs map[string]map[string]any, minor string, acc map[string]*deprecation) {
	for defName, d := range defs {
		props, _ := d["properties"].(map[string]any)
		for field, p := range props {
			ps, _ := p.(map[string]any)
			desc, _ := ps["description"].(string)
			note := deprecationNote(field, desc)
			if note == "" {
				continue
			}
			key := defName + "\x00" + field
			e := acc[key]
			if e == nil {
				e = &deprecation{Definition: defName, Field: field, First: minor}
				acc[key] = e
			}
			// Keep the newest wording.
			e.Note, e.Last = note, minor
		}
	}
}

// deprecationNote returns the sentence of desc that declares the field
// deprecated plus the sentence after it (at most 300 bytes), or "". A
// sentence counts when it starts with "Deprecated" or says that something
// is deprecated; sentences about deprecated annotations, or that only
// mention a deprecated thing, are ignored.
func deprecationNote(field, desc string) string {
	var sentences []string
	last := 0
	for _, m := range sentenceBreak.FindAllStringIndex(desc, -1) {
		sentences = append(sentences, strings.TrimSpace(desc[last:m[0]+1]))
		last = m[1]
	}
	sentences = append(sentences, strings.TrimSpace(desc[last:]))
	for i, s := range sentences {
		loc := deprecatedWord.FindStringIndex(s)
		if loc == nil {
			continue
		}
		before := strings.ToLower(s[:loc[0]])
		// Fields that describe the deprecation of something else (a CRD's
		// "deprecated" and "deprecationWarning") say "indicates".
		if strings.Contains(strings.ToLower(s), " indicates ") || strings.Contains(before, "annotation") {
			continue
		}
		if loc[0] != 0 && !declaresRE.MatchString(s) {
			continue
		}
		note := s
		if i+1 < len(sentences) && len(note)+len(sentences[i+1]) < 300 {
			note += " " + sentences[i+1]
		}
		note = strings.Join(strings.Fields(note), " ")
		if len(note) > 300 {
			note = note[:297] + "..."
		}
		return note
	}
	return ""
}

// dropKeys are OpenAPI extensions validation does not use.
var dropKeys = []string{
	"description",
	"x-kubernetes-patch-strategy",
	"x-kubernetes-patch-merge-key",
	"x-kubernetes-list-type",
	"x-kubernetes-list-map-keys",
	"x-kubernetes-map-type",
	"x-kubernetes-unions",
	"x-kubernetes-validations",
}

// strip removes documentation from a schema object, recursing only into
// subschemas so that properties named "description" survive.
func strip(s map[string]any) {
	for _, k := range dropKeys {
		delete(s, k)
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for _, p := range props {
			if ps, ok := p.(map[string]any); ok {
				strip(ps)
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties"} {
		if ps, ok := s[k].(map[string]any); ok {
			strip(ps)
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := s[k].([]any); ok {
			for _, e := range list {
				if ps, ok := e.(map[string]any); ok {
					strip(ps)
				}
			}
		}
	}
}

// writeDefs writes {"source": ..., "definitions": {...}} with one definition
// per line, gzip-compressed without a name or time stamp so the output is
// byte-identical across runs.
func writeDefs(path, src string, defs map[string]map[string]any) error {
	names := make([]string, 0, len(defs))
	for n := range defs {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	buf.WriteString(`{"source":` + strconv.Quote(src+" api/openapi-spec/swagger.json (definitions only, descriptions removed)") + ",\n")
	buf.WriteString(`"definitions":{` + "\n")
	for i, n := range names {
		b, err := json.Marshal(defs[n])
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		buf.WriteString(strconv.Quote(n) + ":")
		buf.Write(b)
		if i < len(names)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("}}\n")
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, gz.Bytes(), 0o644)
}

// writeLines writes {"generatedBy": ..., "<key>": [ one element per line ]}.
func writeLines[T any](path, key string, items []T) error {
	var buf bytes.Buffer
	buf.WriteString(`{"generatedBy":"internal/gen/schemas from ` + module + ` module zips (Go module proxy)",` + "\n")
	buf.WriteString(strconv.Quote(key) + ":[\n")
	for i, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return err
		}
		buf.Write(b)
		if i < len(items)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
