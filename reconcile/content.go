package reconcile

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
	"sort"
	"strings"
)

// contentSum is an order-independent hash of a table's migrated rows: the
// sum, modulo 2^256, of each row's SHA-256. Adding a row, removing one or
// changing any compared value changes it; the order rows are read in does
// not.
type contentSum struct {
	rows int
	sum  [4]uint64
}

// add folds one row: its source id and its canonical values, in the type
// table's order, each as name=value.
func (c *contentSum) add(sourceID string, pairs []string) {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s", len(sourceID), sourceID)
	for _, p := range pairs {
		fmt.Fprintf(h, "|%d:%s", len(p), p)
	}
	var d [32]byte
	h.Sum(d[:0])
	var carry uint64
	for i := range 4 { // sum[0] is the least significant word
		c.sum[i], carry = bits.Add64(c.sum[i], binary.BigEndian.Uint64(d[24-8*i:]), carry)
	}
	c.rows++
}

func (c *contentSum) hex() string {
	var b [32]byte
	for i := range 4 {
		binary.BigEndian.PutUint64(b[24-8*i:], c.sum[i])
	}
	return hex.EncodeToString(b[:])
}

// contentTables turns the sums into the per-table list (report order) and
// the fingerprint over all of them.
func contentTables(sums map[string]*contentSum, tables map[string]string) ([]TableContent, string) {
	var out []TableContent
	for _, tn := range TypeNames() {
		c, ok := sums[tn]
		if !ok {
			c = &contentSum{}
		}
		out = append(out, TableContent{Type: tn, Table: tables[tn], Rows: c.rows, SHA256: c.hex()})
	}
	sort.SliceStable(out, func(i, j int) bool { return typeOrder(out[i].Type) < typeOrder(out[j].Type) })
	var b strings.Builder
	for _, t := range out {
		fmt.Fprintf(&b, "%s %d %s\n", t.Table, t.Rows, t.SHA256)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return out, hex.EncodeToString(sum[:])
}
