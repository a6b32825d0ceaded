package cli

import (
	"fmt"

	"github.com/fluxlint/fluxlint/internal/xref"
)

// validateExternalObjects checks that every external object of the
// configuration names a kind and a name and says why it exists outside the
// repository.
func validateExternalObjects(objs []xref.ExternalObject) error {
	for i, o := range objs {
		if o.Kind == "" || o.Name == "" || o.Reason == "" {
			return fmt.Errorf("config: externalObjects[%d]: kind, name and reason are required", i)
		}
	}
	return nil
}
