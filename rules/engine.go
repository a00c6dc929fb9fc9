package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
)

// Config is what the engine needs to run a set of rules.
type Config struct {
	Target    kubeversion.Version
	Current   kubeversion.Version
	Lifecycle *kubeversion.DB
	Env       map[string]any
	// Workers bounds parallelism (0: GOMAXPROCS).
	Workers int
}

// Run applies rules to objects and returns findings in no particular order
// (callers sort). Findings carry the rule's default severity unless the rule
// overrode it.
func Run(cfg Config, rs []*Rule, objects []*model.Object) []model.Finding {
	var (
		mu  sync.Mutex
		out []model.Finding
	)
	shared := &Shared{}
	report := func(r *Rule, d Diagnostic) {
		f := toFinding(r, d)
		mu.Lock()
		out = append(out, f)
		mu.Unlock()
	}
	newPass := func(r *Rule, obj *model.Object) *Pass {
		return &Pass{
			Target: cfg.Target, Current: cfg.Current, Object: obj, Objects: objects,
			Lifecycle: cfg.Lifecycle, Env: cfg.Env, rule: r, report: report, shared: shared,
		}
	}

	// Global rules run concurrently with each other; per-object rules are
	// spread over workers by object.
	var perObject []*Rule
	var wg sync.WaitGroup
	for _, r := range rs {
		if r.Global {
			wg.Add(1)
			go func(r *Rule) {
				defer wg.Done()
				safeCheck(r, newPass(r, nil), report)
			}(r)
			continue
		}
		perObject = append(perObject, r)
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	kindSets := make([]map[string]bool, len(perObject))
	for i, r := range perObject {
		if len(r.Kinds) > 0 {
			kindSets[i] = map[string]bool{}
			for _, k := range r.Kinds {
				kindSets[i][k] = true
			}
		}
	}
	jobs := make(chan *model.Object, 256)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for obj := range jobs {
				for i, r := range perObject {
					if ks := kindSets[i]; ks != nil && !ks[obj.Kind] {
						continue
					}
					safeCheck(r, newPass(r, obj), report)
				}
			}
		}()
	}
	for _, o := range objects {
		jobs <- o
	}
	close(jobs)
	wg.Wait()
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

func toFinding(r *Rule, d Diagnostic) model.Finding {
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
	f.Fingerprint = Fingerprint(f, d.Key)
	return f
}

// Fingerprint identifies a finding independently of its line: the rule, the
// file, the object identity, the field path and a rule-chosen key. Messages
// are left out so rewording does not break baselines.
func Fingerprint(f model.Finding, key string) string {
	h := sha256.New()
	for _, s := range []string{f.Rule, f.File, f.Origin, f.APIVersion, f.Kind, f.Namespace, f.Name, f.FieldPath, key} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	if f.Kind == "" && key == "" {
		// Without an object the message is the only identity we have.
		h.Write([]byte(f.Message))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
