package importer

import (
	"fmt"
	"slices"
	"testing"

	"github.com/petfriendly/recon/source"
)

func planOf(t *testing.T, names ...string) []plannedFile {
	t.Helper()
	var plan []plannedFile
	for i, n := range names {
		typ, ok := source.TypeByName(n)
		if !ok {
			t.Fatalf("no type %q", n)
		}
		plan = append(plan, plannedFile{path: fmt.Sprintf("%d-%s.csv", i, n), typ: typ})
	}
	return plan
}

// TestWaitsFor pins which earlier files each file waits for: its own type's
// and every type it depends on, directly or through a type the export lacks.
func TestWaitsFor(t *testing.T) {
	tests := []struct {
		name  string
		plan  []string
		waits [][]int
	}{
		{"whole export",
			[]string{"clients", "pets", "medical", "vaccines", "products", "appointments", "invoices", "invoice_items", "documents"},
			[][]int{
				nil,       // clients
				{0},       // pets
				{0, 1},    // medical: pets, and clients through them
				{0, 1},    // vaccines
				nil,       // products
				{0, 1},    // appointments
				{0},       // invoices
				{0, 4, 6}, // invoice_items: clients (through invoices), products, invoices
				{0, 1},    // documents
			}},
		{"split files of one type run in order",
			[]string{"clients", "clients", "products", "products"},
			[][]int{nil, {0}, nil, {2}}},
		{"a grandchild waits for its grandparent when the middle type is missing",
			[]string{"clients", "medical"},
			[][]int{nil, {0}}},
		{"unrelated types wait for nothing",
			[]string{"products", "clients"},
			[][]int{nil, nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := waitsFor(planOf(t, tc.plan...))
			if len(got) != len(tc.waits) {
				t.Fatalf("waits = %v, want %v", got, tc.waits)
			}
			for i := range got {
				if !slices.Equal(got[i], tc.waits[i]) {
					t.Errorf("file %d (%s) waits for %v, want %v", i, tc.plan[i], got[i], tc.waits[i])
				}
			}
		})
	}
}

func TestNextToStart(t *testing.T) {
	waits := waitsFor(planOf(t, "clients", "pets", "medical", "products", "invoices", "invoice_items"))
	P, R, D, F := filePending, fileRunning, fileDone, fileFailed
	tests := []struct {
		name   string
		states []int
		free   int
		want   []int
	}{
		{"first wave: clients and products", []int{P, P, P, P, P, P}, 3, []int{0, 3}},
		{"one free slot goes to the earliest", []int{P, P, P, P, P, P}, 1, []int{0}},
		{"no free slot", []int{P, P, P, P, P, P}, 0, nil},
		{"clients done: pets and invoices", []int{D, P, P, R, P, P}, 2, []int{1, 4}},
		{"items wait for products", []int{D, D, R, R, D, P}, 3, nil},
		{"items once invoices and products are done", []int{D, D, R, D, D, P}, 3, []int{5}},
		{"a failure starts nothing more", []int{D, F, P, D, P, P}, 3, nil},
		{"a running file is not started again", []int{R, P, P, R, P, P}, 3, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextToStart(tc.states, waits, []int{0, 1, 2, 3, 4, 5}, tc.free, make([]int64, 6), 0); !slices.Equal(got, tc.want) {
				t.Errorf("nextToStart = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestDependsOnCoversReferences: the schedule trusts DependsOn, so every
// type a field refers to must be in it (else a child could load before the
// parents it looks up).
func TestDependsOnCoversReferences(t *testing.T) {
	for _, typ := range source.Types() {
		for _, f := range typ.Fields {
			if f.Kind == source.KindRef && !slices.Contains(typ.DependsOn, f.Ref) {
				t.Errorf("%s.%s refers to %s, which is not in DependsOn %v", typ.Name, f.Name, f.Ref, typ.DependsOn)
			}
		}
	}
}

// TestStartOrder: of the files ready at once, the one with the most work
// behind it starts first; the order of nextToStart follows it.
func TestStartOrder(t *testing.T) {
	plan := planOf(t, "clients", "pets", "medical", "products", "invoices", "invoice_items")
	for i, size := range []int64{10, 20, 100, 5, 30, 300} {
		plan[i].size = size
	}
	waits := waitsFor(plan)
	chain := chainSizes(plan, waits)
	// clients: 10 + invoices' 330; pets: 20 + medical's 100; products: 5 + items' 300.
	if want := []int64{340, 120, 100, 305, 330, 300}; !slices.Equal(chain, want) {
		t.Fatalf("chain sizes %v, want %v", chain, want)
	}
	order := startOrder(chain)
	if want := []int{0, 4, 3, 5, 1, 2}; !slices.Equal(order, want) {
		t.Fatalf("start order %v, want %v", order, want)
	}
	P, D := filePending, fileDone
	if got := nextToStart([]int{D, P, P, D, P, P}, waits, order, 1, make([]int64, 6), 0); !slices.Equal(got, []int{4}) {
		t.Errorf("clients and products done, one slot: %v, want invoices (4) before pets", got)
	}
	// Equal chains keep plan order.
	if got := startOrder([]int64{7, 9, 7, 9}); !slices.Equal(got, []int{1, 3, 0, 2}) {
		t.Errorf("ties: %v", got)
	}
}

// TestNextToStartBudget: files start together only while their weights fit
// the budget; a file alone starts whatever its weight, and a ready file that
// does not fit is not overtaken.
func TestNextToStartBudget(t *testing.T) {
	plan := planOf(t, "clients", "pets", "medical", "products", "invoices", "invoice_items")
	for i, size := range []int64{10, 20, 100, 5, 30, 300} {
		plan[i].size = size
	}
	w := weights(plan)
	// Each file plus the files of the types it refers to.
	if want := []int64{10, 30, 120, 5, 40, 335}; !slices.Equal(w, want) {
		t.Fatalf("weights %v, want %v", w, want)
	}
	waits := waitsFor(plan)
	order := []int{0, 4, 3, 5, 1, 2}
	P, R, D := filePending, fileRunning, fileDone
	tests := []struct {
		name   string
		states []int
		budget int64
		want   []int
	}{
		{"all fit", []int{P, P, P, P, P, P}, 1000, []int{0, 3}},
		{"the second does not fit", []int{P, P, P, P, P, P}, 12, []int{0}},
		{"a heavy file alone starts", []int{D, D, P, D, D, P}, 100, []int{5}},
		{"a heavy file waits for the running one", []int{D, D, R, D, D, P}, 200, nil},
		{"and nothing lighter overtakes it", []int{D, D, P, D, D, P}, 200, []int{5}},
		{"a light file joins a running one", []int{D, P, P, D, R, P}, 200, []int{1}},
		{"unless it does not fit", []int{D, P, P, D, R, P}, 60, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextToStart(tc.states, waits, order, 3, w, tc.budget); !slices.Equal(got, tc.want) {
				t.Errorf("nextToStart = %v, want %v", got, tc.want)
			}
		})
	}
}
