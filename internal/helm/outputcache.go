package helm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/fluxlint/fluxlint/internal/diskcache"
)

// A Store keeps blobs between runs, by bucket and key (diskcache.Store).
type Store interface {
	Get(bucket, key string) ([]byte, bool)
	Put(bucket, key string, data []byte) error
}

// outputBucket holds rendered manifest streams, keyed by everything the
// render reads.
const outputBucket = "helm-output"

// outputKey returns the content hash of everything a render depends on:
// the chart with its dependencies, the values, the release's name and
// namespace, the target Kubernetes version and API versions, the options,
// and salt (the fluxlint build). Two renders with the same key give the
// same manifests, so a cached stream can stand in for a render.
func outputKey(r Release) (string, error) {
	h := sha256.New()
	field := func(s string) {
		_, _ = io.WriteString(h, s)
		_, _ = h.Write([]byte{0})
	}
	field(r.CacheSalt)
	field(r.Name)
	field(r.Namespace)
	field(r.KubeVersion)
	apis := append([]string(nil), r.APIVersions...)
	sort.Strings(apis)
	field(strings.Join(apis, ","))
	field(boolString(r.IncludeCRDs) + boolString(r.SkipSchemaValidation))
	values, err := json.Marshal(r.Values)
	if err != nil {
		return "", err
	}
	field(string(values))
	secrets := append([]string(nil), r.Secrets...)
	sort.Strings(secrets)
	field(strings.Join(secrets, "\x00"))
	if err := hashChart(h, r.Chart); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashChart writes a chart's content into h: metadata, values, schema,
// templates and files, then each dependency the same way.
func hashChart(h hash.Hash, c *chart.Chart) error {
	meta, err := json.Marshal(c.Metadata)
	if err != nil {
		return err
	}
	values, err := json.Marshal(c.Values)
	if err != nil {
		return err
	}
	write := func(b []byte) {
		_, _ = h.Write(b)
		_, _ = h.Write([]byte{0})
	}
	write(meta)
	write(values)
	write(c.Schema)
	for _, group := range [][]*common.File{c.Templates, c.Files} {
		write([]byte(strconv.Itoa(len(group))))
		for _, f := range group {
			write([]byte(f.Name))
			write(f.Data)
		}
	}
	deps := c.Dependencies()
	write([]byte(strconv.Itoa(len(deps))))
	for _, d := range deps {
		if err := hashChart(h, d); err != nil {
			return err
		}
	}
	return nil
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// seal returns data as the cache keeps it: as it is for a release without
// secrets, else sealed with a key derived from the secrets.
func seal(data []byte, salt string, secrets []string) ([]byte, error) {
	if len(secrets) == 0 {
		return data, nil
	}
	return diskcache.Seal(secretKey(salt, secrets), data)
}

// unseal undoes seal.
func unseal(data []byte, salt string, secrets []string) ([]byte, error) {
	if len(secrets) == 0 {
		return data, nil
	}
	return diskcache.Open(secretKey(salt, secrets), data)
}

func secretKey(salt string, secrets []string) []byte {
	sorted := append([]string{salt}, secrets...)
	sort.Strings(sorted[1:])
	return diskcache.SealKey(sorted...)
}
