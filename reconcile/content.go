package reconcile

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/bits"
	"sort"
	"strconv"
	"strings"
)

// contentSum is an order-independent hash of a table's migrated rows: the
// sum, modulo 2^256, of each row's SHA-256. Adding a row, removing one or
// changing any compared value changes it; the order rows are read in does
// not.
type contentSum struct {
	rows int
	sum  [4]uint64
	buf  []byte // reused between rows
}

// add folds one row: its source id and its canonical values, in the type
// table's order, each as name=value. Every piece is length-prefixed, so
// moving text from one piece to the next changes the hash.
func (c *contentSum) add(sourceID string, pairs []string) {
	c.begin(sourceID)
	for _, p := range pairs {
		c.piece(p, "", "")
	}
	c.end()
}

// begin, piece and end fold a row piece by piece without building strings:
// piece(a, b, c) hashes the text a+b+c as one piece.
func (c *contentSum) begin(sourceID string) {
	c.buf = c.buf[:0]
	c.buf = strconv.AppendInt(c.buf, int64(len(sourceID)), 10)
	c.buf = append(c.buf, ':')
	c.buf = append(c.buf, sourceID...)
}

func (c *contentSum) piece(a, b, d string) {
	c.buf = append(c.buf, '|')
	c.buf = strconv.AppendInt(c.buf, int64(len(a)+len(b)+len(d)), 10)
	c.buf = append(c.buf, ':')
	c.buf = append(c.buf, a...)
	c.buf = append(c.buf, b...)
	c.buf = append(c.buf, d...)
}

func (c *contentSum) end() {
	d := sha256.Sum256(c.buf)
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
	for _, e := range extraContent {
		if c, ok := sums[e.name]; ok {
			out = append(out, TableContent{Type: e.name, Table: e.table, Rows: c.rows, SHA256: c.hex()})
		}
	}
	var b strings.Builder
	for _, t := range out {
		fmt.Fprintf(&b, "%s %d %s\n", t.Table, t.Rows, t.SHA256)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return out, hex.EncodeToString(sum[:])
}
