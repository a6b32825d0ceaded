package schema

import (
	"fmt"
	"strings"
	"sync"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A validatorSet holds the schema validators of a run, one per embedded
// Kubernetes version and Flux release. Each is made the first time a
// cluster needs it and shared by every cluster with the same versions, so
// a run whose clusters all run one release makes one.
type validatorSet struct {
	opts Options    // Locations and Offline; each validator sets its versions
	mu   sync.Mutex // guards made
	made map[validatorKey]*madeValidator
}

// A validatorKey is an embedded Kubernetes version and Flux release, as
// resolved ("1.37", "2.9").
type validatorKey struct{ kube, flux string }

type madeValidator struct {
	once sync.Once
	v    *Validator
	err  error
}

// newValidatorSet returns a set that makes validators with opts and holds
// seed (which may be nil) for its own versions: the run's default one, or
// the one the language server keeps across runs.
func newValidatorSet(opts Options, seed *Validator) *validatorSet {
	s := &validatorSet{opts: opts, made: map[validatorKey]*madeValidator{}}
	if seed != nil {
		m := &madeValidator{v: seed}
		m.once.Do(func() {})
		s.made[validatorKey{kube: seed.KubernetesVersion(), flux: seed.FluxVersion()}] = m
	}
	return s
}

// get returns the validator of an embedded Kubernetes version and Flux
// release, making it on first use.
func (s *validatorSet) get(k validatorKey) (*Validator, error) {
	s.mu.Lock()
	m, ok := s.made[k]
	if !ok {
		m = &madeValidator{}
		s.made[k] = m
	}
	s.mu.Unlock()
	m.once.Do(func() {
		opts := s.opts
		opts.KubernetesVersion, opts.FluxVersion = k.kube, k.flux
		m.v, m.err = NewWithOptions(opts)
	})
	return m.v, m.err
}

// clusterVersions returns the embedded Kubernetes version and Flux release
// to validate c with, and an info finding for each that is not the one the
// cluster asks for. The cluster's own versions come first, then the run's
// (kubeVersion, fluxVersion), then the newest embedded.
func clusterVersions(c *model.Cluster, kubeVersion, fluxVersion string) (validatorKey, []finding.Finding, error) {
	var key validatorKey
	var out []finding.Finding
	wantKube := firstNonEmpty(c.KubernetesVersion, kubeVersion)
	kube, exact, err := NearestKubernetesVersion(wantKube)
	if err != nil {
		return key, nil, err
	}
	if !exact {
		out = append(out, substitution(c, RuleKubernetesVersion, "Kubernetes", wantKube, kube, Versions()))
	}
	wantFlux := firstNonEmpty(c.FluxVersion, fluxVersion)
	release, exact, err := NearestFluxVersion(wantFlux)
	if err != nil {
		return key, nil, err
	}
	if !exact {
		out = append(out, substitution(c, RuleFluxVersion, "Flux", wantFlux, release, FluxVersions()))
	}
	return validatorKey{kube: kube, flux: release}, out, nil
}

// substitution is the info finding that a cluster's version of what has
// no embedded schemas and is validated with those of used.
func substitution(c *model.Cluster, rule, what, want, used string, embedded []string) finding.Finding {
	pos := finding.Pos{File: c.Path}
	if what == "Flux" && c.FluxVersionAt.File != "" {
		pos = c.FluxVersionAt
	}
	return finding.Finding{RuleID: rule, Severity: finding.Info, Cluster: c.Name, Pos: pos,
		Message: fmt.Sprintf("the cluster runs %s %s, whose schemas are not embedded: it is validated with those of %s %s",
			what, want, what, used),
		Hint: fmt.Sprintf("embedded %s versions: %s", what, strings.Join(embedded, ", "))}
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
