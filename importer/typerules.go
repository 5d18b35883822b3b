package importer

import (
	"context"
	"fmt"
	"sync"

	"github.com/petfriendly/recon/source"
)

// typeRules is what the importer adds to a type of source.Types(): the
// rules no table entry can say. Everything else (columns, references,
// merge keys) is read from the table.
type typeRules struct {
	// check is the type's own blocking problems of a row on its own (names,
	// dates); nil when it has none. Pure: recon verify applies it too.
	check func(rec source.Record) (Problem, bool)
	// decide turns a row that passed Check into destination rows.
	decide func(b *batchWriter, ctx context.Context, rec source.Record, c Checked) (outcome, error)
	// finish checks the rows of the whole batch once written (an invoice's
	// items against its totals); nil when nothing.
	finish func(b *batchWriter, ctx context.Context) error
}

// importRules is the one registry of import rules, keyed by Type.Name,
// built once (Check reads it for every row) and never changed.
// TestImportRulesCoverTypes requires an entry for every type.
var importRules = sync.OnceValue(func() map[string]typeRules {
	return map[string]typeRules{
		"clients":       {check: checkClient, decide: (*batchWriter).client},
		"pets":          {check: checkPet, decide: (*batchWriter).pet},
		"medical":       {check: checkMedical, decide: (*batchWriter).medical},
		"vaccines":      {check: checkVaccine, decide: (*batchWriter).vaccine},
		"products":      {decide: (*batchWriter).productRow},
		"appointments":  {check: checkAppointment, decide: (*batchWriter).appointment},
		"invoices":      {decide: (*batchWriter).invoice},
		"invoice_items": {decide: (*batchWriter).invoiceItem, finish: (*batchWriter).checkItemTotals},
		"documents":     {decide: (*batchWriter).document},
	}
})

// rulesOf is the type's import rules; a type without any is a programming
// error reported before its first row.
func rulesOf(t source.Type) (typeRules, error) {
	r, ok := importRules()[t.Name]
	if !ok || r.decide == nil {
		return typeRules{}, fmt.Errorf("no import rules for type %s", t.Name)
	}
	return r, nil
}

// fieldDefault is what the rules store for the field when the source has
// none (source.Field.Default), so verify expects the same.
func fieldDefault(t source.Type, field string) string {
	f, _ := t.Field(field)
	return f.Default
}
