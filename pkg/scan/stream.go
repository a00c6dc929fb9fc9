package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/kupgrade-lint/kupgrade-lint/pkg/addons"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/crdindex"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/kubeversion"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/model"
	"github.com/kupgrade-lint/kupgrade-lint/pkg/schema"
	"github.com/kupgrade-lint/kupgrade-lint/rules"
)

// collected is what the rules found, before post-processing.
type collected struct {
	// findings per evaluated version: the target, and every hop from
	// --current-version when given.
	findings map[kubeversion.Version][]model.Finding
	// refs are the target's objects; refsAt those of every version.
	refs   []model.ObjectRef
	refsAt map[kubeversion.Version][]model.ObjectRef
	// addons are the addons detected at the first version, the current
	// one (ranged scans only: the plan's addon steps).
	addons  []addons.Detection
	units   []model.Unit
	notices []string
	ignores map[objKey]map[string]bool
	// reported keeps the findings a scan of files named inside charts and
	// overlays reports (render.Result.Reported); nil keeps all.
	reported func([]model.Finding) []model.Finding
}

// errWholeSet means the streaming order of work cannot give the whole-set
// result (a CRD of the scan redefines a kind checked before it was known);
// the scan is then redone with every object in memory.
var errWholeSet = errors.New("scan needs the whole object set")

// versions lists the versions rules are evaluated at.
func versions(opts Options) []kubeversion.Version {
	if opts.Current.IsZero() {
		return []kubeversion.Version{opts.Target}
	}
	var out []kubeversion.Version
	for v := opts.Current; !opts.Target.Less(v); v = v.Next() {
		out = append(out, v)
	}
	return out
}

// inputs builds the rules' inputs, once per scan, around crds.
func inputs(opts Options, crds *crdindex.Index) (rules.Inputs, []string, error) {
	in := rules.Inputs{CRDs: crds, Addons: opts.Addons, FieldFacts: schemaFieldFacts(), ScanDirs: scanDirs(opts.Render.Paths)}
	var notices []string
	if schema.Supported(opts.Target) {
		sv, err := schema.New(opts.Target, schema.Options{Locations: opts.SchemaLocations, AllowRemote: opts.AllowRemoteSchemas, CRDs: crds})
		if err != nil {
			return in, nil, err
		}
		in.Schema = sv
	} else {
		notices = append(notices, schemaNotice(opts.Target))
	}
	return in, notices, nil
}

// schemaNotice says that objects are not validated at v ("" when they are).
func schemaNotice(v kubeversion.Version) string {
	if schema.Supported(v) {
		return ""
	}
	vs := schema.Versions()
	return fmt.Sprintf("schema validation skipped: embedded schemas cover Kubernetes %s to %s, not %s", vs[0], vs[len(vs)-1], v)
}

// unitFacts is what is kept of one unit once its objects are checked: one
// variant per render (a chart renders once per group of minors its
// templates tell apart; everything else once).
type unitFacts struct {
	vars []*variantFacts
}

// variantFacts is what is kept of one render of a unit.
type variantFacts struct {
	// at are the indexes of the sessions (versions) the render stands
	// for; nil: every session.
	at      []int
	refs    []model.ObjectRef
	kept    []*model.Object // compact copies for whole-set rules, or whole deferred objects
	late    []bool          // kept[i] is a whole custom resource still to check
	crds    []*crdindex.Kind
	ignores []ignoreEntry
	// probs are the render's problems (range scans only; otherwise the
	// scan's problems come from the render result).
	probs []model.Problem
}

// variant returns the render of f that stands for session j.
func (f *unitFacts) variant(j int) *variantFacts {
	for _, v := range f.vars {
		if v.at == nil {
			return v
		}
		for _, k := range v.at {
			if k == j {
				return v
			}
		}
	}
	return nil
}

type ignoreEntry struct {
	key objKey
	set map[string]bool
}

// streamState is a scan between its two phases: every unit checked by the
// local rules, compact facts kept for the rest.
type streamState struct {
	opts     Options
	vs       []kubeversion.Version
	sessions []*rules.Session
	crds     *crdindex.Index
	matrix   *addons.Matrix
	notices  []string
	// units in plan order with their facts.
	units    []model.Unit
	index    []int
	facts    map[int]*unitFacts
	early    map[[2]string]bool
	problems []model.Problem
	// ranged: units were rendered per version (a current version is
	// given); problems then holds only discovery's, the rest are the
	// variants'.
	ranged   bool
	reported func([]model.Finding) []model.Finding
}

