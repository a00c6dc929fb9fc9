package schema

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	kquantity "github.com/kupgrade-lint/kupgrade-lint/pkg/quantity"
)

// Options configure a Validator.
type Options struct {
	// Locations are extra schema locations in kubeconform's template syntax
	// (see location.go), tried in order for kinds that neither the embedded
	// schemas nor a registered CRD describe.
	Locations []string
	// AllowRemote permits http:// and https:// locations. Without it New
	// refuses them, so a scan never touches the network by accident.
	AllowRemote bool
	// CRDs is the scan's CRD index (nil: an empty one, filled by AddCRD).
	// Validators for other targets made by ForTarget share it.
	CRDs *crdindex.Index

	// docs are compiled CRD documents shared by a family of validators
	// (ForTarget, Blank).
	docs *docCache
}

// Status is the outcome of validating one object.
type Status int

const (
	// Valid: a schema was found and the object matches it.
	Valid Status = iota
	// Invalid: the object violates its schema; see Result.Violations.
	Invalid
	// NoSchema: no built-in schema, CRD or schema location describes the
	// object's apiVersion and kind.
	NoSchema
	// NotServed: the apiVersion and kind are known (a built-in API of
	// another release, or a CRD version) but the target does not serve them;
	// the removed-api rule reports those.
	NotServed
)

func (s Status) String() string {
	switch s {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	case NoSchema:
		return "no-schema"
	case NotServed:
		return "not-served"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Violation is one way an object does not match its schema.
type Violation struct {
	// Pointer is the JSON pointer of the offending value (/spec/replicas).
	Pointer string
	// Path is the same location as a field path (spec.replicas).
	Path string
	// Message says what was expected, without the path
	// (`unknown field "replcas"`, "expected integer, got string").
	Message string
	// Line and Column are set when the violation has a position of its own
	// in the object's YAML node (duplicate keys), in the node's coordinates;
	// otherwise they are 0 and the position comes from Path.
	Line, Column int
}

// Result is the outcome of Validate.
type Result struct {
	Status     Status
	Violations []Violation
	// Schema names where the schema came from ("Kubernetes 1.33",
	// "CRD widgets.example.com", or a schema file).
	Schema string
	// Reason explains NoSchema and NotServed.
	Reason string
}

// Validator validates objects against the schemas of one target version.
// It is safe for concurrent use; schemas are compiled once per kind, on
// first use.
type Validator struct {
	target  kubeversion.Version
	cat     *catalog
	opts    Options
	defsURL string

	mu       sync.Mutex // guards compiler, entries, crds
	compiler *jsonschema.Compiler
	defsOK   bool
	entries  map[string]*entry
	crds     *crdindex.Index
	// siblings are validators for other targets sharing the CRDs
	// (ForTarget), keyed by version.
	siblings map[kubeversion.Version]*Validator
}

// entry is the compiled schema of one apiVersion/kind.
type entry struct {
	once   sync.Once
	schema *jsonschema.Schema
	origin string
	status Status // Valid (schema present), NoSchema or NotServed
	reason string
	err    error
}

// New returns a Validator for the target version. It fails when the target
// has no embedded schemas (naming the supported range) or when a location is
// a URL and AllowRemote is false.
func New(target kubeversion.Version, opts Options) (*Validator, error) {
	c, err := load(target)
	if err != nil {
		return nil, err
	}
	for _, loc := range opts.Locations {
		if isRemote(loc) && !opts.AllowRemote {
			return nil, fmt.Errorf("schema location %q is a URL: remote schema locations are disabled (scans run offline); use a local directory", loc)
		}
	}
	v := &Validator{
		target:  target,
		cat:     c,
		opts:    opts,
		defsURL: "mem://kupgrade-lint/kubernetes/v" + target.String() + "/definitions.json",
		entries: map[string]*entry{},
		crds:    opts.CRDs,
	}
	if v.crds == nil {
		v.crds = crdindex.New()
	}
	if v.opts.docs == nil {
		v.opts.docs = &docCache{m: map[string]*sharedSchema{}}
	}
	v.compiler = newCompiler(opts)
	return v, nil
}

// Target is the version the validator checks against.
func (v *Validator) Target() kubeversion.Version { return v.target }

func newCompiler(opts Options) *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	// Kubernetes durations are Go durations ("30s"), not ISO 8601.
	c.RegisterFormat(&jsonschema.Format{Name: "duration", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok || strings.HasPrefix(s, "P") {
			return nil
		}
		_, err := time.ParseDuration(s)
		return err
	}})
	// Kubernetes checks URIs with url.Parse only.
	c.RegisterFormat(&jsonschema.Format{Name: "uri", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		_, err := url.Parse(s)
		return err
	}})
	// Quantities are parsed behind a guard: apimachinery's parser never
	// returns on some inputs ("1e-999999999").
	c.RegisterFormat(&jsonschema.Format{Name: "quantity", Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		_, err := kquantity.Parse(s)
		return err
	}})
	// $refs are resolved only below the schema locations: a CRD from the
	// scanned tree must not load files or URLs elsewhere.
	loader := jsonschema.SchemeURLLoader{"file": confinedFileLoader{roots: localRoots(opts.Locations)}}
	if opts.AllowRemote {
		h := httpLoader{prefixes: remotePrefixes(opts.Locations)}
		loader["http"], loader["https"] = h, h
	}
	c.UseLoader(loader)
	c.UseRegexpEngine(lenientRegexp)
	return c
}

