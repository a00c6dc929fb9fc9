package scan

import (
	"context"
	"errors"
	"fmt"
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
	refs     []model.ObjectRef
	units    []model.Unit
	notices  []string
	ignores  map[objKey]map[string]bool
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
	in := rules.Inputs{CRDs: crds, Addons: opts.Addons, FieldFacts: schemaFieldFacts()}
	var notices []string
	if schema.Supported(opts.Target) {
		sv, err := schema.New(opts.Target, schema.Options{Locations: opts.SchemaLocations, AllowRemote: opts.AllowRemoteSchemas, CRDs: crds})
		if err != nil {
			return in, nil, err
		}
		in.Schema = sv
	} else {
		vs := schema.Versions()
		notices = append(notices, fmt.Sprintf("schema validation skipped: embedded schemas cover Kubernetes %s to %s, not %s", vs[0], vs[len(vs)-1], opts.Target))
	}
	return in, notices, nil
}

// unitFacts is what is kept of one unit once its objects are checked.
type unitFacts struct {
	refs    []model.ObjectRef
	kept    []*model.Object // compact copies for whole-set rules, or whole deferred objects
	late    []bool          // kept[i] is a whole custom resource still to check
	crds    []*crdindex.Kind
	ignores []ignoreEntry
}

type ignoreEntry struct {
	key objKey
	set map[string]bool
}

// stream renders and decodes units in parallel and checks each unit's
// objects as soon as they exist, while their nodes are alive; then only
// compact copies for the whole-set rules are kept. Custom resources wait
// for the end, when every CRD of the scan is known.
func stream(ctx context.Context, opts Options, ruleSet []*rules.Rule) (*collected, error) {
	db := kubeversion.Default()
	crds := crdindex.New()
	in, notices, err := inputs(opts, crds)
	if err != nil {
		return nil, err
	}
	vs := versions(opts)
	sessions := make([]*rules.Session, len(vs))
	for i, v := range vs {
		sessions[i] = rules.NewSession(rules.Config{Target: v, Current: opts.Current, Lifecycle: db, Inputs: in, Workers: opts.Render.Workers}, ruleSet)
	}
	matrix := opts.Addons
	if matrix == nil {
		matrix = addons.Default()
	}

	var (
		mu    sync.Mutex
		facts = map[int]*unitFacts{}
		early = map[[2]string]bool{} // group/kinds checked before the CRDs were all known
	)
	ro := opts.Render
	ro.OnUnit = func(i int, objs []*model.Object) {
		f := &unitFacts{refs: make([]model.ObjectRef, 0, len(objs))}
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
			if c := rules.Retain(o, matrix); c != nil {
				f.kept, f.late = append(f.kept, c), append(f.late, false)
			}
		}
		for _, s := range sessions {
			s.Check(now)
		}
		mu.Lock()
		facts[i] = f
		for k := range seen {
			early[k] = true
		}
		mu.Unlock()
	}
	opts.Render = ro
	res, err := Render(ctx, opts)
	if err != nil {
		return nil, err
	}

	c := &collected{findings: map[kubeversion.Version][]model.Finding{}, units: res.Units, notices: notices, ignores: map[objKey]map[string]bool{}}
	// Unit order, then object order: the order a whole-set scan sees.
	var late []*model.Object
	for i := range res.Units {
		f := facts[i]
		if f == nil {
			continue
		}
		for _, k := range f.crds {
			crds.AddKind(k)
		}
		for j, o := range f.kept {
			if f.late[j] {
				late = append(late, o)
			}
		}
	}
	for k := range early {
		if crds.Defines(k[0], k[1]) {
			return nil, errWholeSet
		}
	}
	for _, s := range sessions {
		s.CheckAll(late)
	}
	var kept []*model.Object
	for i := range res.Units {
		f := facts[i]
		if f == nil {
			continue
		}
		c.refs = append(c.refs, f.refs...)
		for _, e := range f.ignores {
			c.ignores[e.key] = e.set
		}
		for j, o := range f.kept {
			if f.late[j] {
				if o = rules.Retain(o, matrix); o == nil {
					continue
				}
			}
			kept = append(kept, o)
		}
		delete(facts, i)
	}
	late = nil
	for i, s := range sessions {
		s.SetProblems(res.Problems)
		c.findings[vs[i]] = s.Finish(kept)
	}
	return c, nil
}

// whole is the scan with every object in memory at once.
func whole(ctx context.Context, opts Options, ruleSet []*rules.Rule) (*collected, error) {
	res, err := Render(ctx, opts)
	if err != nil {
		return nil, err
	}
	in, notices, err := inputs(opts, crdindex.Build(res.Objects))
	if err != nil {
		return nil, err
	}
	in.Problems = res.Problems
	c := &collected{findings: map[kubeversion.Version][]model.Finding{}, units: res.Units, notices: notices, ignores: map[objKey]map[string]bool{}}
	for _, v := range versions(opts) {
		c.findings[v] = rules.Run(rules.Config{Target: v, Current: opts.Current, Lifecycle: kubeversion.Default(), Inputs: in, Workers: opts.Render.Workers}, ruleSet, res.Objects)
	}
	c.refs = make([]model.ObjectRef, 0, len(res.Objects))
	for _, o := range res.Objects {
		c.refs = append(c.refs, o.ObjectRef())
		if k, set := ignoreOf(o); set != nil {
			c.ignores[k] = set
		}
	}
	return c, nil
}