// newStreamState builds the inputs and sessions of a scan.
func newStreamState(opts Options, ruleSet []*rules.Rule) (*streamState, error) {
	st := &streamState{opts: opts, crds: crdindex.New(), vs: versions(opts), facts: map[int]*unitFacts{}, early: map[[2]string]bool{}, matrix: opts.Addons}
	st.ranged = len(st.vs) > 1
	in, notices, err := inputs(opts, st.crds)
	if err != nil {
		return nil, err
	}
	st.notices = notices
	for _, v := range st.vs {
		st.sessions = append(st.sessions, rules.NewSession(rules.Config{Target: v, Current: opts.Current, Lifecycle: kubeversion.Default(), Inputs: in, Workers: opts.Render.Workers}, ruleSet))
	}
	if st.matrix == nil {
		st.matrix = addons.Default()
	}
	return st, nil
}

// stream renders and decodes units in parallel and checks each unit's
// objects as soon as they exist, while their nodes are alive; then only
// compact copies for the whole-set rules are kept. Custom resources wait
// for the end, when every CRD of the scan is known.
func stream(ctx context.Context, opts Options, ruleSet []*rules.Rule) (*collected, error) {
	st, err := newStreamState(opts, ruleSet)
	if err != nil {
		return nil, err
	}
	if err := st.render(ctx, false); err != nil {
		return nil, err
	}
	return st.finish()
}

// render runs the first phase. full keeps whole objects instead of compact
// copies (a shard writes them for the merge to check).
func (st *streamState) render(ctx context.Context, full bool) error {
	db := kubeversion.Default()
	var mu sync.Mutex
	// facts checks one render's objects in the sessions at (nil: all)
	// and keeps what the whole-set rules need.
	facts := func(i int, at []int, objs []*model.Object, probs []model.Problem) {
		f := &variantFacts{at: at, probs: probs, refs: make([]model.ObjectRef, 0, len(objs))}
		var now []*model.Object
		seen := map[[2]string]bool{}
		for _, o := range objs {
			f.refs = append(f.refs, o.ObjectRef())
			if k, set := ignoreOf(o); set != nil {
				f.ignores = append(f.ignores, ignoreEntry{k, set})
			}
			if crdindex.IsCRD(o) {
				if k, err := crdindex.Parse(o); err == nil {
					f.crds = append(f.crds, k)
				}
			}
			if _, builtin := db.Lookup(o.APIVersion, o.Kind); !builtin {
				f.kept, f.late = append(f.kept, o), append(f.late, true)
				continue
			}
			seen[[2]string{o.Group(), o.Kind}] = true
			now = append(now, o)
			if c := rules.Retain(o, st.matrix); c != nil {
				if full {
					c = o
				}
				f.kept, f.late = append(f.kept, c), append(f.late, false)
			}
		}
		ss := st.sessions
		if at != nil {
			ss = make([]*rules.Session, len(at))
			for k, j := range at {
				ss[k] = st.sessions[j]
			}
		}
		rules.CheckEach(ss, now)
		mu.Lock()
		uf := st.facts[i]
		if uf == nil {
			uf = &unitFacts{}
			st.facts[i] = uf
		}
		uf.vars = append(uf.vars, f)
		for k := range seen {
			st.early[k] = true
		}
		mu.Unlock()
	}
	ro := st.opts.Render
	if st.ranged {
		ro.Range = st.vs
		ro.OnVariant = facts
	} else {
		ro.OnUnit = func(i int, objs []*model.Object) { facts(i, nil, objs, nil) }
	}
	opts := st.opts
	opts.Render = ro
	res, err := Render(ctx, opts)
	if err != nil {
		return err
	}
	st.units, st.index, st.problems, st.reported = res.Units, res.Index, res.Problems, res.Reported
	if st.ranged {
		st.problems = res.Problems[:res.Discovery]
	}
	if opts.Render.Shard != nil {
		// Discovery problems are the same in every shard: the first keeps them.
		if opts.Shard.I != 1 {
			st.problems = st.problems[res.Discovery:]
		}
	}
	return nil
}

