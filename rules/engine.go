package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
)

// Config is what the engine needs to run a set of rules.
type Config struct {
	Target    kubeversion.Version
	Current   kubeversion.Version
	Lifecycle *kubeversion.DB
	// Inputs are built once per scan and shared by every pass.
	Inputs
	// Workers bounds parallelism (0: GOMAXPROCS).
	Workers int
}

// Run applies rules to objects and returns findings in no particular order
// (callers sort). Findings carry the rule's default severity unless the rule
// overrode it.
func Run(cfg Config, rs []*Rule, objects []*model.Object) []model.Finding {
	if cfg.CRDs == nil && cfg.Schema == nil {
		cfg.CRDs = crdindex.Build(objects)
	}
	s := NewSession(cfg, rs)
	s.checkAll(objects, objects, s.local)
	return s.Finish(objects)
}

// Session runs rules over objects that arrive unit by unit: Check runs the
// per-object rules that need nothing but the object, as soon as it exists,
// so its nodes can be released; Finish runs the rules that need the whole
// set (Global and Scanwide ones) over the compact copies the caller kept
// (see Retain). Findings are the same as one Run over all objects.
type Session struct {
	cfg    Config
	in     Inputs
	shared *Shared
	local  []*Rule // per object, nothing else needed
	late   []*Rule // per object, but reads other objects (Scanwide)
	global []*Rule
	kinds  map[*Rule]map[string]bool

	mu  sync.Mutex
	out []model.Finding
	// wd is the working directory fingerprints are relative to.
	wd string
}

// NewSession prepares a session. cfg.Inputs.CRDs should be the index of
// every CRD of the scan before Check is called for a custom resource.
func NewSession(cfg Config, rs []*Rule) *Session {
	s := &Session{cfg: cfg, in: cfg.Inputs, shared: &Shared{}, kinds: map[*Rule]map[string]bool{}}
	s.wd, _ = os.Getwd()
	if s.in.CRDs == nil {
		if s.in.Schema != nil {
			s.in.CRDs = s.in.Schema.CRDs()
		} else {
			s.in.CRDs = crdindex.New()
		}
	}
	for _, r := range rs {
		switch {
		case r.Global:
			s.global = append(s.global, r)
		case r.Scanwide:
			s.late = append(s.late, r)
		default:
			s.local = append(s.local, r)
		}
		if len(r.Kinds) > 0 {
			ks := map[string]bool{}
			for _, k := range r.Kinds {
				ks[k] = true
			}
			s.kinds[r] = ks
		}
	}
	return s
}

func (s *Session) report(r *Rule, d Diagnostic) {
	f := toFinding(r, d, s.wd)
	s.mu.Lock()
	s.out = append(s.out, f)
	s.mu.Unlock()
}

func (s *Session) newPass(r *Rule, obj *model.Object, objects []*model.Object) *Pass {
	return &Pass{
		Target: s.cfg.Target, Current: s.cfg.Current, Object: obj, Objects: objects,
		Lifecycle: s.cfg.Lifecycle, Inputs: s.in, rule: r, report: s.report, shared: s.shared,
	}
}

// CheckEach runs the local per-object rules on objs in every session of
// ss, sessions that judge the same objects at several versions. An object's
// checks share a schema memo across the sessions: most kinds' schemas are
// the same at neighbouring minors, and validation is the costly check.
func CheckEach(ss []*Session, objs []*model.Object) {
	for _, o := range objs {
		var memo schema.Memo
		if len(ss) > 1 {
			memo = schema.Memo{}
		}
		for _, s := range ss {
			s.checkObjectMemo(o, s.local, nil, memo)
		}
	}
}

// Check runs the local per-object rules on objs in the calling goroutine
// (callers check units concurrently). Positions are resolved here, while the
// objects still have their nodes.
func (s *Session) Check(objs []*model.Object) {
	for _, o := range objs {
		s.checkObject(o, s.local, nil)
	}
}

func (s *Session) checkObject(o *model.Object, rs []*Rule, all []*model.Object) {
	s.checkObjectMemo(o, rs, all, nil)
}

func (s *Session) checkObjectMemo(o *model.Object, rs []*Rule, all []*model.Object, memo schema.Memo) {
	// One pass serves every rule of the object (rules do not keep it):
	// a pass per rule and object was a twentieth of a scan's allocations.
	var p *Pass
	for _, r := range rs {
		if ks := s.kinds[r]; ks != nil && !ks[o.Kind] {
			continue
		}
		if p == nil {
			p = s.newPass(r, o, all)
			p.schemaMemo = memo
		} else {
			p.rule = r
		}
		safeCheck(r, p, s.report)
	}
}

// CheckAll runs the local per-object rules on objs, spread over workers:
// objects that had to wait for the whole set (custom resources). all is the
// whole set (compact copies) they may consult, as in a whole-set Run.
func (s *Session) CheckAll(objs, all []*model.Object) { s.checkAll(objs, all, s.local) }

// Local returns a copy of the findings so far: before Finish, those of the
// local per-object rules (a shard's part of the work).
func (s *Session) Local() []model.Finding {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]model.Finding(nil), s.out...)
}