// Validate checks obj against the target's schema for its apiVersion and
// kind. It never panics on malformed objects.
func (v *Validator) Validate(obj *model.Object) Result { return v.ValidateMemo(obj, nil) }

// Memo lets the validations of one object at several versions share work:
// a version whose compiled schema for the object is the one another version
// used reuses that version's violations. A Memo serves one object.
type Memo map[*jsonschema.Schema][]Violation

// ValidateMemo is Validate with a memo for the object (nil: none).
func (v *Validator) ValidateMemo(obj *model.Object, memo Memo) Result {
	if obj == nil || obj.APIVersion == "" || obj.Kind == "" {
		return Result{Status: NoSchema, Reason: "object has no apiVersion or kind"}
	}
	e := v.entry(obj.APIVersion, obj.Kind)
	if e.err != nil {
		return Result{Status: NoSchema, Reason: e.err.Error()}
	}
	if e.status != Valid {
		return Result{Status: e.status, Reason: e.reason}
	}
	res := Result{Status: Valid, Schema: e.origin}
	if viol, ok := memo[e.schema]; ok && e.schema != nil {
		res.Violations = viol
	} else {
		res.Violations = duplicateKeys(obj.Node)
		if e.schema != nil {
			var inst any = obj.Data
			if needsNormalize(inst) {
				inst = normalize(inst)
			}
			if err := e.schema.Validate(inst); err != nil {
				res.Violations = append(res.Violations, violations(err, obj.Data)...)
			}
		}
		sortViolations(res.Violations)
		if memo != nil && e.schema != nil {
			memo[e.schema] = res.Violations
		}
	}
	if len(res.Violations) > 0 {
		res.Status = Invalid
	}
	return res
}

// entry finds or compiles the schema of a kind.
func (v *Validator) entry(apiVersion, kind string) *entry {
	key := gvkKey(apiVersion, kind)
	v.mu.Lock()
	e, ok := v.entries[key]
	if !ok {
		e = &entry{}
		v.entries[key] = e
	}
	v.mu.Unlock()
	e.once.Do(func() { v.resolve(e, apiVersion, kind) })
	return e
}