// finish runs the second phase: custom resources with every CRD known,
// then the whole-set rules over the compact facts, per session over the
// renders that stand for its version.
func (st *streamState) finish() (*collected, error) {
	c := &collected{findings: map[kubeversion.Version][]model.Finding{}, refsAt: map[kubeversion.Version][]model.ObjectRef{}, units: st.units, notices: st.notices, ignores: map[objKey]map[string]bool{}, reported: st.reported}
	for _, i := range st.index {
		f := st.facts[i]
		if f == nil {
			continue
		}
		for _, v := range f.vars {
			for _, k := range v.crds {
				st.crds.AddKind(k)
			}
		}
	}
	for k := range st.early {
		if st.crds.Defines(k[0], k[1]) {
			return nil, errWholeSet
		}
	}
	// Whole objects become compact copies once, whichever sessions share
	// them; late ones stay whole for CheckAll and are compacted after.
	type compacted struct {
		late, kept []*model.Object
	}
	comp := map[*variantFacts]*compacted{}
	for _, i := range st.index {
		f := st.facts[i]
		if f == nil {
			continue
		}
		for _, v := range f.vars {
			cv := &compacted{}
			for j, o := range v.kept {
				if v.late[j] {
					cv.late = append(cv.late, o)
				}
				if v.late[j] || o.Node != nil {
					if o = rules.Retain(o, st.matrix); o == nil {
						continue
					}
				}
				cv.kept = append(cv.kept, o)
			}
			comp[v] = cv
			for _, e := range v.ignores {
				c.ignores[e.key] = e.set
			}
		}
	}
	// Sessions that see the same renders share their memo.
	same := map[string]*rules.Session{}
	for j, s := range st.sessions {
		var late, kept []*model.Object
		var refs []model.ObjectRef
		probs := st.problems
		if st.ranged {
			probs = append([]model.Problem(nil), st.problems...)
		}
		var sig strings.Builder
		for _, i := range st.index {
			f := st.facts[i]
			if f == nil {
				continue
			}
			v := f.variant(j)
			if v == nil {
				continue
			}
			fmt.Fprintf(&sig, "%p,", v)
			refs = append(refs, v.refs...)
			late = append(late, comp[v].late...)
			kept = append(kept, comp[v].kept...)
			if st.ranged {
				probs = append(probs, v.probs...)
			}
		}
		// Custom resources see the whole set and the problems, as in a
		// whole-set run (addon API judgments use the scan's addon
		// detections).
		if o, ok := same[sig.String()]; ok {
			s.ShareMemo(o)
		} else {
			same[sig.String()] = s
		}
		s.SetProblems(probs)
		s.SetUnits(st.units)
		s.CheckAll(late, kept)
		c.findings[st.vs[j]] = s.Finish(kept)
		c.refsAt[st.vs[j]] = refs
		if j == 0 && st.ranged {
			// The plan judges addons as deployed today; a scan of one
			// target has its addon rules.
			c.addons = s.AddonDetections(kept)
		}
	}
	c.refs = c.refsAt[st.opts.Target]
	return c, nil
}

// whole is the scan with every object in memory at once.
func whole(ctx context.Context, opts Options, ruleSet []*rules.Rule) (*collected, error) {
	vs := versions(opts)
	// With a current version, each version sees the renders that stand
	// for it (objsAt) and their problems.
	var mu sync.Mutex
	type variant struct {
		at    []int
		objs  []*model.Object
		probs []model.Problem
	}
	vars := map[int][]variant{}
	if len(vs) > 1 {
		opts.Render.Range = vs
		opts.Render.OnVariant = func(i int, at []int, objs []*model.Object, probs []model.Problem) {
			mu.Lock()
			vars[i] = append(vars[i], variant{at, objs, probs})
			mu.Unlock()
		}
	}
	res, err := Render(ctx, opts)
	if err != nil {
		return nil, err
	}
	objsAt := func(j int) ([]*model.Object, []model.Problem) {
		if len(vs) == 1 {
			return res.Objects, res.Problems
		}
		var objs []*model.Object
		probs := append([]model.Problem(nil), res.Problems[:res.Discovery]...)
		for _, i := range res.Index {
			for _, v := range vars[i] {
				if slices.Contains(v.at, j) {
					objs = append(objs, v.objs...)
					probs = append(probs, v.probs...)
				}
			}
		}
		return objs, probs
	}
	var all []*model.Object
	for _, i := range res.Index {
		for _, v := range vars[i] {
			all = append(all, v.objs...)
		}
	}
	if len(vs) == 1 {
		all = res.Objects
	}
	in, notices, err := inputs(opts, crdindex.Build(all))
	if err != nil {
		return nil, err
	}
	in.Units = res.Units
	c := &collected{findings: map[kubeversion.Version][]model.Finding{}, refsAt: map[kubeversion.Version][]model.ObjectRef{}, units: res.Units, notices: notices, ignores: map[objKey]map[string]bool{}, reported: res.Reported}
	for j, v := range vs {
		objs, probs := objsAt(j)
		in.Problems = probs
		cfg := rules.Config{Target: v, Current: opts.Current, Lifecycle: kubeversion.Default(), Inputs: in, Workers: opts.Render.Workers}
		c.findings[v] = rules.Run(cfg, ruleSet, objs)
		if j == 0 && len(vs) > 1 {
			c.addons = rules.NewSession(cfg, nil).AddonDetections(objs)
		}
		refs := make([]model.ObjectRef, 0, len(objs))
		for _, o := range objs {
			refs = append(refs, o.ObjectRef())
			if k, set := ignoreOf(o); set != nil {
				c.ignores[k] = set
			}
		}
		c.refsAt[v] = refs
	}
	c.refs = c.refsAt[opts.Target]
	return c, nil
}

// scanDirs are the directory arguments, where Terraform declarations of
// addons are looked for even when no Kubernetes object sits beside them.
func scanDirs(paths []string) []string {
	var out []string
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			out = append(out, p)
		}
	}
	return out
}
