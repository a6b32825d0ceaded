package cache

import "testing"

// countingMap is a Store in memory that counts its writes.
type countingMap struct {
	blobs  map[string][]byte
	writes int
}

func (m *countingMap) Get(bucket, key string) ([]byte, bool) {
	b, ok := m.blobs[bucket+"/"+key]
	return b, ok
}

func (m *countingMap) Put(bucket, key string, data []byte) error {
	m.blobs[bucket+"/"+key] = data
	m.writes++
	return nil
}

func TestSealedRound(t *testing.T) {
	store := &countingMap{blobs: map[string][]byte{}}
	b := Bucket{Store: store, Name: "round-test"}
	seal := SealKey("value", "secret part")
	var got string

	first := LoadRound(b, "k", "ctx")
	if first.Get("a", seal, &got) {
		t.Fatal("an empty record gave a value")
	}
	first.Put("a", seal, "kept")
	first.Save(b, "k", "ctx")

	again := LoadRound(b, "k", "ctx")
	if !again.Get("a", seal, &got) || got != "kept" {
		t.Fatalf("kept value: %q", got)
	}
	if again.Get("a", SealKey("value", "other part"), &got) {
		t.Error("a value opened under another key")
	}
	writes := store.writes
	again.Save(b, "k", "ctx")
	if store.writes != writes {
		t.Error("a round that used what the record held wrote it again")
	}
	if LoadRound(b, "k", "other context").Get("a", seal, &got) {
		t.Error("a value made in another context was given")
	}
	var none *SealedRound
	if none.Get("a", seal, &got) {
		t.Error("a nil round gave a value")
	}
	none.Put("a", seal, "x")
	none.Save(b, "k", "ctx") // keeps nothing
}
