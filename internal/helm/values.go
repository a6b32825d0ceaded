package helm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fluxcd/pkg/apis/meta"
	"github.com/fluxcd/pkg/chartutil"
	"github.com/go-logr/logr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// A ValuesError says which valuesFrom entry failed, by index.
type ValuesError struct {
	Index int
	Err   error
}

func (e *ValuesError) Error() string { return e.Err.Error() }

func (e *ValuesError) Unwrap() error { return e.Err }

// Values merges a HelmRelease's values as the helm-controller does, with
// Flux's own chartutil: valuesFrom in order (ConfigMaps and Secrets read
// through c in the release's namespace; valuesKey, targetPath, optional),
// then the inline values. The chart's defaults are merged by Helm itself.
func Values(ctx context.Context, c client.Client, namespace string, spec map[string]any) (map[string]any, error) {
	inline, _ := spec["values"].(map[string]any)
	var refs []meta.ValuesReference
	if raw, ok := spec["valuesFrom"]; ok {
		data, err := json.Marshal(raw)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(data, &refs); err != nil {
			return nil, fmt.Errorf("spec.valuesFrom: %w", err)
		}
	}
	values, err := chartutil.ChartValuesFromReferences(ctx, logr.Discard(), c, namespace, inline, refs...)
	if err != nil {
		var ref *chartutil.ErrValuesReference
		if errors.As(err, &ref) {
			for i, r := range refs {
				if r.Kind == ref.Kind && r.Name == ref.Name.Name && r.GetValuesKey() == ref.Key {
					return nil, &ValuesError{Index: i, Err: err}
				}
			}
		}
		return nil, err
	}
	return values, nil
}
