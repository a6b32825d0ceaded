package model

import (
	"crypto/sha256"
	"encoding/hex"
)

// ReleaseName returns the Helm release name of a HelmRelease as the
// helm-controller computes it: spec.releaseName, else
// <targetNamespace>-<name> when targetNamespace is set, else <name>; a name
// over 53 characters becomes its first 40 characters, a dash and the first
// 12 hex characters of its SHA-256.
func ReleaseName(name, releaseName, targetNamespace string) string {
	n := name
	switch {
	case releaseName != "":
		n = releaseName
	case targetNamespace != "":
		n = targetNamespace + "-" + name
	}
	return shortenName(n)
}

func shortenName(name string) string {
	const maxLen = 53
	if len(name) <= maxLen {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return name[:40] + "-" + hex.EncodeToString(sum[:])[:12]
}