func (v *Validator) resolve(e *entry, apiVersion, kind string) {
	key := gvkKey(apiVersion, kind)
	if name, ok := v.cat.byGVK[key]; ok {
		e.origin = "Kubernetes " + v.target.String()
		e.schema, e.err = v.compileBuiltin(name)
		return
	}
	if cv, ck := v.crds.Lookup(apiVersion, kind); ck != nil {
		if reason := v.crds.NotServedReason(apiVersion, kind); reason != "" {
			e.status = NotServed
			e.reason = reason
			return
		}
		e.origin = "CRD " + ck.CRD
		if cv.Schema != nil {
			e.schema, e.err = v.compileCRD("mem://kupgrade-lint/crd/"+url.PathEscape(ck.CRD)+"/"+url.PathEscape(versionOf(apiVersion))+".json", cv.Schema)
		}
		return
	}
	if len(v.opts.Locations) > 0 {
		if sch, origin, err := v.compileLocation(apiVersion, kind); err != nil || sch != nil {
			e.schema, e.origin, e.err = sch, origin, err
			return
		}
	}
	db := kubeversion.Default()
	a, inDB := db.Lookup(apiVersion, kind)
	switch {
	case inDB && a.ServedAt(v.target):
		e.status = NoSchema
		e.reason = fmt.Sprintf("no embedded schema for the built-in %s %s of Kubernetes %s", apiVersion, kind, v.target)
		return
	case inDB || builtinAnywhere(apiVersion, kind) || db.KnowsGroupVersion(apiVersion):
		e.status = NotServed
		e.reason = fmt.Sprintf("%s %s is not served by Kubernetes %s", apiVersion, kind, v.target)
		return
	}
	e.status = NoSchema
	e.reason = fmt.Sprintf("no schema for %s %s: not a built-in kind of Kubernetes %s and no CRD or schema location defines it", apiVersion, kind, v.target)
}

func versionOf(apiVersion string) string {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[i+1:]
	}
	return apiVersion
}

// addDefs adds the target's strict definitions to the compiler once. The
// caller holds v.mu.
func (v *Validator) addDefs() error {
	if v.defsOK {
		return nil
	}
	defs, err := strictDefinitions(v.target)
	if err != nil {
		return err
	}
	if err := v.compiler.AddResource(v.defsURL, map[string]any{"definitions": defs}); err != nil {
		return fmt.Errorf("schemas of Kubernetes %s: %w", v.target, err)
	}
	v.defsOK = true
	return nil
}

func (v *Validator) compileBuiltin(def string) (*jsonschema.Schema, error) {
	defs, err := strictDefinitions(v.target)
	if err != nil {
		return nil, err
	}
	e, _ := compiledBuiltins.LoadOrStore(closureOf(v.target, defs).key(def), &sharedSchema{})
	sh := e.(*sharedSchema)
	sh.once.Do(func() {
		v.mu.Lock()
		defer v.mu.Unlock()
		if sh.err = v.addDefs(); sh.err != nil {
			return
		}
		sh.schema, sh.err = v.compiler.Compile(v.defsURL + "#/definitions/" + def)
		if sh.err != nil {
			sh.err = fmt.Errorf("compile schema %s of Kubernetes %s: %w", def, v.target, sh.err)
		}
	})
	return sh.schema, sh.err
}

// compileDoc adds the document built by doc under url and compiles it.
func (v *Validator) compileDoc(url string, doc func() (any, error)) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	d, err := doc()
	if err != nil {
		return nil, err
	}
	if err := v.compiler.AddResource(url, d); err != nil {
		return nil, fmt.Errorf("schema %s: %w", url, err)
	}
	sch, err := v.compiler.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", url, err)
	}
	return sch, nil
}

// Lookup tells whether a schema exists for apiVersion and kind without
// validating anything: Valid when one does (built-in, CRD or location),
// otherwise NoSchema or NotServed with the reason.
func (v *Validator) Lookup(apiVersion, kind string) (Status, string) {
	if apiVersion == "" || kind == "" {
		return NoSchema, "object has no apiVersion or kind"
	}
	e := v.entry(apiVersion, kind)
	if e.err != nil {
		return NoSchema, e.err.Error()
	}
	return e.status, e.reason
}

// ForTarget returns a validator for another Kubernetes version with the same
// options and CRDs (registered before or after the call), created once per
// version. Scans that evaluate several versions (--current-version) use it to
// validate each hop against that hop's schemas.
func (v *Validator) ForTarget(target kubeversion.Version) (*Validator, error) {
	if target == v.target {
		return v, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.siblings[target]; ok {
		return s, nil
	}
	opts := v.opts
	opts.CRDs = v.crds
	s, err := New(target, opts)
	if err != nil {
		return nil, err
	}
	if v.siblings == nil {
		v.siblings = map[kubeversion.Version]*Validator{}
	}
	v.siblings[target] = s
	return s, nil
}