// Import adds findings made elsewhere (a shard's local findings) to the
// session's result.
func (s *Session) Import(fs []model.Finding) {
	s.mu.Lock()
	s.out = append(s.out, fs...)
	s.mu.Unlock()
}

// SetProblems gives the parse-error and render-error rules the problems of
// discovery and rendering, known once every unit is done.
func (s *Session) SetProblems(ps []model.Problem) { s.in.Problems = ps }

// SetUnits hands the scan's units to the whole-set rules.
func (s *Session) SetUnits(us []model.Unit) { s.in.Units = us }

// checkAll spreads per-object rules over workers by object.
func (s *Session) checkAll(objects, all []*model.Object, rs []*Rule) {
	if len(rs) == 0 {
		return
	}
	workers := s.cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	jobs := make(chan *model.Object, 256)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for obj := range jobs {
				s.checkObject(obj, rs, all)
			}
		}()
	}
	for _, o := range objects {
		jobs <- o
	}
	close(jobs)
	wg.Wait()
}

// Finish runs the Scanwide and Global rules over objects (the whole set, in
// a stable order, possibly pruned by Retain) and returns every finding of
// the session.
func (s *Session) Finish(objects []*model.Object) []model.Finding {
	var wg sync.WaitGroup
	// Global rules run concurrently with each other and with the late
	// per-object rules.
	for _, r := range s.global {
		wg.Add(1)
		go func(r *Rule) {
			defer wg.Done()
			safeCheck(r, s.newPass(r, nil, objects), s.report)
		}(r)
	}
	s.checkAll(objects, objects, s.late)
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.out
	s.out = nil
	return out
}

// safeCheck turns a rule panic into a finding instead of crashing the scan:
// a bug in one rule must not hide every other result.
func safeCheck(r *Rule, p *Pass, report func(*Rule, Diagnostic)) {
	defer func() {
		if e := recover(); e != nil {
			d := Diagnostic{Object: p.Object, Message: fmt.Sprintf("internal error in rule %s: %v (please report this)", r.ID, e), Severity: model.SeverityError}
			if p.Object == nil {
				d.File = "-"
			}
			report(r, d)
		}
	}()
	r.Check(p)
}

func toFinding(r *Rule, d Diagnostic, wd string) model.Finding {
	f := model.Finding{
		Rule:        r.ID,
		Severity:    r.Severity,
		Message:     d.Message,
		FieldPath:   d.Path,
		Remediation: d.Remediation,
		Since:       d.Since.String(),
		File:        d.File,
		Line:        d.Line,
		Column:      d.Column,
	}
	if d.Severity != model.SeverityNone {
		f.Severity = d.Severity
	}
	if f.Remediation == "" {
		f.Remediation = r.Remediation
	}
	if o := d.Object; o != nil {
		f.APIVersion, f.Kind, f.Namespace, f.Name = o.APIVersion, o.Kind, o.Namespace, o.Name
		f.Origin, f.SourceKind = o.Source.Origin, o.Source.Kind
		if f.File == "" {
			f.File, f.Line, f.Column = o.FilePosOf(d.Path)
		}
	}
	f.Fingerprint = fingerprint(f, d.Key, wd)
	return f
}

// Fingerprint identifies a finding independently of its line: the rule, the
// file, the object identity, the field path and a rule-chosen key. Messages
// are left out so rewording does not break baselines.
func Fingerprint(f model.Finding, key string) string {
	wd := ""
	if filepath.IsAbs(f.File) || filepath.IsAbs(f.Origin) {
		wd, _ = os.Getwd()
	}
	return fingerprint(f, key, wd)
}

// fingerprint is Fingerprint with the working directory given (a session
// looks it up once: os.Getwd costs two stat calls).
func fingerprint(f model.Finding, key, wd string) string {
	h := sha256.New()
	// Paths count as the report shows them, relative to the working
	// directory: a renderer that names files by absolute path must not make
	// fingerprints (baselines) depend on where the checkout lives.
	rel := func(p string) string {
		if !filepath.IsAbs(p) || wd == "" {
			return p
		}
		if r, err := filepath.Rel(wd, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	}
	for _, s := range []string{f.Rule, rel(f.File), rel(f.Origin), f.APIVersion, f.Kind, f.Namespace, f.Name, f.FieldPath, key} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if f.Kind == "" && key == "" {
		// Without an object the message is the only identity we have.
		h.Write([]byte(f.Message))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// AddonDetections returns the addons the session's scan detects among
// objects (the whole set, as given to Finish) and the files beside them,
// computed once per session and shared with the addon rules.
func (s *Session) AddonDetections(objects []*model.Object) []addons.Detection {
	return scanAddons(s.newPass(nil, nil, objects)).dets
}

// ShareMemo makes s use o's per-scan memo (Pass.Shared). Sessions that see
// the same objects, units and problems at different versions share it, so
// work that does not depend on the version (addon detection) is done once;
// memo keys name the version when their value depends on it.
func (s *Session) ShareMemo(o *Session) { s.shared = o.shared }
