package diskcache

import (
	"bytes"
	"testing"
)

func TestSealRoundTripAndWrongKey(t *testing.T) {
	key := SealKey("s3cr3t")
	sealed, err := Seal(key, []byte("password: s3cr3t"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("s3cr3t")) {
		t.Fatal("sealed blob holds the plain text")
	}
	plain, err := Open(key, sealed)
	if err != nil || string(plain) != "password: s3cr3t" {
		t.Fatalf("Open = %q, %v", plain, err)
	}
	if _, err := Open(SealKey("other"), sealed); err == nil {
		t.Fatal("opened with another key")
	}
	if _, err := Open(key, sealed[:5]); err == nil {
		t.Fatal("opened a truncated blob")
	}
}
