package weights

import (
	"bytes"
	"os"
	"testing"
)

// FuzzRead feeds arbitrary bytes to Read. It must never panic, and whatever
// it accepts must survive a Write/Read round trip unchanged.
func FuzzRead(f *testing.F) {
	var good bytes.Buffer
	if err := Write(&good, sampleEntries()[:2]); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add(makeZip(f, member{name: "k.npy", data: npy(f4("(2, 2)"), 4), deflate: true}))
	f.Add(makeZip(f, member{name: "k.npy", data: npy(f4("(3,)"), 2)}))
	for _, name := range []string{"testdata/numpy_savez.npz", "testdata/numpy_float64.npz"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, entries); err != nil {
			t.Fatalf("Read accepted entries that Write rejects: %v", err)
		}
		again, err := Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("re-reading a written archive: %v", err)
		}
		checkSame(t, again, entries)
	})
}
