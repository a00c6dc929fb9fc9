package schema

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
)

// A plan validates the same objects against the schemas of up to thirteen
// minors, and most kinds' schemas do not change from one minor to the next.
// A built-in kind's compiled schema is therefore shared between versions
// whose definitions for it (the kind's and every one it refers to, after
// strictify) are the same: compiling is most of validation's cost.

// closure hashes the strict definitions of one version, lazily.
type closure struct {
	defs map[string]any
	mu   sync.Mutex
	hash map[string]string   // definition → hash of its own JSON
	refs map[string][]string // definition → definitions it refers to
}

var closures sync.Map // kubeversion.Version → *closure

func closureOf(v kubeversion.Version, defs map[string]any) *closure {
	c, _ := closures.LoadOrStore(v, &closure{defs: defs, hash: map[string]string{}, refs: map[string][]string{}})
	return c.(*closure)
}

// key identifies the definition def with everything it refers to.
func (c *closure) key(def string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]bool{}
	stack := []string{def}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		c.ensure(n)
		stack = append(stack, c.refs[n]...)
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	h.Write([]byte(def))
	for _, n := range names {
		h.Write([]byte{0})
		h.Write([]byte(n))
		h.Write([]byte{0})
		h.Write([]byte(c.hash[n]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ensure hashes one definition and lists its references. The caller
// holds c.mu.
func (c *closure) ensure(n string) {
	if _, ok := c.hash[n]; ok {
		return
	}
	d, ok := c.defs[n]
	if !ok {
		c.hash[n] = "missing"
		return
	}
	b, _ := json.Marshal(d) // maps marshal with sorted keys
	s := sha256.Sum256(b)
	c.hash[n] = hex.EncodeToString(s[:])
	var refs []string
	var walk func(x any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			if r, ok := t["$ref"].(string); ok {
				if i := strings.Index(r, "#/definitions/"); i >= 0 {
					refs = append(refs, r[i+len("#/definitions/"):])
				}
			}
			for _, y := range t {
				walk(y)
			}
		case []any:
			for _, y := range t {
				walk(y)
			}
		}
	}
	walk(d)
	c.refs[n] = refs
}

// compiledBuiltins holds compiled schemas by closure key, for every
// validator of the process.
var compiledBuiltins sync.Map // key → *sharedSchema

type sharedSchema struct {
	once   sync.Once
	schema *jsonschema.Schema
	err    error
}

// docCache holds compiled CRD documents by content: the CRD's schema and
// the ObjectMeta its metadata is checked against.
type docCache struct {
	mu sync.Mutex
	m  map[string]*sharedSchema
}

// compileCRD compiles the strict document of a CRD version's schema, or
// reuses the compilation of a sibling validator whose ObjectMeta is the
// same.
func (v *Validator) compileCRD(url string, s map[string]any) (*jsonschema.Schema, error) {
	defs, err := strictDefinitions(v.target)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(b)
	key := url + "\x00" + hex.EncodeToString(sum[:]) + "\x00" + closureOf(v.target, defs).key(objectMetaDef)
	d := v.opts.docs
	d.mu.Lock()
	sh, ok := d.m[key]
	if !ok {
		sh = &sharedSchema{}
		d.m[key] = sh
	}
	d.mu.Unlock()
	sh.once.Do(func() {
		sh.schema, sh.err = v.compileDoc(url, func() (any, error) {
			if err := v.addDefs(); err != nil {
				return nil, err
			}
			return crdDocument(s, v.defsURL), nil
		})
	})
	return sh.schema, sh.err
}

// Blank returns a validator for the same target with no CRDs and no
// schema locations that shares this one's compiled CRD documents.
func (v *Validator) Blank() (*Validator, error) {
	return New(v.target, Options{docs: v.opts.docs})
}
