package schema

import (
	"context"
	"fmt"
	"strings"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A Checker validates the rendered objects of each cluster with the
// schemas of its Kubernetes version and Flux release, custom resources
// against the CRDs of the cluster and of the run, and reports each kind
// without a schema once per run. It is one of the pipeline's checkers,
// beside the reference checker (xref) and the policy engine.
type Checker struct {
	validators *validatorSet
	// kubeVersion and fluxVersion are the run's versions, for clusters
	// that do not have their own; "" is the newest embedded.
	kubeVersion, fluxVersion string
	// crds are CRDs given on the command line or in the config, checked
	// in every cluster besides the cluster's own.
	crds    []*model.Object
	unknown map[string]bool
	// disk, when set, keeps results in the cache folder between runs
	// (KeepResultsIn).
	disk *diskResults
}

// NewChecker returns a Checker that validates with the schemas opts name
// for clusters that state no versions of their own, and with validators
// made from opts for the versions of those that do. seed, when set, is
// the validator of opts' own versions, made earlier (NewWithOptions) and
// kept across runs by the language server; crds are CRDs given on the
// command line or in the configuration (LoadCRDs), used in every cluster.
func NewChecker(opts Options, seed *Validator, crds []*model.Object) *Checker {
	return newChecker(newValidatorSet(opts, seed), opts.KubernetesVersion, opts.FluxVersion, crds)
}

func newChecker(validators *validatorSet, kubeVersion, fluxVersion string, crds []*model.Object) *Checker {
	return &Checker{validators: validators, kubeVersion: kubeVersion, fluxVersion: fluxVersion,
		crds: crds, unknown: map[string]bool{}}
}

// Check validates every object of the cluster, custom resources against
// the CRDs the cluster (and the options) define.
func (s *Checker) Check(ctx context.Context, c *model.Cluster) []finding.Finding {
	fluxVersion, serving := s.fluxVersion, ""
	if firstNonEmpty(c.FluxVersion, s.fluxVersion) == "" && !c.Operator {
		serving = servingFlux(c.Objects)
		fluxVersion = serving
	}
	key, out, err := clusterVersions(c, s.kubeVersion, fluxVersion)
	var v *Validator
	if err == nil {
		v, err = s.validators.get(key)
	}
	if err != nil {
		return append(out, finding.Finding{RuleID: finding.RuleInternal, Severity: finding.Error, Cluster: c.Name,
			Pos: finding.Pos{File: c.Path}, Message: "the cluster's schemas cannot be loaded: " + err.Error()})
	}
	set, crds, crdFindings := s.crdSet(v, c)
	out = append(out, crdFindings...)
	out = append(out, s.checkObjects(ctx, v, c, set, crds)...)
	if firstNonEmpty(c.FluxVersion, s.fluxVersion) == "" {
		assumedFlux(out, v, c.Operator, serving != "")
	}
	return out
}

// assumedFlux says, in the hint of each Flux apiVersion that is not
// served, that the Flux release was assumed: no file of the cluster
// names one (its gotk-components.yaml is the placeholder that flux
// bootstrap fills in), so it gets the release bootstrap installs, the
// newest, or, when that serves not all the Flux apiVersions the cluster
// uses, the newest that does (servingFlux), whose deprecations get the
// hint. A FluxInstance whose spec.distribution.version has no upper bound
// below Flux 3 (2.x) selects the newest release too (instance says the
// cluster has one), which the hint says instead.
func assumedFlux(out []finding.Finding, v *Validator, instance, serving bool) {
	why := "no file of this cluster names its Flux version (the gotk-components.yaml of flux bootstrap, a FluxInstance), so Flux %s, the newest, which flux bootstrap installs, is assumed"
	rule := RuleAPIVersion
	switch {
	case instance:
		why = "the cluster's FluxInstance names no release below the newest (spec.distribution.version such as 2.x), so Flux Operator installs Flux %s, the newest"
	case serving:
		// The newest release that serves what the cluster applies (an
		// older one than flux bootstrap installs today): its deprecations
		// say so.
		why = "no file of this cluster names its Flux version, so Flux %s, the newest release that serves every Flux apiVersion the cluster uses, is assumed"
		rule = RuleAPIDeprecated
	}
	for i, f := range out {
		if f.RuleID != rule || !v.IsFluxGroup(model.Group(f.Object.APIVersion)) {
			continue
		}
		out[i].Hint += "; " + fmt.Sprintf(why, v.FluxVersion()) + ": if the cluster runs another, set fluxVersion in .fluxlint.yaml or pass --flux-version"
	}
}

// checkObjects validates the objects of a cluster, or takes the findings
// of those that v's memo kept (KeepResults) or the results the cache folder
// kept (KeepResultsIn), and keeps them for the next run.
func (s *Checker) checkObjects(ctx context.Context, v *Validator, c *model.Cluster, set *CRDSet, crds []*model.Object) []finding.Finding {
	installed := installedReleases(c)
	cc := objectCheck{ctx: ctx, v: v, c: c, set: set, installed: installed,
		opts: ValidateOptions{FluxOperator: c.OperatorMayInstall(), Catalogue: catalogueChannels(installed), deleted: v.deletedFluxKinds(c)}}
	name := c.Name + "\x00" + c.Path
	var within, context string
	if v.results != nil {
		within = memoContext(crds, cc.installed, cc.opts)
	}
	if s.disk != nil && v.results == nil {
		// The language server's memo (KeepResults) serves its runs; the
		// cache folder serves those of fluxlint check.
		cc.keys, context = objectKeys(v, c, crds, cc.opts)
		cc.disk = s.disk.round(name, context)
	}
	last := v.results.round(name, within)
	next := &memoRound{context: last.context, objects: map[*model.Object][]finding.Finding{}}
	var out []finding.Finding
	for _, o := range c.Objects {
		fs, kept := last.objects[o]
		if !kept {
			var keep bool
			if fs, keep = s.checkObject(cc, o); !keep {
				out = append(out, fs...)
				continue
			}
		}
		out = append(out, fs...)
		next.objects[o] = fs
	}
	if ctx.Err() == nil {
		v.results.keep(name, next)
		s.disk.keep(name, context, cc.disk)
	}
	return out
}

// An objectCheck is what checking the objects of one cluster needs.
type objectCheck struct {
	ctx       context.Context
	v         *Validator
	c         *model.Cluster
	set       *CRDSet
	opts      ValidateOptions
	installed map[string]installedRelease
	// keys and disk are the objects' keys and the results kept in the
	// cache folder, with KeepResultsIn.
	keys map[*model.Object]objectKey
	disk *cache.SealedRound
}

// options returns the validation options of an object: no CEL rules for
// a SOPS-encrypted one, whose values are ciphertext.
func (cc objectCheck) options(sops bool) ValidateOptions {
	opts := cc.opts
	opts.SkipCEL = sops
	return opts
}

// validate validates an object with the validator of its cluster, or
// takes the result the cache folder kept for it. It returns the content
// validated (without SOPS metadata) and whether it is SOPS-encrypted.
func (cc objectCheck) validate(o *model.Object) (_ Result, content map[string]any, sops bool) {
	content, sops = withoutSOPS(o.Content)
	opts := cc.options(sops)
	k, keyed := cc.keys[o]
	if keyed {
		var r Result
		if cc.disk.Get(k.lookup, k.seal, &r) {
			return r, content, sops
		}
	}
	r := cc.v.ValidateIn(cc.ctx, content, cc.set, opts)
	if keyed && cc.ctx.Err() == nil {
		keepResult(cc.disk, k, r)
	}
	return r, content, sops
}

// crdSet compiles the CRDs of the options and of the cluster, which it
// returns too; a CRD that cannot be read is a finding at its document.
func (s *Checker) crdSet(v *Validator, c *model.Cluster) (*CRDSet, []*model.Object, []finding.Finding) {
	objs := make([]*model.Object, 0, len(s.crds))
	objs = append(objs, s.crds...)
	for _, o := range c.Objects {
		if IsCRD(o.Content) {
			objs = append(objs, o)
		}
	}
	contents := make([]map[string]any, len(objs))
	for i, o := range objs {
		contents[i] = o.Content
	}
	set, errs := v.CRDSet(contents)
	var out []finding.Finding
	for _, e := range errs {
		o := objs[e.Index]
		out = append(out, finding.Finding{RuleID: RuleCRDInvalid, Severity: finding.Error, Object: o.Ref,
			Cluster: c.Name, Chain: o.Chain, Pos: o.Origin,
			Message: "CRD cannot be read: " + e.Err.Error()})
	}
	return set, objs, out
}

// checkObject validates one object with v. keep says its findings may be
// kept for the next run: they do not depend on the objects checked before
// it (a kind without a schema is reported once per run).
func (s *Checker) checkObject(cc objectCheck, o *model.Object) (_ []finding.Finding, keep bool) {
	ctx, v, c, set, installed := cc.ctx, cc.v, cc.c, cc.set, cc.installed
	r, content, sops := cc.validate(o)
	opts := cc.options(sops)
	base := finding.Finding{Severity: finding.Error, Object: o.Ref, Cluster: c.Name, Chain: o.Chain}
	var out []finding.Finding
	if r.Deprecated != "" {
		f := base
		f.RuleID, f.Severity, f.Pos, f.Message = RuleAPIDeprecated, finding.Warning, o.PosOf([]string{"apiVersion"}), r.Deprecated
		if r.Replacement != "" {
			f.Hint = "change apiVersion to " + r.Replacement + " and check the fields that changed"
		}
		out = append(out, f)
	}
	switch r.Status {
	case Invalid:
		for _, viol := range r.Violations {
			if viol.Rule != RuleUnknownField && viol.Rule != RuleRequired && encrypted(content, viol.Path) {
				// The value is ciphertext until Flux decrypts it: in a
				// SOPS document, or substituted from a SOPS-encrypted
				// Secret's variable.
				continue
			}
			f := base
			f.RuleID, f.Message, f.Pos = viol.Rule, viol.Message, o.PosOf(viol.Path)
			if r.Source != "" {
				f.Hint = catalogueHint(r.Source)
			}
			if droppedLabel(o, viol) {
				f.Severity = finding.Warning
				f.Message += "; kustomize-controller reads the object's labels as strings, reads none, and applies it without any of its own labels (only its ownership labels)"
				f.Hint = "quote the value (\"false\") so that the labels reach the cluster"
			}
			out = append(out, f)
		}
	case UnservedVersion:
		out = append(out, unserved(v, o, r, base))
		out = append(out, s.olderFluxFindings(ctx, v, o, r, content, set, opts, base)...)
	case NoSchema:
		k := o.Ref.APIVersion + " " + o.Ref.Kind
		if s.unknown[k] {
			break
		}
		s.unknown[k] = true
		f := base
		f.Severity, f.RuleID, f.Pos, f.Cluster, f.Chain = finding.Info, RuleUnknownKind, o.Origin, "", nil
		f.Message = fmt.Sprintf("no schema for %s %s: its objects are not validated (add its CRD to the repository or pass it with --crd)", o.Ref.APIVersion, o.Ref.Kind)
		out = append(out, f)
	}
	if r.Source != "" {
		// The catalogue's release is a guess of the cluster's; an older
		// one that the cluster is seen to install makes it uncertain.
		softenOlder(out, olderInstalled(installed, r.Source))
		softenVariant(out, variantInstalled(installed, r.Source))
	}
	return out, r.Status != NoSchema
}

// droppedLabel says whether a violation is a label of an object a Flux
// Kustomization applies whose value is not a string. kustomize-controller
// adds its ownership labels to each object through unstructured's
// GetLabels, which returns no labels when one is not a string, and
// SetLabels: the object is applied with the ownership labels alone, so the
// API server never sees the value, and the object's own labels are lost.
// A HelmRelease's objects are applied by Helm, which keeps the value.
func droppedLabel(o *model.Object, viol Violation) bool {
	return o.Release == nil && viol.Rule == RuleInvalid && len(viol.Path) == 3 &&
		viol.Path[0] == "metadata" && viol.Path[1] == "labels"
}

// unserved reports an apiVersion that is not served, naming the one to
// move to.
func unserved(v *Validator, o *model.Object, r Result, base finding.Finding) finding.Finding {
	f := base
	f.RuleID, f.Pos = RuleAPIVersion, o.PosOf([]string{"apiVersion"})
	f.Message = fmt.Sprintf("%s %s is not served by %s; served: %s",
		o.Ref.APIVersion, o.Ref.Kind, servedBy(v, o.Ref.APIVersion, r), strings.Join(r.Served, ", "))
	f.Hint = "change apiVersion to " + r.Served[len(r.Served)-1] + " and check the fields that changed"
	if r.Source != "" {
		f.Hint += "; " + catalogueHint(r.Source)
	}
	return f
}

// servedBy names what does not serve an apiVersion in v.
func servedBy(v *Validator, apiVersion string, r Result) string {
	group, _, _ := strings.Cut(apiVersion, "/")
	switch {
	case r.Source != "":
		return "the catalogue's " + r.Source
	case r.FromCRD:
		return "its CustomResourceDefinition"
	case r.RemovedIn != "":
		return "Kubernetes " + v.KubernetesVersion() + " (removed in " + r.RemovedIn + ")"
	case group == FluxOperatorGroup:
		return "Flux Operator " + FluxOperatorVersion()
	case v.IsFluxGroup(group):
		return "Flux " + v.FluxVersion()
	}
	return "Kubernetes " + v.KubernetesVersion()
}

// catalogueHint says where the schema of a finding came from when the CRD
// catalogue provided it, and how to use another.
func catalogueHint(source string) string {
	project, _, _ := strings.Cut(source, " ")
	return "schema from catalogue: " + source + " (if the cluster runs another version, add its CRD to the repository, " +
		"pin catalogueVersions." + project + " or pass --no-catalogue)"
}
